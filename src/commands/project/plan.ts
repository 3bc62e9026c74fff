import type { CommandRun } from '../../cli/spec.js';
import { hasAccessChanges } from '../../core/access/index.js';
import { ExitCode } from '../../core/errors.js';
import { hasSchemaChanges } from '../../core/schemas/index.js';
import { hasChanges } from '../../core/topics/index.js';
import { renderProjectPlan } from '../../render/projectPlan.js';
import { planAccess, refusedAccess } from '../access/planning.js';
import { buildSchemaPlan } from '../schema/plan.js';
import { subjectStrategy } from '../schema/shared.js';
import { desiredState } from '../topics/desired.js';
import { planAgainstCluster } from '../topics/planning.js';
import { unappliable } from '../topics/plan.js';

/** `iotmsg plan`: the topics, schema and access plans of one environment, asked in parallel. */
export const run: CommandRun = async (ctx, _args, options) => {
  const desired = await desiredState(ctx);
  const admin = await ctx.admin();
  const prune = options.prune === true;
  const [{ document: topics }, { plan: schemas }, { plan: access }] = await Promise.all([
    planAgainstCluster(ctx, admin, desired, prune),
    buildSchemaPlan(ctx, desired.environment, subjectStrategy(options)),
    planAccess(ctx, prune),
  ]);
  await ctx.out.result({ topics, schemas, access }, renderProjectPlan);
  if (!topics.plan.appliable) throw unappliable(topics);
  const refused = refusedAccess(access);
  if (refused !== undefined) throw refused;
  const changes = hasChanges(topics.plan) || hasSchemaChanges(schemas) || hasAccessChanges(access);
  return options.detailedExitcode === true && changes ? ExitCode.changes : ExitCode.ok;
};
