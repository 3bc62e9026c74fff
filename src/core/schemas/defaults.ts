/**
 * Field default checks. Avro Java (with default validation on, as the schema
 * registry parses a new schema) refuses a default whose JSON kind does not
 * fit; we add what the specification requires and Java does not check but
 * that fails at read time: enum defaults must be symbols, bytes/fixed
 * defaults must be byte strings (fixed: of the right length).
 *
 * A union default must match the union's FIRST branch, as the specification
 * says and Avro Java up to 1.11 enforces (1.12 accepts any branch).
 */
import { jsonKindName, jsonText, memberValue, type JsonNode } from './json.js';
import { branchName, type AvroSchema, type RecordSchema } from './model.js';

export interface DefaultProblem {
  /** Where inside the default value, as a JSON path suffix (".lat", "[2]"); "" for the value itself. */
  at: string;
  /** The offending value, for its position. */
  node: JsonNode;
  message: string;
  hint?: string;
}

const INT32_RANGE = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const INT64_RANGE = [-(2n ** 63n), 2n ** 63n - 1n] as const;
/** What Java's Double.parseDouble takes from a string default of a float/double field. */
const JAVA_DOUBLE_TEXT = /^\s*[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)\s*$/;

function shown(value: JsonNode): string {
  const text = jsonText(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function mismatch(expected: string, value: JsonNode): DefaultProblem {
  return { at: '', node: value, message: `expected ${expected}, got ${shown(value)}` };
}

function integerInRange(value: JsonNode, [min, max]: readonly [bigint, bigint]): boolean {
  if (value.kind !== 'number' || !value.isIntegral) return false;
  const n = BigInt(value.text);
  return n >= min && n <= max;
}

function isByteString(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}

function checkRecord(schema: RecordSchema, value: JsonNode): DefaultProblem | undefined {
  if (value.kind !== 'object') return mismatch(`an object for record "${schema.name.fullName}"`, value);
  for (const field of schema.fields) {
    const given = memberValue(value, field.name);
    if (given === undefined) {
      if (field.default === undefined) {
        return { at: '', node: value, message: `missing field "${field.name}", which has no default` };
      }
      const fallback = checkDefaultValue(field.schema, field.default);
      if (fallback) return { at: '', node: value, message: `field "${field.name}" falls back to its own default, which is invalid: ${fallback.message}` };
      continue;
    }
    const problem = checkDefaultValue(field.schema, given);
    if (problem) return { ...problem, at: `.${field.name}${problem.at}` };
  }
  return undefined;
}

/** Checks a default value against a schema; undefined when it is valid. */
export function checkDefaultValue(schema: AvroSchema, value: JsonNode): DefaultProblem | undefined {
  switch (schema.type) {
    case 'null':
      return value.kind === 'null' ? undefined : mismatch('null', value);
    case 'boolean':
      return value.kind === 'boolean' ? undefined : mismatch('true or false', value);
    case 'int':
      return integerInRange(value, INT32_RANGE) ? undefined : mismatch('an int (32-bit integer)', value);
    case 'long':
      return integerInRange(value, INT64_RANGE) ? undefined : mismatch('a long (64-bit integer)', value);
    case 'float':
    case 'double':
      return value.kind === 'number' ? undefined : mismatch('a number', value);
    case 'string':
      return value.kind === 'string' ? undefined : mismatch('a string', value);
    case 'bytes':
      return value.kind === 'string' && isByteString(value.value)
        ? undefined
        : mismatch('a string of bytes (characters \\u0000-\\u00ff)', value);
    case 'fixed':
      return value.kind === 'string' && isByteString(value.value) && value.value.length === schema.size
        ? undefined
        : mismatch(`a string of exactly ${schema.size} bytes (characters \\u0000-\\u00ff) for fixed "${schema.name.fullName}"`, value);
    case 'enum':
      return value.kind === 'string' && schema.symbols.includes(value.value)
        ? undefined
        : mismatch(`one of the symbols of enum "${schema.name.fullName}" (${schema.symbols.join(', ')})`, value);
    case 'array': {
      if (value.kind !== 'array') return mismatch('an array', value);
      for (const [index, item] of value.items.entries()) {
        const problem = checkDefaultValue(schema.items, item);
        if (problem) return { ...problem, at: `[${index}]${problem.at}` };
      }
      return undefined;
    }
    case 'map': {
      if (value.kind !== 'object') return mismatch('an object (map)', value);
      for (const member of value.members) {
        const problem = checkDefaultValue(schema.values, member.value);
        if (problem) return { ...problem, at: `[${JSON.stringify(member.key)}]${problem.at}` };
      }
      return undefined;
    }
    case 'record':
      return checkRecord(schema, value);
    case 'union': {
      const [first, ...others] = schema.branches;
      if (first === undefined) return { at: '', node: value, message: 'an empty union has no valid default' };
      const problem = checkDefaultValue(first, value);
      if (!problem) return undefined;
      const matching = others.find((branch) => checkDefaultValue(branch, value) === undefined);
      if (matching === undefined) return problem;
      return {
        at: '',
        node: value,
        message: `a union default must match the union's first branch (${branchName(first)}), but ${shown(value)} is ${jsonKindName(value)} matching "${branchName(matching)}"`,
        hint: `put "${branchName(matching)}" first in the union, or change the default; Avro 1.11 and older reject this`,
      };
    }
  }
}

/**
 * A field's default. Avro Java first turns a string default of a float or
 * double field into a number ("NaN", "Infinity", "1.5").
 */
export function checkFieldDefault(schema: AvroSchema, value: JsonNode): DefaultProblem | undefined {
  if ((schema.type === 'float' || schema.type === 'double') && value.kind === 'string') {
    return JAVA_DOUBLE_TEXT.test(value.value) ? undefined : mismatch('a number', value);
  }
  return checkDefaultValue(schema, value);
}
