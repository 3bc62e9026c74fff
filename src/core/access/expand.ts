/**
 * Roles → the smallest set of ACL bindings a Java, librdkafka or KafkaJS client
 * needs on Kafka 3.x/4.x. Kafka's authorizer lets READ, WRITE, DELETE and ALTER
 * imply DESCRIBE, so metadata, ListOffsets, FindCoordinator and OffsetFetch need
 * no binding of their own. Idempotent producers (the Java default since 3.0) need
 * no IDEMPOTENT_WRITE on the cluster since Kafka 2.8: WRITE on a topic authorises
 * InitProducerId (KIP-679).
 */
import {
  ANY_HOST,
  bindingKey,
  WILDCARD,
  type AccessSection,
  type DeclaredBinding,
  type PrincipalAccess,
  type ResourceRef,
} from './model.js';

/** A DLQ sibling is `<topic>.dlq` or `<topic>.dlq.<reason>`: one prefixed binding covers them all. */
export const dlqPrefix = (topic: string): string => `${topic}.dlq`;

/** The file's principals with an environment's additions and drops applied (file order, additions last). */
export function resolveAccess(base: AccessSection, environment: AccessSection | undefined): PrincipalAccess[] {
  const byPrincipal = new Map(base.principals.map((p) => [p.principal, p]));
  for (const drop of environment?.dropped ?? []) byPrincipal.delete(drop.principal);
  for (const extra of environment?.principals ?? []) {
    const current = byPrincipal.get(extra.principal);
    byPrincipal.set(extra.principal, current === undefined ? extra : merge(current, extra));
  }
  return [...byPrincipal.values()];
}

function merge(a: PrincipalAccess, b: PrincipalAccess): PrincipalAccess {
  const refs = (x: readonly ResourceRef[], y: readonly ResourceRef[]): ResourceRef[] => [...x, ...y.filter((r) => !x.some((s) => s.text === r.text))];
  const consumes =
    a.consumes === undefined || b.consumes === undefined
      ? (a.consumes ?? b.consumes)
      : { topics: refs(a.consumes.topics, b.consumes.topics), groups: refs(a.consumes.groups, b.consumes.groups), dlq: a.consumes.dlq || b.consumes.dlq, source: a.consumes.source };
  return { principal: a.principal, produces: refs(a.produces, b.produces), consumes, acls: [...a.acls, ...b.acls], source: a.source };
}

/** Every binding the principals stand for, in file order; duplicates are kept (validation reports them). */
export function expandAccess(principals: readonly PrincipalAccess[]): DeclaredBinding[] {
  const bindings: DeclaredBinding[] = [];
  for (const { principal, produces, consumes, acls } of principals) {
    const allow = { principal, host: ANY_HOST, permission: 'allow' } as const;
    for (const ref of produces) {
      bindings.push({ ...allow, resourceType: 'topic', resourceName: ref.name, patternType: ref.patternType, operation: 'WRITE', origin: `produces ${ref.text}`, source: ref.source });
    }
    for (const ref of consumes?.topics ?? []) {
      bindings.push({ ...allow, resourceType: 'topic', resourceName: ref.name, patternType: ref.patternType, operation: 'READ', origin: `consumes ${ref.text}`, source: ref.source });
    }
    for (const ref of consumes?.groups ?? []) {
      bindings.push({ ...allow, resourceType: 'group', resourceName: ref.name, patternType: ref.patternType, operation: 'READ', origin: `consumes in group ${ref.text}`, source: ref.source });
    }
    if (consumes?.dlq === true) {
      for (const ref of consumes.topics.filter(isLiteralTopic)) {
        bindings.push({ ...allow, resourceType: 'topic', resourceName: dlqPrefix(ref.name), patternType: 'prefixed', operation: 'WRITE', origin: `writes the dlq of ${ref.text}`, source: ref.source });
      }
    }
    acls.forEach((entry, index) => {
      for (const { operation, source } of entry.operations) {
        bindings.push({
          principal,
          host: entry.host,
          permission: entry.permission,
          resourceType: entry.resourceType,
          resourceName: entry.resourceName,
          patternType: entry.patternType,
          operation,
          origin: `acl #${index + 1}`,
          source,
        });
      }
    });
  }
  return bindings;
}

/** A single named topic (not a prefix, not `*`): the only kind whose DLQ siblings a role can name. */
export function isLiteralTopic(ref: ResourceRef): boolean {
  return ref.patternType === 'literal' && ref.name !== WILDCARD;
}

/** The first declaration of each binding (what a plan compares with the cluster). */
export function uniqueBindings(bindings: readonly DeclaredBinding[]): DeclaredBinding[] {
  const seen = new Set<string>();
  return bindings.filter((b) => {
    const key = bindingKey(b);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
