import type { CommandRun } from '../../cli/spec.js';
import { hasAccessChanges } from '../../core/access/index.js';
import { ExitCode, OperationError } from '../../core/errors.js';
import { hasSchemaChanges } from '../../core/schemas/index.js';
import { hasChanges } from '../../core/topics/index.js';
import { renderProjectPlan } from '../../render/projectPlan.js';
import { planAccess, refusedAccess } from '../access/planning.js';
import { buildSchemaPlan, schemaUnappliable } from '../schema/plan.js';
import { subjectStrategy } from '../schema/shared.js';
import { desiredState } from '../topics/desired.js';
import { planAgainstCluster } from '../topics/planning.js';
import { unappliable } from '../topics/plan.js';

/**
 * `iotmsg plan`: the topics, schema and access plans of one environment, asked in parallel.
 * Exits 1 when any part has anything blocked or refused, like `topics plan` and `schema plan`:
 * a pipeline gating on 2 must never let a blocked change through.
 */
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
  const problems = [topics.plan.appliable ? undefined : unappliable(topics), schemaUnappliable(schemas), refusedAccess(access)].filter((p): p is OperationError => p !== undefined);
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) throw new OperationError(problems.map((p) => p.message).join('; '), { hint: 'see the "!" and "blocked:" lines of the plan for the reason and what to do' });
  const changes = hasChanges(topics.plan) || hasSchemaChanges(schemas) || hasAccessChanges(access);
  return options.detailedExitcode === true && changes ? ExitCode.changes : ExitCode.ok;
};
