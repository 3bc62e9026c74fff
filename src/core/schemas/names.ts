import type { AvroName } from './model.js';

const SPEC_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Avro Java's Character.isLetter / isLetterOrDigit rule, wider than the specification. */
const JAVA_NAME = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

export interface NameProblem {
  /** error: Avro Java refuses it; warning: Java accepts it but the specification does not. */
  severity: 'error' | 'warning';
  message: string;
}

/**
 * Checks one simple name (a record, field, enum symbol or one namespace part)
 * against the specification's [A-Za-z_][A-Za-z0-9_]*.
 */
export function checkSimpleName(name: string, what: string, within?: string): NameProblem | undefined {
  if (SPEC_NAME.test(name)) return undefined;
  const subject = `${what} "${name}"${within === undefined ? '' : ` in "${within}"`}`;
  if (name === '') return { severity: 'error', message: `${what}${within === undefined ? '' : ` in "${within}"`} is empty` };
  if (JAVA_NAME.test(name)) {
    return {
      severity: 'warning',
      message: `${subject} is not portable: the Avro specification allows only [A-Za-z_][A-Za-z0-9_]* (Avro Java accepts it, other clients may not)`,
    };
  }
  const first = name[0] ?? '';
  const reason = /[A-Za-z_]/.test(first)
    ? 'it may contain only letters, digits and underscores'
    : 'it must start with a letter or an underscore';
  return { severity: 'error', message: `${subject} is invalid: ${reason}` };
}

/** Problems in a full name: the name itself, then each part of its namespace. */
export function checkFullName(name: AvroName, what: string): { part: 'name' | 'namespace'; problem: NameProblem }[] {
  const problems: { part: 'name' | 'namespace'; problem: NameProblem }[] = [];
  const nameProblem = checkSimpleName(name.name, what);
  if (nameProblem) problems.push({ part: 'name', problem: nameProblem });
  for (const segment of name.namespace?.split('.') ?? []) {
    const problem = checkSimpleName(segment, 'namespace part', name.fullName);
    if (problem) problems.push({ part: 'namespace', problem });
  }
  return problems;
}

/**
 * Avro's name resolution: a dotted name carries its own namespace; otherwise
 * the explicit namespace, else the enclosing one, applies. "" means none.
 */
export function makeName(written: string, namespace: string | undefined): AvroName {
  const lastDot = written.lastIndexOf('.');
  const space = lastDot >= 0 ? written.slice(0, lastDot) : namespace;
  const name = lastDot >= 0 ? written.slice(lastDot + 1) : written;
  const normalizedSpace = space === '' ? undefined : space;
  return {
    name,
    namespace: normalizedSpace,
    fullName: normalizedSpace === undefined ? name : `${normalizedSpace}.${name}`,
  };
}

/** Full name a reference resolves to first; Avro then tries the name as written. */
export function referenceCandidates(written: string, namespace: string | undefined): string[] {
  if (namespace !== undefined && !written.includes('.')) return [`${namespace}.${written}`, written];
  return [written];
}
