/** Topics as code: topics.yaml → validated project → per-environment specs → plan / export. */
export { loadTopicsFile } from './load.js';
export { resolveEnvironment, expandTopics, dlqSiblingsOf } from './resolve.js';
export { compareNames, computePlan, creationConflicts, hasChanges, isBlocked, isInternalTopic, overridesAfter, withReassignments, withRejections } from './plan.js';
export type {
  CreationConflict,
  Rejection,
  ConfigChange,
  ConfigSource,
  ObservedConfig,
  ObservedTopic,
  PlanOptions,
  PlanSummary,
  TopicAction,
  TopicChange,
  TopicPlan,
} from './plan.js';
export { clusterFingerprint, planScope, readPlanDocument, PLAN_FORMAT, PLAN_FORMAT_VERSION } from './planFile.js';
export type { PlanDocument, PlanScope, PlannedCluster } from './planFile.js';
export { exportProject, type ExportOptions } from './export.js';
export { topicsJsonSchema } from './jsonSchema.js';
export {
  TOPIC_CONFIGS,
  TOPIC_CONFIG_NAMES,
  topicConfig,
  brokerOnlyConfig,
  type ConfigType,
  type TopicConfigDefinition,
} from './configCatalog.js';
export { convertConfigValue, normaliseConfigValue } from './configValues.js';
export { configNameProblem, parseConfigAssignment, type ConfigAssignment, type ConfigProblem } from './configAssignment.js';
export { parseQuantity, formatQuantity } from './units.js';
export { DEFAULT_DLQ_SUFFIXES, collisionKey, dlqTopicName, reservedTopicReason, topicNameProblem } from './names.js';
export { COMPATIBILITY_LEVELS } from './model.js';
export type {
  CompatibilityLevel,
  ConfigSetting,
  ConfigSettings,
  DlqDefaults,
  EnvironmentDefinition,
  Position,
  Project,
  ProjectDefaults,
  ResolvedEnvironment,
  SchemaRef,
  TopicDefinition,
  TopicDlq,
  TopicSpec,
} from './model.js';
