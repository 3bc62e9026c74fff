/**
 * (declared bindings, the cluster's bindings, whether it enforces ACLs) → what
 * apply would create and delete. A plan is data; nothing here prints.
 */
import { uniqueBindings } from './expand.js';
import { bindingKey, CLUSTER_RESOURCE, describeBinding, type AclBinding, type DeclaredBinding } from './model.js';

/** What the cluster reports. `enforced: false`: the brokers run without an authorizer. */
export type ObservedAccess = { enforced: false } | { enforced: true; bindings: AclBinding[] };

export interface AccessPlanOptions {
  /** Delete bindings the file does not declare (never a super user's). */
  prune: boolean;
  /** The principal apply runs as (`User:<sasl user>`), when known. */
  applyingPrincipal: string | undefined;
  /** The brokers' super.users, as the environment declares them (Kafka does not report them). */
  superUsers: readonly string[];
}

export interface PlannedBinding extends DeclaredBinding {
  status: 'present' | 'create';
}

export interface AccessPlan {
  /** false: "not enforced here", nothing to apply. */
  enforced: boolean;
  /** Every declared binding, with whether the cluster has it. */
  declared: PlannedBinding[];
  create: DeclaredBinding[];
  delete: AclBinding[];
  /** On the cluster, not in the file, and kept (no --prune, or a super user's). */
  unmanaged: AclBinding[];
  superUsers: string[];
  /** Why apply must not run this plan, e.g. it would lock the applying principal out. */
  refusal: string | undefined;
}

/** Kafka's principal for super.users entries and the wildcard principal. */
const WILDCARD_PRINCIPAL = 'User:*';

export function computeAccessPlan(declared: readonly DeclaredBinding[], observed: ObservedAccess, options: AccessPlanOptions): AccessPlan {
  const unique = uniqueBindings(declared);
  if (!observed.enforced) {
    return { enforced: false, declared: unique.map((b) => ({ ...b, status: 'create' })), create: [], delete: [], unmanaged: [], superUsers: [], refusal: undefined };
  }
  const present = new Set(observed.bindings.map(bindingKey));
  const wanted = new Set(unique.map(bindingKey));
  const planned: PlannedBinding[] = unique.map((b) => ({ ...b, status: present.has(bindingKey(b)) ? 'present' : 'create' }));
  const superUsers = new Set(options.superUsers);
  const extra = observed.bindings.filter((b) => !wanted.has(bindingKey(b)));
  const deletable = (b: AclBinding): boolean => options.prune && !superUsers.has(b.principal);
  const plan: AccessPlan = {
    enforced: true,
    declared: planned,
    create: planned.filter((b) => b.status === 'create').map(({ status: _status, ...b }) => b),
    delete: extra.filter(deletable),
    unmanaged: extra.filter((b) => !deletable(b)),
    superUsers: [...options.superUsers],
    refusal: undefined,
  };
  plan.refusal = lockOut(plan, observed.bindings, options.applyingPrincipal, superUsers);
  return plan;
}

export function hasAccessChanges(plan: AccessPlan): boolean {
  return plan.create.length > 0 || plan.delete.length > 0;
}

/** Whether `principal` may alter ACLs (ALTER on the cluster) under these bindings. */
function mayAlterAcls(bindings: readonly AclBinding[], principal: string): boolean {
  const applies = (b: AclBinding): boolean =>
    (b.principal === principal || b.principal === WILDCARD_PRINCIPAL) &&
    b.resourceType === 'cluster' &&
    b.resourceName === CLUSTER_RESOURCE &&
    b.host === '*' &&
    (b.operation === 'ALTER' || b.operation === 'ALL');
  return bindings.some((b) => applies(b) && b.permission === 'allow') && !bindings.some((b) => applies(b) && b.permission === 'deny');
}

/** The plan must not take away the right the applying principal needs to change ACLs again. */
function lockOut(plan: AccessPlan, observed: readonly AclBinding[], principal: string | undefined, superUsers: ReadonlySet<string>): string | undefined {
  if (principal === undefined || superUsers.has(principal) || !mayAlterAcls(observed, principal)) return undefined;
  const deleted = new Set(plan.delete.map(bindingKey));
  const after = [...observed.filter((b) => !deleted.has(bindingKey(b))), ...plan.create];
  if (mayAlterAcls(after, principal)) return undefined;
  const cause = [...plan.delete.filter((b) => b.resourceType === 'cluster'), ...plan.create.filter((b) => b.permission === 'deny' && b.resourceType === 'cluster')][0];
  const by = cause === undefined ? '' : ` (${plan.delete.includes(cause) ? 'deleting' : 'adding'} ${describeBinding(cause)})`;
  return `it would take ${principal}'s ALTER on the cluster, the right to change ACLs, from the principal applying it${by}`;
}
