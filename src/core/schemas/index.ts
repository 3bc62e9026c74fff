/** Schemas as code: parse and check .avsc files, and judge compatibility offline. */
export { parseSchemaFiles, parseSchemaText } from './parse.js';
export type {
  CrossFileReference,
  ParsedSchema,
  ParseOptions,
  SchemaDiagnostic,
  SchemaFile,
  SchemaFilesResult,
  SchemaTextResult,
} from './parse.js';
export { checkCompatibility, checkReaderWriter, registryMessage, COMPATIBILITY_LEVELS } from './compatibility.js';
export type {
  CheckDirection,
  CompatibilityLevel,
  CompatibilityResult,
  Incompatibility,
  IncompatibilityType,
  ReaderWriterIncompatibility,
} from './compatibility.js';
export { canonicalForm, fingerprint64, registrationForm } from './serialize.js';
export type { AvroSchema, NamedSchema, RecordSchema, RecordField, EnumSchema, FixedSchema, LogicalType } from './model.js';
export { parseSchemaWithNeighbours } from './neighbours.js';
export { DEFAULT_COMPATIBILITY, SUBJECT_NAME_STRATEGIES, desiredSubjects, subjectName } from './subjects.js';
export type { DesiredSubject, DesiredSubjectsResult, SchemaRole, SubjectNameStrategy, SubjectUse } from './subjects.js';
export { changesPending, computeSchemaPlan, hasSchemaChanges, versionsToCompare } from './plan.js';
export type { LevelChange, ObservedSubject, OfflineVerdict, SchemaPlan, SchemaPlanSummary, SubjectAction, SubjectChange } from './plan.js';
export { describeType, diffSchemas } from './diff.js';
export type { DiffStatus, SchemaDiff, SchemaDifference } from './diff.js';
export { checkAgainstHistory, comparedVersions, distinctVersions } from './history.js';
export type { HistoryCheck, HistoryIncompatibility, HistoryVersion } from './history.js';
export type { CheckReport, GateEntry, GateReport, HistoryEntry, ImportedVersion, ImportReport, RegistrationOutcome, RegistrationResult, RegistryCheck, SubjectDiff, SubjectVerdict } from './report.js';
