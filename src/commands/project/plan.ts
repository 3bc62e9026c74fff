import type { CommandRun } from '../../cli/spec.js';
import { ExitCode } from '../../core/errors.js';
import { hasSchemaChanges } from '../../core/schemas/index.js';
import { hasChanges } from '../../core/topics/index.js';
import { renderProjectPlan } from '../../render/projectPlan.js';
import { buildSchemaPlan } from '../schema/plan.js';
import { subjectStrategy } from '../schema/shared.js';
import { desiredState } from '../topics/desired.js';
import { planAgainstCluster } from '../topics/planning.js';
import { unappliable } from '../topics/plan.js';

/** `iotmsg plan`: the topics plan and the schema plan of one environment, asked in parallel. */
export const run: CommandRun = async (ctx, _args, options) => {
  const desired = await desiredState(ctx);
  const admin = await ctx.admin();
  const [{ document: topics }, { plan: schemas }] = await Promise.all([
    planAgainstCluster(ctx, admin, desired, options.prune === true),
    buildSchemaPlan(ctx, desired.environment, subjectStrategy(options)),
  ]);
  await ctx.out.result({ topics, schemas }, renderProjectPlan);
  if (!topics.plan.appliable) throw unappliable(topics);
  const changes = hasChanges(topics.plan) || hasSchemaChanges(schemas);
  return options.detailedExitcode === true && changes ? ExitCode.changes : ExitCode.ok;
};
