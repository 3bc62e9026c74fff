import type { CommandRun } from '../../cli/spec.js';
import { ExitCode, OperationError } from '../../core/errors.js';
import { hasSchemaChanges } from '../../core/schemas/index.js';
import { hasChanges } from '../../core/topics/index.js';
import { renderProjectPlan } from '../../render/projectPlan.js';
import { buildSchemaPlan, schemaUnappliable } from '../schema/plan.js';
import { subjectStrategy } from '../schema/shared.js';
import { desiredState } from '../topics/desired.js';
import { planAgainstCluster } from '../topics/planning.js';
import { unappliable } from '../topics/plan.js';

/**
 * `iotmsg plan`: the topics plan and the schema plan of one environment, asked in parallel.
 * Exits 1 when either half has anything blocked or refused, like `topics plan` and `schema plan`:
 * a pipeline gating on 2 must never let a blocked change through.
 */
export const run: CommandRun = async (ctx, _args, options) => {
  const desired = await desiredState(ctx);
  const admin = await ctx.admin();
  const [{ document: topics }, { plan: schemas }] = await Promise.all([
    planAgainstCluster(ctx, admin, desired, options.prune === true),
    buildSchemaPlan(ctx, desired.environment, subjectStrategy(options)),
  ]);
  await ctx.out.result({ topics, schemas }, renderProjectPlan);
  const problems = [topics.plan.appliable ? undefined : unappliable(topics), schemaUnappliable(schemas)].filter((p): p is OperationError => p !== undefined);
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) throw new OperationError(problems.map((p) => p.message).join('; '), { hint: 'see the "!" and "blocked:" lines of the plan for the reason and what to do' });
  const changes = hasChanges(topics.plan) || hasSchemaChanges(schemas);
  return options.detailedExitcode === true && changes ? ExitCode.changes : ExitCode.ok;
};
