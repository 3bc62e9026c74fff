import type { CommandRun } from '../../cli/spec.js';
import { hasAccessChanges } from '../../core/access/index.js';
import { ExitCode } from '../../core/errors.js';
import { renderAccessPlan } from '../../render/accessPlan.js';
import { planAccess, refusedAccess } from './planning.js';

/** `access plan`: each principal's roles, the bindings they expand to, and what the cluster has besides. */
export const run: CommandRun = async (ctx, _args, options) => {
  const { plan } = await planAccess(ctx, options.prune === true);
  await ctx.out.result(plan, renderAccessPlan);
  const refused = refusedAccess(plan);
  if (refused !== undefined) throw refused;
  return options.detailedExitcode === true && hasAccessChanges(plan) ? ExitCode.changes : ExitCode.ok;
};
