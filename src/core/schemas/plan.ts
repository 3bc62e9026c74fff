/**
 * Desired subjects vs what the registry holds, as data: register a new subject,
 * add a version, change a level, or nothing. A new version the level would refuse
 * is in the plan, blocked, with the offline checker's reasons. Nothing here prints.
 */
import { checkCompatibility, type CompatibilityLevel, type Incompatibility } from './compatibility.js';
import { comparedVersions } from './history.js';
import type { AvroSchema } from './model.js';
import type { DesiredSubject, SubjectNameStrategy, SubjectUse } from './subjects.js';

/** What the registry says about one desired subject. */
export interface ObservedSubject {
  /** Versions of the subject, oldest first; empty when it does not exist, or when the schema is registered (not needed then). */
  versions: number[];
  /** The subject's own level; undefined when it has none (the global level applies). */
  level: CompatibilityLevel | undefined;
  /** The version that already holds the desired schema, if one does. */
  registered: { version: number; id: number } | undefined;
  /** The stored versions a new version is compared with (see versionsToCompare), oldest first. */
  compared: { version: number; schema: AvroSchema }[];
}

export type SubjectAction = 'register' | 'new-version' | 'unchanged' | 'missing';

export interface LevelChange {
  /** null: the subject has no level of its own (the global one applies). */
  from: CompatibilityLevel | null;
  to: CompatibilityLevel;
}

export interface OfflineVerdict {
  level: CompatibilityLevel;
  compatible: boolean;
  /** The registry versions the schema was compared with, newest first as the registry checks them. */
  against: number[];
  incompatibilities: Incompatibility[];
}

export interface SubjectChange {
  subject: string;
  action: SubjectAction;
  uses: SubjectUse[];
  file: string | undefined;
  /** Set when the subject's level must change. */
  levelChange: LevelChange | undefined;
  /** unchanged: the version (and id) that holds the schema. */
  version?: number;
  id?: number;
  latestVersion?: number;
  /** new-version: how the offline checker judges it at the level it will have. */
  verdict?: OfflineVerdict;
  /** Present when applying this change would fail. */
  blocked?: { reason: string; remedy: string };
}

export interface SchemaPlanSummary {
  register: number;
  newVersion: number;
  levelChange: number;
  unchanged: number;
  blocked: number;
}

export interface SchemaPlan {
  formatVersion: 1;
  strategy: SubjectNameStrategy;
  subjects: SubjectChange[];
  summary: SchemaPlanSummary;
  /** False when any change is blocked. */
  appliable: boolean;
}

/** Which stored versions a level compares a new version with: the latest, all of them, or none. */
export function versionsToCompare(level: CompatibilityLevel | undefined, versions: readonly number[]): number[] {
  return comparedVersions(level ?? 'BACKWARD', versions).reverse();
}

/** Anything but an unchanged subject at the right level; a missing subject counts, as the registry differs from the file. */
export function changesPending(change: SubjectChange): boolean {
  return change.action !== 'unchanged' || change.levelChange !== undefined;
}

export function hasSchemaChanges(plan: SchemaPlan): boolean {
  return plan.subjects.some(changesPending);
}

function subjectChange(desired: DesiredSubject, observed: ObservedSubject): SubjectChange {
  const { subject, uses, file } = desired;
  const latestVersion = observed.versions.at(-1);
  const levelChange = desired.level !== undefined && desired.level !== observed.level ? { from: observed.level ?? null, to: desired.level } : undefined;
  const base = { subject, uses, file, levelChange, ...(latestVersion === undefined ? {} : { latestVersion }) };

  if (!desired.schema) {
    if (latestVersion !== undefined) return { ...base, action: 'unchanged' };
    return {
      ...base,
      action: 'missing',
      blocked: {
        reason: `topics.yaml refers to subject "${subject}", which the registry does not have`,
        remedy: 'register it from where it is managed, or give the topic a schema file',
      },
    };
  }
  if (observed.registered) return { ...base, action: 'unchanged', ...observed.registered };
  if (latestVersion === undefined) return { ...base, action: 'register' };

  // The level the subject will have when the version is registered.
  const level = desired.level ?? observed.level ?? 'BACKWARD';
  const result = checkCompatibility(desired.schema.schema, observed.compared.map((c) => c.schema), level);
  const against = observed.compared.map((c) => c.version).reverse();
  const verdict: OfflineVerdict = { level, compatible: result.compatible, against, incompatibilities: result.incompatibilities };
  if (result.compatible) return { ...base, action: 'new-version', verdict };
  const first = result.incompatibilities[0]!;
  const version = observed.compared[first.previousIndex]?.version;
  return {
    ...base,
    action: 'new-version',
    verdict,
    blocked: {
      reason: `${level} refuses it against version ${version}: ${first.message}`,
      remedy: 'make the change compatible (e.g. give new fields a default), or use a new subject; "iotmsg schema check" lists every problem',
    },
  };
}

/** The plan for the desired subjects, in their order; `observed` has an entry for each. */
export function computeSchemaPlan(
  desired: readonly DesiredSubject[],
  observed: ReadonlyMap<string, ObservedSubject>,
  strategy: SubjectNameStrategy,
): SchemaPlan {
  const subjects = desired.map((d) => {
    const seen = observed.get(d.subject);
    if (!seen) throw new Error(`no observation for subject ${d.subject}`);
    return subjectChange(d, seen);
  });
  const summary: SchemaPlanSummary = {
    register: subjects.filter((s) => s.action === 'register').length,
    newVersion: subjects.filter((s) => s.action === 'new-version').length,
    levelChange: subjects.filter((s) => s.levelChange !== undefined).length,
    unchanged: subjects.filter((s) => !changesPending(s)).length,
    blocked: subjects.filter((s) => s.blocked !== undefined).length,
  };
  return { formatVersion: 1, strategy, subjects, summary, appliable: summary.blocked === 0 };
}
