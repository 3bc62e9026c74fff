/** Offline checks of the access section that need the whole file: topics it names, duplicates, dead allows. */
import { didYouMean } from '../topics/didYouMean.js';
import type { Position } from '../topics/model.js';
import { dlqPrefix, expandAccess, isLiteralTopic, resolveAccess } from './expand.js';
import { bindingKey, describeBinding, WILDCARD, type AccessSection, type AclBinding, type DeclaredBinding, type PrincipalAccess, type ResourceRef } from './model.js';

/** What validation reports through (the YAML reader in load.ts). */
export interface AccessReporter {
  report(severity: 'error' | 'warning', at: Position, code: string, message: string, hint?: string): void;
}

/** Whether `outer`'s resource pattern covers every resource `inner`'s does. */
export function patternCovers(outer: Pick<AclBinding, 'resourceName' | 'patternType'>, inner: Pick<AclBinding, 'resourceName' | 'patternType'>): boolean {
  if (outer.patternType === 'literal') return outer.resourceName === WILDCARD || (inner.patternType === 'literal' && inner.resourceName === outer.resourceName);
  return inner.resourceName !== WILDCARD && inner.resourceName.startsWith(outer.resourceName);
}

/** Whether a deny binding takes away everything an allow binding grants. */
export function shadows(deny: AclBinding, allow: AclBinding): boolean {
  return (
    deny.permission === 'deny' &&
    allow.permission === 'allow' &&
    deny.resourceType === allow.resourceType &&
    (deny.principal === allow.principal || deny.principal === 'User:*') &&
    (deny.host === allow.host || deny.host === '*') &&
    (deny.operation === allow.operation || deny.operation === 'ALL') &&
    patternCovers(deny, allow)
  );
}

/**
 * Checks the file's access section and each environment's view of it against the
 * declared topic names (DLQ siblings included). A problem seen in several
 * environments is reported once.
 */
export function checkAccess(reporter: AccessReporter, base: AccessSection, environments: readonly AccessSection[], topicNames: readonly string[]): void {
  const seen = new Set<string>();
  const once: AccessReporter = {
    report(severity, at, code, message, hint) {
      const key = `${at.line}:${at.column}:${code}:${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      reporter.report(severity, at, code, message, hint);
    },
  };
  const names = new Set(topicNames);
  const prefixes = prefixCandidates(topicNames);
  const sorted = [...topicNames].sort();
  // A binary search instead of a scan per reference: files declare thousands of topics and principals.
  const anyStartsWith = (prefix: string): boolean => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (sorted[middle]! < prefix) low = middle + 1;
      else high = middle;
    }
    return low < sorted.length && sorted[low]!.startsWith(prefix);
  };
  const sections = [base, ...environments];
  for (const section of sections) {
    for (const principal of section.principals) checkTopicRefs(once, principal, { names, prefixes, topicNames, anyStartsWith });
  }
  for (const environment of [undefined, ...environments]) {
    checkBindings(once, resolveAccess(base, environment));
  }
}

/** Every prefix of a declared name that ends after a separator, as a `prefix*` a user would write. */
function prefixCandidates(topicNames: readonly string[]): string[] {
  const candidates = new Set<string>();
  for (const name of topicNames) {
    for (let i = 0; i < name.length; i++) if ('.-_'.includes(name.charAt(i))) candidates.add(`${name.slice(0, i + 1)}*`);
  }
  return [...candidates];
}

interface DeclaredTopics {
  names: ReadonlySet<string>;
  /** `prefix*` candidates for did-you-mean. */
  prefixes: readonly string[];
  topicNames: readonly string[];
  anyStartsWith(prefix: string): boolean;
}

function checkTopicRefs(reporter: AccessReporter, principal: PrincipalAccess, declared: DeclaredTopics): void {
  const { names, prefixes, topicNames, anyStartsWith } = declared;
  const check = (ref: ResourceRef, role: string): void => {
    if (ref.name === WILDCARD && ref.patternType === 'literal') return;
    if (ref.patternType === 'literal') {
      if (!names.has(ref.name)) reporter.report('error', ref.source, 'unknown-topic', `${principal.principal} ${role} unknown topic "${ref.name}"`, didYouMean(ref.name, topicNames) ?? 'declare it under "topics", or write a prefix as "name*"');
    } else if (!anyStartsWith(ref.name)) {
      reporter.report('error', ref.source, 'unmatched-prefix', `${principal.principal} ${role} "${ref.text}", a prefix that matches no declared topic`, didYouMean(ref.text, prefixes));
    }
  };
  for (const ref of principal.produces) check(ref, 'produces');
  const consumes = principal.consumes;
  for (const ref of consumes?.topics ?? []) check(ref, 'consumes');
  if (consumes?.dlq === true) {
    for (const ref of consumes.topics) {
      if (!isLiteralTopic(ref)) {
        reporter.report('error', ref.source, 'dlq-needs-topic', `"dlq: true" of ${principal.principal} needs named topics, "${ref.text}" is a prefix`, 'name the topics whose DLQs it writes, or grant WRITE with an acl entry');
      } else if (names.has(ref.name) && !anyStartsWith(dlqPrefix(ref.name))) {
        reporter.report('warning', ref.source, 'no-dlq-siblings', `${principal.principal} may write the DLQs of "${ref.name}", which has none declared`, 'set "dlq: true" on the topic');
      }
    }
  }
  for (const entry of principal.acls) {
    if (entry.resourceType !== 'topic' || entry.resourceName === WILDCARD) continue;
    const matches = entry.patternType === 'literal' ? names.has(entry.resourceName) : anyStartsWith(entry.resourceName);
    if (!matches) reporter.report('warning', entry.source, 'unknown-topic', `an acl of ${principal.principal} names topic ${entry.patternType === 'prefixed' ? 'prefix ' : ''}"${entry.resourceName}", which the file does not declare`, didYouMean(entry.resourceName, topicNames));
  }
}

/** Duplicates and deny bindings that cancel an allow of the same file. */
function checkBindings(reporter: AccessReporter, principals: readonly PrincipalAccess[]): void {
  const bindings = expandAccess(principals);
  const first = new Map<string, DeclaredBinding>();
  for (const binding of bindings) {
    const key = bindingKey(binding);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, binding);
    else reporter.report('error', binding.source, 'duplicate-acl', `duplicate ACL: ${describeBinding(binding)} (${binding.origin}) is already granted by ${earlier.origin} at line ${earlier.source.line}`);
  }
  const unique = [...first.values()];
  const denies = unique.filter((b) => b.permission === 'deny');
  for (const allow of unique) {
    if (allow.permission !== 'allow') continue;
    const deny = denies.find((d) => shadows(d, allow));
    if (deny !== undefined) {
      reporter.report('error', deny.source, 'deny-shadows-allow', `${describeBinding(deny)} cancels ${describeBinding(allow)} (${allow.origin}, line ${allow.source.line})`, 'Kafka lets a deny win over any allow: drop one of them');
    }
  }
}
