import { configUnit, topicConfig, type TopicConfigDefinition } from './configCatalog.js';
import { didYouMean } from './didYouMean.js';
import { BASE_UNIT_NAME, parseQuantity, UNIT_NAMES, type UnitKind } from './units.js';

/** A config value as written in the file, before conversion (kept free of YAML types). */
export type RawScalar =
  | { type: 'string'; text: string }
  /** `text` is the source spelling, so 9223372036854775807 keeps its digits. */
  | { type: 'number'; text: string; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' };
export type RawConfigValue = RawScalar | { type: 'list'; items: RawScalar[] } | { type: 'mapping' };

export type ConfigValueResult =
  | { ok: true; value: string }
  | { ok: false; code: string; message: string; hint?: string };

const INT_BOUNDS = { min: -(2n ** 31n), max: 2n ** 31n - 1n };
const LONG_BOUNDS = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const DECIMAL_INTEGER = /^[-+]?\d+$/;
const DECIMAL_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const JAVA_CLASS_NAME = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

function describeRaw(raw: RawConfigValue): string {
  switch (raw.type) {
    case 'string':
      return JSON.stringify(raw.text);
    case 'number':
      return raw.text;
    case 'boolean':
      return String(raw.value);
    case 'null':
      return 'null';
    case 'list':
      return 'a list';
    case 'mapping':
      return 'a mapping';
  }
}

function failure(code: string, message: string, hint?: string): ConfigValueResult {
  return hint === undefined ? { ok: false, code, message } : { ok: false, code, message, hint };
}

function expectedInteger(unit: UnitKind | undefined): string {
  if (unit === 'duration') return 'a duration such as 7d or 12h, or a number of milliseconds';
  if (unit === 'size') return 'a size such as 512MiB, or a number of bytes';
  return 'an integer';
}

function integerOf(definition: TopicConfigDefinition, raw: RawConfigValue, label: string):
  | { ok: true; value: bigint; shown: string }
  | Extract<ConfigValueResult, { ok: false }> {
  const unit = configUnit(definition);
  const wrongType = (): Extract<ConfigValueResult, { ok: false }> => ({
    ok: false,
    code: 'invalid-config-value',
    message: `${label} must be ${expectedInteger(unit)}, got ${describeRaw(raw)}`,
  });
  if (raw.type === 'number') {
    if (DECIMAL_INTEGER.test(raw.text)) return { ok: true, value: BigInt(raw.text), shown: raw.text };
    if (Number.isSafeInteger(raw.value)) return { ok: true, value: BigInt(raw.value), shown: raw.text };
    return { ok: false, code: 'invalid-config-value', message: `${label} must be a whole number, got ${raw.text}` };
  }
  if (raw.type !== 'string') return wrongType();
  const text = raw.text.trim();
  if (DECIMAL_INTEGER.test(text)) return { ok: true, value: BigInt(text), shown: text };
  if (unit === undefined) return wrongType();
  const quantity = parseQuantity(text, unit);
  if (quantity.ok) return { ok: true, value: quantity.value, shown: `${text} (${quantity.value})` };
  switch (quantity.problem) {
    case 'not-a-quantity':
      return wrongType();
    case 'unknown-unit':
      return {
        ok: false,
        code: 'unknown-unit',
        message: `unknown unit "${quantity.unit}" for ${label}`,
        hint: didYouMean(quantity.unit, UNIT_NAMES[unit]) ?? `use one of ${UNIT_NAMES[unit].join(', ')}`,
      };
    case 'inexact':
      return {
        ok: false,
        code: 'inexact-unit',
        message: `${label} must be a whole number of ${BASE_UNIT_NAME[unit]}, got ${text}`,
      };
  }
}

function rangeText(definition: TopicConfigDefinition, lowest: string, highest: string, belowRange: boolean): string {
  const base =
    definition.min !== undefined && definition.max !== undefined
      ? `between ${definition.min} and ${definition.max}`
      : belowRange
        ? `at least ${lowest}`
        : `at most ${highest}`;
  const extra = definition.alsoAllowed?.join(' or ');
  return extra === undefined ? base : `${base} or ${extra}`;
}

function convertInteger(definition: TopicConfigDefinition, raw: RawConfigValue, label: string): ConfigValueResult {
  const parsed = integerOf(definition, raw, label);
  if (!parsed.ok) return parsed;
  const bounds = definition.type === 'int' ? INT_BOUNDS : LONG_BOUNDS;
  const lowest = definition.min !== undefined ? BigInt(definition.min) : bounds.min;
  const highest = definition.max !== undefined ? BigInt(definition.max) : bounds.max;
  const allowed = definition.alsoAllowed?.some((v) => BigInt(v) === parsed.value) ?? false;
  if (!allowed && (parsed.value < lowest || parsed.value > highest)) {
    return failure(
      'config-out-of-range',
      `${label} must be ${rangeText(definition, String(lowest), String(highest), parsed.value < lowest)}, got ${parsed.shown}`,
    );
  }
  return { ok: true, value: parsed.value.toString() };
}

function convertDouble(definition: TopicConfigDefinition, raw: RawConfigValue, label: string): ConfigValueResult {
  const text = raw.type === 'number' ? raw.text : raw.type === 'string' ? raw.text.trim() : '';
  const value = raw.type === 'number' ? raw.value : DECIMAL_NUMBER.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) {
    return failure('invalid-config-value', `${label} must be a number, got ${describeRaw(raw)}`);
  }
  const lowest = definition.min ?? -Number.MAX_VALUE;
  const highest = definition.max ?? Number.MAX_VALUE;
  if (value < lowest || value > highest) {
    return failure(
      'config-out-of-range',
      `${label} must be ${rangeText(definition, String(lowest), String(highest), value < lowest)}, got ${text}`,
    );
  }
  return { ok: true, value: String(value) };
}

function convertBoolean(raw: RawConfigValue, label: string): ConfigValueResult {
  if (raw.type === 'boolean') return { ok: true, value: String(raw.value) };
  const text = raw.type === 'string' ? raw.text.trim().toLowerCase() : '';
  if (text === 'true' || text === 'false') return { ok: true, value: text };
  return failure('invalid-config-value', `${label} must be true or false, got ${describeRaw(raw)}`);
}

/** Checks one word against a fixed set of values or an item shape. */
function checkWord(definition: TopicConfigDefinition, word: string, where: string): ConfigValueResult {
  const { values, itemPattern } = definition;
  const invalid = `invalid value ${JSON.stringify(word)} for "${definition.name}" in ${where}`;
  if (values !== undefined && !values.includes(word)) {
    return failure('invalid-config-value', invalid, didYouMean(word, values) ?? `expected one of: ${values.join(', ')}`);
  }
  if (itemPattern !== undefined && !itemPattern.test(word)) {
    return failure('invalid-config-value', invalid, `expected ${definition.itemDescription ?? itemPattern.source}`);
  }
  if (definition.type === 'class' && !JAVA_CLASS_NAME.test(word)) {
    return failure('invalid-config-value', invalid, 'expected a fully qualified Java class name');
  }
  return { ok: true, value: word };
}

function scalarText(raw: RawScalar): string | undefined {
  if (raw.type === 'string') return raw.text;
  if (raw.type === 'number') return raw.text;
  return undefined;
}

function convertString(definition: TopicConfigDefinition, raw: RawConfigValue, label: string, where: string): ConfigValueResult {
  const text = raw.type === 'list' || raw.type === 'mapping' ? undefined : scalarText(raw);
  if (text === undefined) {
    return failure('invalid-config-value', `${label} must be a string, got ${describeRaw(raw)}`);
  }
  return checkWord(definition, text.trim(), where);
}

function convertList(definition: TopicConfigDefinition, raw: RawConfigValue, label: string, where: string): ConfigValueResult {
  let words: string[];
  if (raw.type === 'list') {
    words = [];
    for (const item of raw.items) {
      const text = scalarText(item);
      if (text === undefined) {
        return failure('invalid-config-value', `items of ${label} must be strings, got ${describeRaw(item)}`);
      }
      words.push(text.trim());
    }
  } else if (raw.type === 'string') {
    words = raw.text.split(',').map((w) => w.trim()).filter((w) => w !== '');
  } else {
    return failure('invalid-config-value', `${label} must be a list or a comma-separated string, got ${describeRaw(raw)}`);
  }
  for (const word of words) {
    const checked = checkWord(definition, word, where);
    if (!checked.ok) return checked;
  }
  return { ok: true, value: words.join(',') };
}

/**
 * Converts a value from the file to the string Kafka stores: human units become
 * integers, YAML numbers and booleans become their Kafka spelling.
 * `where` names the place for messages, e.g. `topic "sensor-data"`.
 */
export function convertConfigValue(definition: TopicConfigDefinition, raw: RawConfigValue, where: string): ConfigValueResult {
  const label = `"${definition.name}" in ${where}`;
  switch (definition.type) {
    case 'long':
    case 'int':
      return convertInteger(definition, raw, label);
    case 'double':
      return convertDouble(definition, raw, label);
    case 'boolean':
      return convertBoolean(raw, label);
    case 'string':
    case 'class':
      return convertString(definition, raw, label, where);
    case 'list':
      return convertList(definition, raw, label, where);
  }
}

/**
 * One spelling per value, so the file's "604800000" equals the broker's, and
 * "compact,delete" equals "delete, compact".
 */
export function normaliseConfigValue(name: string, value: string): string {
  const definition = topicConfig(name);
  const text = value.trim();
  switch (definition?.type) {
    case 'list':
      return text
        .replace(/^\[|\]$/g, '')
        .split(',')
        .map((w) => w.trim())
        .filter((w) => w !== '')
        .sort()
        .join(',');
    case 'long':
    case 'int':
      return DECIMAL_INTEGER.test(text) ? BigInt(text).toString() : text;
    case 'double':
      return DECIMAL_NUMBER.test(text) ? String(Number(text)) : text;
    case 'boolean':
      return text.toLowerCase();
    default:
      return text;
  }
}
