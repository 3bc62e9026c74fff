/** The topics.yaml model: what the file says (Project) and what one environment gets (TopicSpec). */
import type { AccessSection } from '../access/model.js';
import type { EnvironmentSecurity, RegistrySecurity } from '../config/security.js';

/** 1-based line and column in topics.yaml. */
export interface Position {
  line: number;
  column: number;
}

/** A topic config after unit conversion, with where it was written (for diagnostics). */
export interface ConfigSetting {
  value: string;
  source: Position;
}
export type ConfigSettings = Readonly<Record<string, ConfigSetting>>;

export const COMPATIBILITY_LEVELS = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

/**
 * Where a topic's key or value schema comes from: a file in the project
 * (`schema`), a registry subject, or both (the file registered under the subject).
 */
export interface SchemaRef {
  schema?: string;
  subject?: string;
  compatibility?: CompatibilityLevel;
  source: Position;
}

/** A topic as one environment should have it; DLQ siblings carry `dlqOf`. */
export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
  dlqOf?: string;
  description?: string;
  owner?: string;
  keySchema?: SchemaRef;
  valueSchema?: SchemaRef;
  source: Position;
}

export interface ResolvedEnvironment {
  name: string;
  brokers: string[] | undefined;
  schemaRegistry: string | undefined;
  /** Parents in file order, each followed by its DLQ siblings. */
  topics: TopicSpec[];
  protectedTopics: string[];
}

export interface DlqDefaults {
  /** Whether topics without a `dlq` key get DLQ siblings. */
  enabled: boolean;
  suffixes: readonly string[];
  partitions?: number;
  configs: ConfigSettings;
}

/** A topic's own `dlq` block (`dlq: true` is an empty one). */
export interface TopicDlq {
  suffixes?: readonly string[];
  partitions?: number;
  replicationFactor?: number;
  configs: ConfigSettings;
  source: Position;
}

export interface ProjectDefaults {
  partitions?: number;
  replicationFactor?: number;
  configs: ConfigSettings;
  dlq: DlqDefaults;
}

export interface EnvironmentDefinition {
  name: string;
  brokers?: string[];
  schemaRegistry?: string;
  /** The rest of a `schemaRegistry` mapping (basic auth, CA); paths as written, relative to the file. */
  registrySecurity?: Omit<RegistrySecurity, 'url'>;
  /** How to connect (`security`); paths as written, relative to the file. */
  security?: EnvironmentSecurity;
  partitions?: number;
  replicationFactor?: number;
  configs: ConfigSettings;
  protectedTopics: string[];
  /** The cluster's super.users (Kafka does not report them): a pruning plan never deletes their bindings. */
  superUsers: string[];
  /** Principals this environment adds or drops. */
  access: AccessSection;
  source: Position;
}

export interface TopicDefinition {
  name: string;
  partitions?: number;
  replicationFactor?: number;
  configs: ConfigSettings;
  description?: string;
  owner?: string;
  keySchema?: SchemaRef;
  valueSchema?: SchemaRef;
  /** false: no siblings; undefined: follow `defaults.dlq.enabled`. */
  dlq: TopicDlq | false | undefined;
  /** The topic's entry in the list. */
  source: Position;
  /** The `name` value, where name problems are reported. */
  nameSource: Position;
}

/** topics.yaml, validated; environments are applied by resolveEnvironment. */
export interface Project {
  file: string;
  defaults: ProjectDefaults;
  /** By name, in file order. */
  environments: Record<string, EnvironmentDefinition>;
  topics: TopicDefinition[];
  /** Who may do what (the `access` section). */
  access: AccessSection;
  /** Topics protected in every environment, whichever is selected (each environment may add its own). */
  protectedTopics: string[];
}
