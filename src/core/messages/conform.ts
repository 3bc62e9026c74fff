/**
 * A JSON value checked against an Avro schema and turned into the shape an Avro encoder
 * takes: unions wrapped as { branch: value }, bytes as byte arrays, missing fields filled
 * from their defaults. Every problem names the field path, e.g. `$.location.lat`.
 */
import { jsonText } from '../schemas/json.js';
import type { AvroSchema, RecordSchema } from '../schemas/index.js';
import { branchName } from '../schemas/model.js';

export interface ValueProblem {
  /** e.g. "$.location.lat", "$.metadata[\"site\"]", "$.readings[2]". */
  path: string;
  message: string;
}

export type ConformResult = { ok: true; value: unknown } | { ok: false; problems: ValueProblem[] };

export interface ConformOptions {
  /** Builds the encoder's byte container (e.g. a Buffer) from the bytes of a bytes/fixed value. */
  bytes?: (data: Uint8Array) => unknown;
}

const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;
/** At most this many problems per value: enough to fix a file, not a wall of text. */
const MAX_PROBLEMS = 10;

export function conformValue(schema: AvroSchema, input: unknown, options: ConformOptions = {}): ConformResult {
  const problems: ValueProblem[] = [];
  const value = new Conformer(problems, options.bytes ?? ((data) => data)).conform(schema, input, '$');
  return problems.length === 0 ? { ok: true, value } : { ok: false, problems: problems.slice(0, MAX_PROBLEMS) };
}

/** How a JSON value is described in a message: its kind and, when short, the value. */
export function describeJson(value: unknown): string {
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (kind === 'object' || kind === 'array' || kind === 'undefined') return kind;
  const text = JSON.stringify(value);
  return text.length <= 40 ? `${kind} ${text}` : kind;
}

const pathSuffixes = new Map<string, string>();

/** Paths are built for every field of every value, so each name's suffix is worked out once. */
function childPath(path: string, key: string): string {
  let suffix = pathSuffixes.get(key);
  if (suffix === undefined) {
    suffix = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    if (pathSuffixes.size < 10_000) pathSuffixes.set(key, suffix);
  }
  return path + suffix;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Which JSON kinds a schema can take, to pick the union branch a value was meant for. */
function acceptsKind(schema: AvroSchema, value: unknown): boolean {
  switch (schema.type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'int':
    case 'long':
      return typeof value === 'number' || (typeof value === 'string' && schema.logicalType?.name.startsWith('timestamp') === true);
    case 'float':
    case 'double':
      return typeof value === 'number';
    case 'string':
    case 'bytes':
    case 'enum':
    case 'fixed':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value);
    case 'map':
    case 'record':
      return isPlainObject(value);
    case 'union':
      return schema.branches.some((b) => acceptsKind(b, value));
  }
}

class Conformer {
  constructor(
    private readonly problems: ValueProblem[],
    private readonly makeBytes: (data: Uint8Array) => unknown,
  ) {}

  private fail(path: string, message: string): undefined {
    this.problems.push({ path, message });
    return undefined;
  }

  conform(schema: AvroSchema, value: unknown, path: string): unknown {
    if (value === undefined) return this.fail(path, `missing value of type ${branchName(schema)}`);
    switch (schema.type) {
      case 'null':
        return value === null ? null : this.fail(path, `expected null, got ${describeJson(value)}`);
      case 'boolean':
        return typeof value === 'boolean' ? value : this.fail(path, `expected boolean, got ${describeJson(value)}`);
      case 'int':
        return Number.isInteger(value) && (value as number) >= INT_MIN && (value as number) <= INT_MAX
          ? value
          : this.fail(path, `expected int (32-bit integer), got ${describeJson(value)}`);
      case 'long':
        return this.long(schema.logicalType?.name, value, path);
      case 'float':
      case 'double':
        return typeof value === 'number' && Number.isFinite(value) ? value : this.fail(path, `expected ${schema.type}, got ${describeJson(value)}`);
      case 'string':
        return typeof value === 'string' ? value : this.fail(path, `expected string, got ${describeJson(value)}`);
      case 'bytes':
        return this.bytes(value, path, undefined);
      case 'fixed':
        return this.bytes(value, path, schema.size);
      case 'enum':
        return typeof value === 'string' && schema.symbols.includes(value)
          ? value
          : this.fail(path, `expected one of ${schema.symbols.join(', ')} (enum ${schema.name.name}), got ${describeJson(value)}`);
      case 'array':
        if (!Array.isArray(value)) return this.fail(path, `expected array, got ${describeJson(value)}`);
        return value.map((item, i) => this.conform(schema.items, item, `${path}[${i}]`));
      case 'map': {
        if (!isPlainObject(value)) return this.fail(path, `expected map (JSON object), got ${describeJson(value)}`);
        const result: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) result[key] = this.conform(schema.values, item, childPath(path, key));
        return result;
      }
      case 'record':
        return this.record(schema, value, path);
      case 'union':
        return this.union(schema.branches, value, path);
    }
  }

  /** timestamp-millis/micros also take an ISO timestamp, which is what people type. */
  private long(logicalType: string | undefined, value: unknown, path: string): unknown {
    if (typeof value === 'string' && (logicalType === 'timestamp-millis' || logicalType === 'timestamp-micros')) {
      const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
      if (Number.isNaN(ms)) return this.fail(path, `expected ${logicalType} (epoch number or ISO timestamp), got ${describeJson(value)}`);
      return logicalType === 'timestamp-millis' ? ms : ms * 1000;
    }
    return Number.isSafeInteger(value) ? value : this.fail(path, `expected long (integer), got ${describeJson(value)}`);
  }

  /** Avro's JSON form of bytes: a string whose code points 0-255 are the bytes. */
  private bytes(value: unknown, path: string, size: number | undefined): unknown {
    const what = size === undefined ? 'bytes' : `fixed(${size})`;
    if (typeof value !== 'string') return this.fail(path, `expected ${what} as a string, got ${describeJson(value)}`);
    const data = new Uint8Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code > 255) return this.fail(path, `expected ${what}: character ${i} is not a byte (code point above 255)`);
      data[i] = code;
    }
    if (size !== undefined && data.length !== size) return this.fail(path, `expected ${what}, got ${data.length} bytes`);
    return this.makeBytes(data);
  }

  private record(schema: RecordSchema, value: unknown, path: string): unknown {
    if (!isPlainObject(value)) return this.fail(path, `expected record ${schema.name.name} (JSON object), got ${describeJson(value)}`);
    const result: Record<string, unknown> = {};
    let present = 0;
    for (const field of schema.fields) {
      if (Object.hasOwn(value, field.name)) {
        present++;
        result[field.name] = this.conform(field.schema, value[field.name], childPath(path, field.name));
      } else if (field.default !== undefined) {
        result[field.name] = this.fromDefault(field.schema, JSON.parse(jsonText(field.default)) as unknown, childPath(path, field.name));
      } else {
        this.fail(childPath(path, field.name), `missing required field of type ${describeSchema(field.schema)}`);
      }
    }
    if (Object.keys(value).length > present) {
      const known = new Set(schema.fields.map((f) => f.name));
      for (const key of Object.keys(value)) {
        if (!known.has(key)) this.fail(childPath(path, key), `unknown field: record ${schema.name.name} has ${schema.fields.map((f) => f.name).join(', ')}`);
      }
    }
    return result;
  }

  /** A union's default is a value of its first branch. */
  private fromDefault(schema: AvroSchema, value: unknown, path: string): unknown {
    if (schema.type !== 'union') return this.conform(schema, value, path);
    const first = schema.branches[0]!;
    const conformed = this.conform(first, value, path);
    return first.type === 'null' ? null : { [branchName(first)]: conformed };
  }

  private union(branches: readonly AvroSchema[], value: unknown, path: string): unknown {
    if (value === null && branches.some((b) => b.type === 'null')) return null;
    // Avro's JSON encoding writes a branch explicitly: {"com.example.Location": {...}}.
    const key = isPlainObject(value) ? onlyKey(value) : undefined;
    if (key !== undefined) {
      const named = branches.find((b) => b.type !== 'null' && matchesBranchName(b, key));
      if (named) return { [branchName(named)]: this.conform(named, (value as Record<string, unknown>)[key], path) };
    }
    const candidates = branches.filter((b) => b.type !== 'null' && acceptsKind(b, value));
    // One branch of the value's kind: its own problems say more than "matches no branch".
    if (candidates.length === 1) return { [branchName(candidates[0]!)]: this.conform(candidates[0]!, value, path) };
    for (const branch of candidates) {
      const trial: ValueProblem[] = [];
      const conformed = new Conformer(trial, this.makeBytes).conform(branch, value, path);
      if (trial.length === 0) return { [branchName(branch)]: conformed };
    }
    return this.fail(path, `expected one of ${branches.map(describeSchema).join(' | ')}, got ${describeJson(value)}`);
  }
}

function onlyKey(value: Record<string, unknown>): string | undefined {
  let only: string | undefined;
  for (const key in value) {
    if (only !== undefined) return undefined;
    only = key;
  }
  return only;
}

function matchesBranchName(schema: AvroSchema, key: string): boolean {
  return branchName(schema) === key || ((schema.type === 'record' || schema.type === 'enum' || schema.type === 'fixed') && schema.name.name === key);
}

function describeSchema(schema: AvroSchema): string {
  if (schema.type === 'union') return schema.branches.map(describeSchema).join(' | ');
  if (schema.type === 'record' || schema.type === 'enum' || schema.type === 'fixed') return schema.name.name;
  return schema.type;
}
