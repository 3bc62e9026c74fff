/**
 * Logical type checks, following Avro Java's LogicalTypes. Avro Java's parser
 * does not reject a malformed logical type: it logs and drops it, so the
 * value silently becomes its plain underlying type. We report that as an
 * error because the annotation is then lost for every reader.
 */
import type { JsonNode } from './json.js';
import type { AvroType, LogicalType, SchemaProps } from './model.js';

const UNDERLYING_TYPES: Readonly<Record<string, readonly AvroType[]>> = {
  decimal: ['bytes', 'fixed'],
  'big-decimal': ['bytes'],
  uuid: ['string', 'fixed'],
  date: ['int'],
  'time-millis': ['int'],
  'time-micros': ['long'],
  'timestamp-millis': ['long'],
  'timestamp-micros': ['long'],
  'timestamp-nanos': ['long'],
  'local-timestamp-millis': ['long'],
  'local-timestamp-micros': ['long'],
  'local-timestamp-nanos': ['long'],
  duration: ['fixed'],
};
const REQUIRED_FIXED_SIZE: Readonly<Record<string, number>> = { uuid: 16, duration: 12 };
/** Java-specific properties Avro refuses next to any logical type. */
const PROPS_EXCLUDING_LOGICAL_TYPES = ['avro.java.string', 'java-class', 'java-key-class', 'java-element-class'];

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export interface LogicalTypeProblem {
  severity: 'error' | 'warning';
  code: 'invalid-logical-type' | 'unknown-logical-type';
  message: string;
  /** The attribute at fault, for the diagnostic's JSON path. */
  attribute: string;
}

export interface LogicalTypeReading {
  logicalType: LogicalType | undefined;
  problem: LogicalTypeProblem | undefined;
}

export interface UnderlyingType {
  type: AvroType;
  /** Size of a fixed type. */
  size?: number;
}

function int32(node: JsonNode | undefined): number | undefined {
  if (node?.kind !== 'number' || !node.isIntegral) return undefined;
  const value = Number(node.text);
  return value >= INT32_MIN && value <= INT32_MAX ? value : undefined;
}

function describe(underlying: UnderlyingType): string {
  return underlying.type === 'fixed' ? `fixed(${underlying.size ?? 0})` : underlying.type;
}

/** The most decimal digits a fixed of `size` bytes holds (two's complement). */
export function maxDecimalPrecision(size: number): number {
  return Math.floor(Math.log10(2) * (8 * size - 1));
}

function invalid(name: string, message: string, attribute = 'logicalType'): LogicalTypeReading {
  return {
    logicalType: undefined,
    problem: {
      severity: 'error',
      code: 'invalid-logical-type',
      attribute,
      message: `${message}; Avro ignores a malformed logical type "${name}" and keeps only the underlying type`,
    },
  };
}

function readDecimal(props: SchemaProps, underlying: UnderlyingType): LogicalTypeReading {
  const precisionNode = props.get('precision');
  if (precisionNode === undefined) return invalid('decimal', 'decimal needs a "precision"');
  const precision = int32(precisionNode);
  if (precision === undefined) return invalid('decimal', '"precision" must be an int', 'precision');
  const scaleNode = props.get('scale');
  const scale = scaleNode === undefined ? 0 : int32(scaleNode);
  if (scale === undefined) return invalid('decimal', '"scale" must be an int', 'scale');
  if (precision <= 0) return invalid('decimal', `decimal precision must be positive, got ${precision}`, 'precision');
  if (underlying.type === 'fixed') {
    const size = underlying.size ?? 0;
    const max = maxDecimalPrecision(size);
    if (precision > max) {
      return invalid('decimal', `fixed(${size}) cannot store ${precision} digits (max ${max})`, 'precision');
    }
  }
  if (scale < 0) return invalid('decimal', `decimal scale must not be negative, got ${scale}`, 'scale');
  if (scale > precision) {
    return invalid('decimal', `decimal scale ${scale} is greater than its precision ${precision}`, 'scale');
  }
  return { logicalType: { name: 'decimal', precision, scale }, problem: undefined };
}

/** Reads the "logicalType" attribute of a schema with the given underlying type. */
export function readLogicalType(props: SchemaProps, underlying: UnderlyingType): LogicalTypeReading {
  const node = props.get('logicalType');
  if (node === undefined) return { logicalType: undefined, problem: undefined };
  if (node.kind !== 'string') return invalid('logicalType', '"logicalType" must be a string');
  const name = node.value;
  const allowed = UNDERLYING_TYPES[name];
  if (allowed === undefined) {
    return {
      logicalType: undefined,
      problem: {
        severity: 'warning',
        code: 'unknown-logical-type',
        attribute: 'logicalType',
        message: `unknown logical type "${name}" is ignored by Avro (known: ${Object.keys(UNDERLYING_TYPES).join(', ')})`,
      },
    };
  }
  const conflicting = PROPS_EXCLUDING_LOGICAL_TYPES.find((prop) => props.has(prop));
  if (conflicting !== undefined) return invalid(name, `logical type "${name}" cannot be combined with "${conflicting}"`);
  if (!allowed.includes(underlying.type)) {
    const expected = allowed.map((t) => (t === 'fixed' && REQUIRED_FIXED_SIZE[name] ? `fixed(${REQUIRED_FIXED_SIZE[name]})` : t));
    return invalid(name, `logical type "${name}" needs an underlying ${expected.join(' or ')} type, not ${describe(underlying)}`);
  }
  const requiredSize = REQUIRED_FIXED_SIZE[name];
  if (underlying.type === 'fixed' && requiredSize !== undefined && underlying.size !== requiredSize) {
    return invalid(name, `logical type "${name}" on a fixed type needs size ${requiredSize}, not ${underlying.size ?? 0}`);
  }
  if (name === 'decimal') return readDecimal(props, underlying);
  return { logicalType: { name }, problem: undefined };
}
