/**
 * A candidate schema judged against a whole history (older files, git revisions,
 * registered versions), as the Confluent registry judges a new version: the
 * *_TRANSITIVE levels against every version, the others against the newest only.
 * Each version is judged on its own, so the result names every version that
 * breaks, not only the first one the registry would stop at.
 */
import { checkCompatibility, type CompatibilityLevel, type Incompatibility } from './compatibility.js';
import type { AvroSchema } from './model.js';
import { canonicalForm } from './serialize.js';

export interface HistoryVersion {
  /** How the output names the version, e.g. "schemas/old.avsc", "HEAD~2 (3f2a1c0)" or "registry version 3". */
  label: string;
  schema: AvroSchema;
}

export type HistoryIncompatibility = Omit<Incompatibility, 'previousIndex'> & { against: string };

export interface HistoryCheck {
  level: CompatibilityLevel;
  compatible: boolean;
  /** Every version given, oldest first. */
  history: string[];
  /** The versions the level compares with, newest first (the registry's order). */
  checked: string[];
  /** The checked versions the candidate is incompatible with, newest first. */
  broke: string[];
  incompatibilities: HistoryIncompatibility[];
}

/** Which of `history` (oldest first) a level compares a new version with, newest first. */
export function comparedVersions<T>(level: CompatibilityLevel, history: readonly T[]): T[] {
  if (level === 'NONE' || history.length === 0) return [];
  return level.endsWith('_TRANSITIVE') ? [...history].reverse() : [history.at(-1)!];
}

/** `candidate` against `history` (oldest first) at `level`. */
export function checkAgainstHistory(candidate: AvroSchema, history: readonly HistoryVersion[], level: CompatibilityLevel): HistoryCheck {
  const pairLevel = level.replace(/_TRANSITIVE$/, '') as CompatibilityLevel;
  const checked = comparedVersions(level, history);
  const incompatibilities = checked.flatMap((version) =>
    checkCompatibility(candidate, [version.schema], pairLevel).incompatibilities.map(({ previousIndex: _, ...found }) => ({ ...found, against: version.label })),
  );
  const broke = checked.filter((v) => incompatibilities.some((i) => i.against === v.label)).map((v) => v.label);
  return { level, compatible: broke.length === 0, history: history.map((v) => v.label), checked: checked.map((v) => v.label), broke, incompatibilities };
}

/**
 * A history with identical versions (same canonical form) once, each where it last
 * occurs: a schema reverted to an older form is the newest version, as it is in git.
 */
export function distinctVersions<T extends { schema: AvroSchema }>(versions: readonly T[]): T[] {
  const forms = versions.map((v) => canonicalForm(v.schema));
  return versions.filter((_, index) => forms.indexOf(forms[index]!, index + 1) === -1);
}
