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
