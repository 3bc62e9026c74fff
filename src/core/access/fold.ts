/**
 * The cluster's bindings as an `access` section (for `topics export`): folded
 * back into roles where they match a role's expansion exactly, raw entries for
 * the rest, so loading and planning the result shows no changes.
 */
import { compareNames } from '../topics/plan.js';
import { dlqPrefix } from './expand.js';
import { ANY_HOST, bindingKey, CLUSTER_RESOURCE, WILDCARD, type AclBinding } from './model.js';

export interface ExportedAcl {
  resource: AclBinding['resourceType'];
  name?: string;
  pattern?: 'prefixed';
  operations: string[];
  permission?: 'deny';
  host?: string;
}

export interface ExportedPrincipal {
  produces?: string[];
  consumes?: { topics: string[]; groups?: string[]; dlq?: true };
  acls?: ExportedAcl[];
}

/** How a role names a resource: `name`, `prefix*` or `*`. */
const refText = (b: AclBinding): string => (b.patternType === 'prefixed' ? `${b.resourceName}*` : b.resourceName);

/**
 * `topicNames`: the topics the exported file declares; a role may only name
 * those (validation refuses others), so bindings on other topics stay raw.
 */
export function foldAccess(bindings: readonly AclBinding[], topicNames: readonly string[]): Record<string, ExportedPrincipal> {
  const names = new Set(topicNames);
  const known = (b: AclBinding): boolean =>
    b.patternType === 'literal' ? b.resourceName === WILDCARD || names.has(b.resourceName) : b.resourceName !== WILDCARD && topicNames.some((n) => n.startsWith(b.resourceName));
  const byPrincipal = new Map<string, AclBinding[]>();
  for (const b of bindings) byPrincipal.set(b.principal, [...(byPrincipal.get(b.principal) ?? []), b]);

  const section: Record<string, ExportedPrincipal> = {};
  for (const principal of [...byPrincipal.keys()].sort(compareNames)) {
    const own = byPrincipal.get(principal) ?? [];
    const left = new Map(own.map((b) => [bindingKey(b), b]));
    const take = (b: AclBinding): void => void left.delete(bindingKey(b));
    const roleGrant = (b: AclBinding, type: AclBinding['resourceType'], operation: AclBinding['operation']): boolean =>
      b.permission === 'allow' && b.host === ANY_HOST && b.resourceType === type && b.operation === operation;
    const entry: ExportedPrincipal = {};

    const reads = own.filter((b) => roleGrant(b, 'topic', 'READ') && known(b)).sort(byName);
    if (reads.length > 0) {
      const groups = own.filter((b) => roleGrant(b, 'group', 'READ')).sort(byName);
      const consumes: NonNullable<ExportedPrincipal['consumes']> = { topics: reads.map(refText) };
      if (groups.length > 0) consumes.groups = groups.map(refText);
      [...reads, ...groups].forEach(take);
      const dlqWrites = reads.map((r) => own.find((b) => roleGrant(b, 'topic', 'WRITE') && b.patternType === 'prefixed' && b.resourceName === dlqPrefix(r.resourceName)));
      const literal = reads.every((r) => r.patternType === 'literal' && r.resourceName !== WILDCARD);
      if (literal && dlqWrites.every((b) => b !== undefined)) {
        consumes.dlq = true;
        dlqWrites.forEach((b) => b !== undefined && take(b));
      }
      entry.consumes = consumes;
    }
    const writes = [...left.values()].filter((b) => roleGrant(b, 'topic', 'WRITE') && known(b)).sort(byName);
    if (writes.length > 0) {
      entry.produces = writes.map(refText);
      writes.forEach(take);
    }
    const acls = rawEntries([...left.values()]);
    if (acls.length > 0) entry.acls = acls;
    section[principal] = entry;
  }
  return section;
}

function byName(a: AclBinding, b: AclBinding): number {
  return compareNames(refText(a), refText(b));
}

/** One entry per resource, permission and host, with its operations. */
function rawEntries(bindings: readonly AclBinding[]): ExportedAcl[] {
  const entries = new Map<string, ExportedAcl>();
  const sorted = [...bindings].sort((a, b) => compareNames(a.resourceType, b.resourceType) || byName(a, b) || compareNames(a.permission, b.permission) || compareNames(a.host, b.host));
  for (const b of sorted) {
    const key = [b.resourceType, b.patternType, b.resourceName, b.permission, b.host].join('\u0000');
    const existing = entries.get(key);
    if (existing !== undefined) {
      existing.operations.push(b.operation);
      continue;
    }
    const entry: ExportedAcl = { resource: b.resourceType, operations: [b.operation] };
    if (!(b.resourceType === 'cluster' && b.resourceName === CLUSTER_RESOURCE)) entry.name = b.resourceName;
    if (b.patternType === 'prefixed') entry.pattern = 'prefixed';
    if (b.permission === 'deny') entry.permission = 'deny';
    if (b.host !== ANY_HOST) entry.host = b.host;
    entries.set(key, entry);
  }
  return [...entries.values()];
}
