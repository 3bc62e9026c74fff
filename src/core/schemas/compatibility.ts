/**
 * Schema compatibility as the Confluent Schema Registry judges Avro schemas.
 *
 * The reader/writer check is a line-by-line port of Avro Java 1.12's
 * org.apache.avro.SchemaCompatibility (ReaderWriterCompatibilityChecker),
 * quirks included, so verdicts, incompatibility types, locations and messages
 * match. Levels follow Confluent's CompatibilityChecker: BACKWARD = the new
 * schema reads data of the latest one; FORWARD = the latest reads the new;
 * FULL = both, forward reported first; *_TRANSITIVE = against every previous
 * version, newest first, stopping at the first that fails.
 */
import { registrationForm } from './serialize.js';
import type { AvroSchema, EnumSchema, FixedSchema, NamedSchema, RecordField, RecordSchema } from './model.js';

export type CompatibilityLevel =
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE'
  | 'NONE';

export const COMPATIBILITY_LEVELS: readonly CompatibilityLevel[] = [
  'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE',
];

/** Avro's SchemaIncompatibilityType, plus CHECK_FAILED for the check throwing, which the registry reports too. */
export type IncompatibilityType =
  | 'NAME_MISMATCH'
  | 'FIXED_SIZE_MISMATCH'
  | 'MISSING_ENUM_SYMBOLS'
  | 'READER_FIELD_MISSING_DEFAULT_VALUE'
  | 'TYPE_MISMATCH'
  | 'MISSING_UNION_BRANCH'
  | 'CHECK_FAILED';

/** BACKWARD: the candidate reads data written with a previous version; FORWARD: the reverse. */
export type CheckDirection = 'BACKWARD' | 'FORWARD';

export interface Incompatibility {
  type: IncompatibilityType;
  /** JSON pointer into the reader schema, as Avro reports it, e.g. "/fields/2/type". */
  path: string;
  /** The registry's description, e.g. "The type (path '/fields/0/type') of a field in the new schema does not match with the old schema". */
  message: string;
  /** Avro's own detail (the registry's additionalInfo), e.g. "reader type: INT not compatible with writer type: LONG". */
  detail: string;
  direction: CheckDirection;
  /** Index into `previous` (0 = oldest) of the version this was found against. */
  previousIndex: number;
}

export interface CompatibilityResult {
  compatible: boolean;
  incompatibilities: Incompatibility[];
}

/** One reader/writer incompatibility before the registry's wording is added. */
export interface ReaderWriterIncompatibility {
  type: IncompatibilityType;
  path: string;
  detail: string;
}

interface PairResult {
  state: 'compatible' | 'incompatible' | 'in-progress';
  found: ReaderWriterIncompatibility[];
}

const COMPATIBLE: PairResult = { state: 'compatible', found: [] };
const IN_PROGRESS: PairResult = { state: 'in-progress', found: [] };

function merged(a: PairResult, b: PairResult): PairResult {
  if (b.found.length === 0 && a.state !== 'compatible') return a;
  return { state: a.state === 'compatible' ? b.state : 'incompatible', found: [...a.found, ...b.found] };
}

/** Avro Java's Schema.Type names, as its messages print them. */
function typeName(schema: AvroSchema): string {
  return schema.type.toUpperCase();
}

/** A reader field matching several writer fields; Avro throws, the registry reports the message. */
class AmbiguousFieldError extends Error {}

/** Avro Java's Schema.getAliases(): an unqualified alias of a namespaced type prints as ".Name". */
function aliasStrings(schema: NamedSchema): string[] {
  return schema.aliases.map((alias) =>
    alias.namespace === undefined && schema.name.namespace !== undefined ? `.${alias.name}` : alias.fullName,
  );
}

/** SchemaCompatibility.schemaNameEquals: unqualified names, or a reader alias naming the writer's full name. */
export function schemaNameEquals(reader: NamedSchema, writer: NamedSchema): boolean {
  return reader.name.name === writer.name.name || aliasStrings(reader).includes(writer.name.fullName);
}

function lookupWriterField(writer: RecordSchema, readerField: RecordField): RecordField | undefined {
  const byName = new Map(writer.fields.map((f) => [f.name, f]));
  const matches = [readerField.name, ...new Set(readerField.aliases)]
    .map((name) => byName.get(name))
    .filter((f): f is RecordField => f !== undefined);
  if (matches.length > 1) {
    throw new AmbiguousFieldError(
      `Reader record field ${readerField.name} type:${typeName(readerField.schema)} pos:${readerField.position} matches multiple fields in writer record schema ${registrationForm(writer)}`,
    );
  }
  return matches[0];
}

/** Avro's promotions: the writer types each reader type can read besides its own. */
const PROMOTIONS: Readonly<Partial<Record<AvroSchema['type'], readonly AvroSchema['type'][]>>> = {
  long: ['int'],
  float: ['int', 'long'],
  double: ['int', 'long', 'float'],
  bytes: ['string'],
  string: ['bytes'],
};

/** Port of Avro Java's ReaderWriterCompatibilityChecker; one instance per top-level check. */
class ReaderWriterChecker {
  private readonly memo = new Map<AvroSchema, Map<AvroSchema, PairResult>>();

  /** A check with a fresh location, as Avro's two-argument getCompatibility does. */
  check(reader: AvroSchema, writer: AvroSchema): PairResult {
    return this.at('', reader, writer, []);
  }

  private at(token: string, reader: AvroSchema, writer: AvroSchema, location: string[]): PairResult {
    location.push(token);
    let byWriter = this.memo.get(reader);
    if (!byWriter) {
      byWriter = new Map();
      this.memo.set(reader, byWriter);
    }
    let result = byWriter.get(writer);
    if (result === undefined) {
      byWriter.set(writer, IN_PROGRESS);
      result = this.calculate(reader, writer, location);
      byWriter.set(writer, result);
    } else if (result.state === 'in-progress') {
      // A recursive pair: compatible unless proven otherwise elsewhere.
      result = COMPATIBLE;
    }
    location.pop();
    return result;
  }

  private incompatible(type: IncompatibilityType, detail: string, location: readonly string[]): PairResult {
    const path = `/${location.slice(1).map((t) => t.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
    return { state: 'incompatible', found: [{ type, path, detail }] };
  }

  private typeMismatch(reader: AvroSchema, writer: AvroSchema, location: readonly string[]): PairResult {
    return this.incompatible('TYPE_MISMATCH', `reader type: ${typeName(reader)} not compatible with writer type: ${typeName(writer)}`, location);
  }

  private calculate(reader: AvroSchema, writer: AvroSchema, location: string[]): PairResult {
    if (reader.type === writer.type) {
      switch (reader.type) {
        case 'array':
          return this.at('items', reader.items, (writer as typeof reader).items, location);
        case 'map':
          return this.at('values', reader.values, (writer as typeof reader).values, location);
        case 'fixed':
          return merged(this.names(reader, writer as FixedSchema, location), this.fixedSize(reader, writer as FixedSchema, location));
        case 'enum':
          return merged(this.names(reader, writer as EnumSchema, location), this.enumSymbols(reader, writer as EnumSchema, location));
        case 'record':
          return merged(this.names(reader, writer as RecordSchema, location), this.recordFields(reader, writer as RecordSchema, location));
        case 'union': {
          let result = COMPATIBLE;
          (writer as typeof reader).branches.forEach((writerBranch, i) => {
            location.push(String(i));
            // Avro checks the branch with a fresh location and keeps only the verdict.
            if (this.check(reader, writerBranch).state === 'incompatible') {
              result = merged(result, this.incompatible('MISSING_UNION_BRANCH', `reader union lacking writer type: ${typeName(writerBranch)}`, location));
            }
            location.pop();
          });
          return result;
        }
        default:
          return COMPATIBLE;
      }
    }
    if (writer.type === 'union') {
      // A reader that can read every writer branch can read the union.
      let result = COMPATIBLE;
      writer.branches.forEach((branch, i) => {
        result = merged(result, this.at(String(i), reader, branch, location));
      });
      return result;
    }
    if (reader.type === 'union') {
      if (reader.branches.some((branch) => this.check(branch, writer).state === 'compatible')) return COMPATIBLE;
      return this.incompatible('MISSING_UNION_BRANCH', `reader union lacking writer type: ${typeName(writer)}`, location);
    }
    return PROMOTIONS[reader.type]?.includes(writer.type) ? COMPATIBLE : this.typeMismatch(reader, writer, location);
  }

  private names(reader: NamedSchema, writer: NamedSchema, location: string[]): PairResult {
    if (schemaNameEquals(reader, writer)) return COMPATIBLE;
    return this.incompatible('NAME_MISMATCH', `expected: ${writer.name.fullName}`, [...location, 'name']);
  }

  private fixedSize(reader: FixedSchema, writer: FixedSchema, location: string[]): PairResult {
    if (reader.size === writer.size) return COMPATIBLE;
    return this.incompatible('FIXED_SIZE_MISMATCH', `expected: ${writer.size}, found: ${reader.size}`, [...location, 'size']);
  }

  private enumSymbols(reader: EnumSchema, writer: EnumSchema, location: string[]): PairResult {
    const missing = [...new Set(writer.symbols)].filter((s) => !reader.symbols.includes(s)).sort();
    if (missing.length === 0) return COMPATIBLE;
    // Avro 1.9+: a reader enum default absorbs unknown symbols.
    if (reader.default !== undefined && reader.symbols.includes(reader.default)) return COMPATIBLE;
    return this.incompatible('MISSING_ENUM_SYMBOLS', `[${missing.join(', ')}]`, [...location, 'symbols']);
  }

  private recordFields(reader: RecordSchema, writer: RecordSchema, location: string[]): PairResult {
    let result = COMPATIBLE;
    location.push('fields');
    for (const readerField of reader.fields) {
      location.push(String(readerField.position));
      const writerField = lookupWriterField(writer, readerField);
      if (writerField) {
        result = merged(result, this.at('type', readerField.schema, writerField.schema, location));
      } else if (readerField.default === undefined) {
        // Avro's quirk: an enum with a default, missing in the writer, is checked against the writer record itself.
        result = readerField.schema.type === 'enum' && readerField.schema.default !== undefined
          ? merged(result, this.at('type', readerField.schema, writer, location))
          : merged(result, this.incompatible('READER_FIELD_MISSING_DEFAULT_VALUE', readerField.name, location));
      }
      location.pop();
    }
    location.pop();
    return result;
  }
}

/**
 * Avro's SchemaCompatibility.checkReaderWriterCompatibility. A reader field
 * matching several writer fields makes Avro throw; that comes back as one
 * CHECK_FAILED incompatibility, as the registry reports it.
 */
export function checkReaderWriter(reader: AvroSchema, writer: AvroSchema): ReaderWriterIncompatibility[] {
  try {
    return new ReaderWriterChecker().check(reader, writer).found;
  } catch (error) {
    if (!(error instanceof AmbiguousFieldError)) throw error;
    return [{ type: 'CHECK_FAILED', path: '/', detail: error.message }];
  }
}

/** Confluent's Difference.error() description; the reader and writer are "new" or "old". */
function describe(found: ReaderWriterIncompatibility, reader: string, writer: string): string {
  const { path, detail } = found;
  switch (found.type) {
    case 'FIXED_SIZE_MISMATCH':
      return `The size of FIXED type field at path '${path}' in the ${reader} schema does not match with the ${writer} schema`;
    case 'TYPE_MISMATCH':
      return `The type (path '${path}') of a field in the ${reader} schema does not match with the ${writer} schema`;
    case 'NAME_MISMATCH':
      return `The name of the schema has changed (path '${path}')`;
    case 'MISSING_ENUM_SYMBOLS':
      return `The ${reader} schema is missing enum symbols '${detail}' at path '${path}' in the ${writer} schema`;
    case 'MISSING_UNION_BRANCH':
      return `The ${reader} schema is missing a type inside a union field at path '${path}' in the ${writer} schema`;
    case 'READER_FIELD_MISSING_DEFAULT_VALUE':
      return `The field '${detail}' at path '${path}' in the ${reader} schema has no default value and is missing in the ${writer} schema`;
    case 'CHECK_FAILED':
      return `Unexpected exception during compatibility check: ${detail}`;
  }
}

/** The registry's message line for one incompatibility: {errorType:'…', description:'…', additionalInfo:'…'}. */
export function registryMessage(incompatibility: Incompatibility): string {
  if (incompatibility.type === 'CHECK_FAILED') return incompatibility.message;
  return `{errorType:'${incompatibility.type}', description:'${incompatibility.message}', additionalInfo:'${incompatibility.detail}'}`;
}

function checkDirection(candidate: AvroSchema, previous: AvroSchema, previousIndex: number, direction: CheckDirection): Incompatibility[] {
  const backward = direction === 'BACKWARD';
  const [reader, writer] = backward ? [candidate, previous] : [previous, candidate];
  return checkReaderWriter(reader, writer).map((found) => ({
    ...found,
    message: describe(found, backward ? 'new' : 'old', backward ? 'old' : 'new'),
    direction,
    previousIndex,
  }));
}

/**
 * Whether `candidate` may be registered after `previous` (oldest first) under
 * `level`, with what the registry would report against.
 */
export function checkCompatibility(
  candidate: AvroSchema,
  previous: readonly AvroSchema[],
  level: CompatibilityLevel,
): CompatibilityResult {
  if (level === 'NONE') return { compatible: true, incompatibilities: [] };
  const transitive = level.endsWith('_TRANSITIVE');
  const directions: CheckDirection[] = level.startsWith('FULL') ? ['FORWARD', 'BACKWARD'] : level.startsWith('FORWARD') ? ['FORWARD'] : ['BACKWARD'];
  for (let index = previous.length - 1; index >= 0; index--) {
    const version = previous[index] as AvroSchema;
    const incompatibilities = directions.flatMap((direction) => checkDirection(candidate, version, index, direction));
    if (incompatibilities.length > 0 || !transitive) return { compatible: incompatibilities.length === 0, incompatibilities };
  }
  return { compatible: true, incompatibilities: [] };
}
