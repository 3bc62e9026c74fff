import { AclAdmin } from '../../adapters/kafka/acls.js';
import type { CommandContext } from '../../cli/context.js';
import { computeAccessPlan, declaredAccess, type AccessPlan } from '../../core/access/index.js';
import { InterruptedError, OperationError } from '../../core/errors.js';
import type { AccessReport } from '../../render/accessPlan.js';

export interface PlannedAccess {
  plan: AccessPlan;
  acls: AclAdmin;
}

/** topics.yaml's access for the selected environment against the cluster's ACLs (one DescribeAcls). */
export async function planAccess(ctx: CommandContext, prune: boolean): Promise<PlannedAccess> {
  const project = await ctx.requireProject();
  const { settings } = await ctx.settings();
  // The same unknown-environment error every project command gives.
  const environment = settings.env === undefined ? undefined : project.environment(settings.env).name;
  const superUsers = environment === undefined ? [] : (project.project.environments[environment]?.superUsers ?? []);
  const declared = declaredAccess(project.project, environment);
  const acls = new AclAdmin(await ctx.kafka());
  const observed = await acls.observe();
  const applyingPrincipal = settings.sasl === undefined ? undefined : `User:${settings.sasl.username}`;
  return { plan: computeAccessPlan(declared, observed, { prune, applyingPrincipal, superUsers }), acls };
}

export function refusedAccess(plan: AccessPlan): OperationError | undefined {
  if (plan.refusal === undefined) return undefined;
  return new OperationError(`refusing the access plan: ${plan.refusal}`, { hint: 'keep a binding that grants it ALTER on the cluster, or apply as a super user' });
}

/** Grants first, removals last, one request each; Ctrl-C between the two stops before removing anything. */
export async function executeAccessPlan(ctx: CommandContext, acls: AclAdmin, plan: AccessPlan): Promise<AccessReport> {
  const signal = ctx.interruptSignal();
  const started = Date.now();
  if (plan.create.length > 0) {
    await acls.create(plan.create);
    ctx.out.success(`created ${plan.create.length} ACL binding(s)`);
  }
  if (plan.delete.length > 0) {
    if (signal.aborted) {
      throw new InterruptedError(`interrupted after creating ${plan.create.length} ACL binding(s); not done: delete ${plan.delete.length}`, { hint: 'run "iotmsg access apply --prune" to finish' });
    }
    await acls.delete(plan.delete);
    ctx.out.success(`deleted ${plan.delete.length} ACL binding(s)`);
  }
  return { created: plan.create.length, deleted: plan.delete.length, elapsedMs: Date.now() - started };
}
