/** The results the schema commands show, as data: rendered as tables or serialised with -o json|yaml. */
import type { CompatibilityLevel } from './compatibility.js';
import type { HistoryIncompatibility } from './history.js';
import type { DiffStatus, SchemaDifference } from './diff.js';
import type { LevelChange } from './plan.js';

export type RegistrationOutcome = 'registered' | 'new-version' | 'unchanged' | 'refused' | 'missing';

export interface RegistrationResult {
  subject: string;
  outcome: RegistrationOutcome;
  id?: number;
  version?: number;
  /** The level set on the subject, when it changed. */
  levelChange?: LevelChange;
  /** refused: the registry's reasons; missing: why. */
  reasons?: string[];
}

/** The registry's verdict on registering a schema in a subject. */
export interface SubjectVerdict {
  compatible: boolean;
  /** The registry's reasons, one line each. */
  reasons: string[];
  /** The level the registry reports for the subject (its own, else the global one). */
  level: CompatibilityLevel | undefined;
  /** The versions the registry was asked about, newest first. */
  against: number[];
}

export interface RegistryCheck {
  url: string;
  asked: boolean;
  /** Why the registry was not asked, or could not answer. */
  note?: string;
  verdicts: (SubjectVerdict & { subject: string })[];
}

/** A version a schema was judged against: an older file, the file at a git commit, or a registered version. */
export interface HistoryEntry {
  kind: 'file' | 'git' | 'registry';
  label: string;
}

export interface CheckReport {
  file: string;
  level: CompatibilityLevel;
  levelFrom: 'flag' | 'topics.yaml' | 'default';
  /** Every version given (identical ones once), oldest first. */
  history: HistoryEntry[];
  /** The labels of the versions the level compares with, newest first. */
  checked: string[];
  /** The checked versions the schema breaks, newest first. */
  broke: string[];
  compatible: boolean;
  incompatibilities: HistoryIncompatibility[];
  registry: RegistryCheck;
}

/** One schema file of the CI gate (`schema check --against <revision>` without a file). */
export interface GateEntry {
  file: string;
  /** changed: judged against the history; new: not at the revision (judged against the registry, if one is configured). */
  change: 'changed' | 'new';
  subjects: string[];
  level: CompatibilityLevel;
  checked: string[];
  broke: string[];
  verdict: 'compatible' | 'incompatible' | 'new' | 'invalid';
  /** invalid: the file's first problem; incompatible: the first incompatibility or refusal. */
  problem?: string;
  incompatibilities: HistoryIncompatibility[];
  registry: RegistryCheck;
}

export interface GateReport {
  against: string;
  files: GateEntry[];
}

export interface SubjectDiff {
  subject: string;
  file: string;
  /** The registry's latest version compared with, if the subject has one. */
  version: number | null;
  id: number | null;
  status: DiffStatus | 'not-registered';
  differences: SchemaDifference[];
}

/** One version of an export as `schema import` wrote it (or found it) in the target registry. */
export interface ImportedVersion {
  subject: string;
  /** The version and id in the export. */
  version: number;
  id: number;
  outcome: 'imported' | 'unchanged' | 'refused';
  targetVersion?: number;
  targetId?: number;
  /** refused: the registry's reason. */
  reason?: string;
}

export interface ImportReport {
  /** Whether the target took the versions in IMPORT mode, keeping their ids and numbers. */
  idsPreserved: boolean;
  versions: ImportedVersion[];
  /** Subjects whose level import set. */
  levelsSet: string[];
}
