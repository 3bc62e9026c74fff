/** The results the schema commands show, as data: rendered as tables or serialised with -o json|yaml. */
import type { CompatibilityLevel, Incompatibility } from './compatibility.js';
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

export interface CheckReport {
  file: string;
  against: { kind: 'file' | 'git'; ref: string };
  level: CompatibilityLevel;
  levelFrom: 'flag' | 'topics.yaml' | 'default';
  compatible: boolean;
  incompatibilities: Omit<Incompatibility, 'previousIndex'>[];
  registry: RegistryCheck;
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
