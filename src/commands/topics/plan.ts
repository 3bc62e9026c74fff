import { writeFile } from 'node:fs/promises';
import type { CommandRun } from '../../cli/spec.js';
import { ExitCode, OperationError } from '../../core/errors.js';
import { hasChanges, type PlanDocument } from '../../core/topics/index.js';
import { renderPlan } from '../../render/plan.js';
import { desiredState } from './desired.js';
import { planAgainstCluster } from './planning.js';

/** Why apply would refuse this plan (blocked or refused changes), as one error. */
export function unappliable(document: PlanDocument): OperationError {
  const { blocked, rejected } = document.plan.summary;
  const problems = [blocked > 0 ? `${blocked} blocked change(s)` : '', rejected > 0 ? `${rejected} change(s) refused by the broker` : ''].filter(Boolean).join(' and ');
  return new OperationError(`the plan cannot be applied: ${problems}`, { hint: 'see the "!" lines of the plan for the reason and what to do' });
}

export const run: CommandRun = async (ctx, _args, options) => {
  const desired = await desiredState(ctx);
  const admin = await ctx.admin();
  const { document } = await planAgainstCluster(ctx, admin, desired, options.prune === true);
  await ctx.out.result(document, renderPlan);
  if (!document.plan.appliable) throw unappliable(document);
  if (typeof options.out === 'string') {
    try {
      await writeFile(options.out, `${JSON.stringify(document, null, 2)}\n`);
    } catch (error) {
      throw new OperationError(`cannot write the plan to ${options.out}: ${(error as Error).message}`, { cause: error });
    }
    ctx.out.success(`saved the plan to ${options.out}; apply exactly this plan with "iotmsg topics apply ${options.out}"`);
  }
  if (options.detailedExitcode === true && hasChanges(document.plan)) return ExitCode.changes;
  return ExitCode.ok;
};
