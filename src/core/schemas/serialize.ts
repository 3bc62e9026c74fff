/**
 * Text forms of a parsed schema, matching Avro Java byte for byte:
 * - canonicalForm: Parsing Canonical Form (SchemaNormalization.toParsingForm),
 * - fingerprint64: its CRC-64-AVRO fingerprint,
 * - registrationForm: Schema.toString(), one self-contained JSON document with
 *   every named type written in full at its first use, which is what a schema
 *   registry without references needs.
 */
import { jsonText, type JsonNode } from './json.js';
import type { AvroName, AvroSchema, RecordField, SchemaProps } from './model.js';

/** Avro Java's Schema.Type names; a name equal to one is always written qualified. */
const TYPE_NAMES = new Set([
  'record', 'enum', 'array', 'map', 'union', 'fixed', 'string', 'bytes', 'int', 'long', 'float', 'double', 'boolean', 'null',
]);

const str = (text: string): string => JSON.stringify(text);

export function canonicalForm(schema: AvroSchema): string {
  const written = new Set<string>();
  const build = (s: AvroSchema): string => {
    switch (s.type) {
      case 'union':
        return `[${s.branches.map(build).join(',')}]`;
      case 'array':
        return `{"type":"array","items":${build(s.items)}}`;
      case 'map':
        return `{"type":"map","values":${build(s.values)}}`;
      case 'record':
      case 'enum':
      case 'fixed': {
        const name = str(s.name.fullName);
        if (written.has(s.name.fullName)) return name;
        written.add(s.name.fullName);
        const head = `{"name":${name},"type":"${s.type}"`;
        if (s.type === 'enum') return `${head},"symbols":[${s.symbols.map(str).join(',')}]}`;
        if (s.type === 'fixed') return `${head},"size":${s.size}}`;
        const fields = s.fields.map((f) => `{"name":${str(f.name)},"type":${build(f.schema)}}`);
        return `${head},"fields":[${fields.join(',')}]}`;
      }
      default:
        return str(s.type);
    }
  };
  return build(schema);
}

const CRC64_EMPTY = 0xc15d213aa4d7a795n;
const UTF8 = new TextEncoder();
/** The CRC-64-AVRO table, split into 32-bit halves so the hot loop avoids BigInt. */
const [CRC_HIGH, CRC_LOW] = (() => {
  const high = new Uint32Array(256);
  const low = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let fp = BigInt(i);
    for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (CRC64_EMPTY & -(fp & 1n));
    high[i] = Number(fp >> 32n);
    low[i] = Number(fp & 0xffffffffn);
  }
  return [high, low];
})();

/** CRC-64-AVRO of the UTF-8 text, as 16 hex digits. */
export function fingerprint64(text: string): string {
  let high = Number(CRC64_EMPTY >> 32n);
  let low = Number(CRC64_EMPTY & 0xffffffffn);
  for (const byte of UTF8.encode(text)) {
    const index = (low ^ byte) & 0xff;
    low = ((low >>> 8) | ((high & 0xff) << 24)) ^ (CRC_LOW[index] ?? 0);
    high = (high >>> 8) ^ (CRC_HIGH[index] ?? 0);
  }
  return (high >>> 0).toString(16).padStart(8, '0') + (low >>> 0).toString(16).padStart(8, '0');
}

/** How Avro Java writes a name relative to the enclosing namespace. */
function qualified(name: AvroName, namespace: string | undefined): string {
  return name.namespace !== undefined && name.namespace === namespace && !TYPE_NAMES.has(name.name)
    ? name.name
    : name.fullName;
}

function propsText(props: SchemaProps): string[] {
  return [...props].map(([key, value]) => `${str(key)}:${jsonText(value)}`);
}

function defaultText(field: RecordField, value: JsonNode): string {
  // Avro Java stores a numeric string default of a float/double field as a number.
  if ((field.schema.type === 'float' || field.schema.type === 'double') && value.kind === 'string') {
    const number = Number(value.value.trim().replace(/[fFdD]$/, ''));
    if (Number.isFinite(number)) return String(number);
  }
  return jsonText(value);
}

export function registrationForm(schema: AvroSchema): string {
  const known = new Set<string>();
  const nameParts = (name: AvroName, namespace: string | undefined): string[] => {
    const parts = [`"name":${str(name.name)}`];
    if (name.namespace !== undefined && name.namespace !== namespace) parts.push(`"namespace":${str(name.namespace)}`);
    else if (name.namespace === undefined && namespace !== undefined) parts.push(`"namespace":""`);
    return parts;
  };
  const write = (s: AvroSchema, namespace: string | undefined): string => {
    switch (s.type) {
      case 'union':
        return `[${s.branches.map((b) => write(b, namespace)).join(',')}]`;
      case 'array':
        return `{${[`"type":"array"`, `"items":${write(s.items, namespace)}`, ...propsText(s.props)].join(',')}}`;
      case 'map':
        return `{${[`"type":"map"`, `"values":${write(s.values, namespace)}`, ...propsText(s.props)].join(',')}}`;
      case 'record':
      case 'enum':
      case 'fixed': {
        if (known.has(s.name.fullName)) return str(qualified(s.name, namespace));
        known.add(s.name.fullName);
        const parts = [`"type":"${s.type === 'record' && s.isError ? 'error' : s.type}"`, ...nameParts(s.name, namespace)];
        if (s.doc !== undefined) parts.push(`"doc":${str(s.doc)}`);
        if (s.type === 'record') {
          const inner = s.name.namespace;
          parts.push(`"fields":[${s.fields.map((f) => writeField(f, inner)).join(',')}]`);
        } else if (s.type === 'enum') {
          parts.push(`"symbols":[${s.symbols.map(str).join(',')}]`);
          if (s.default !== undefined) parts.push(`"default":${str(s.default)}`);
        } else {
          parts.push(`"size":${s.size}`);
        }
        parts.push(...propsText(s.props));
        if (s.aliases.length > 0) parts.push(`"aliases":[${s.aliases.map((a) => str(qualified(a, s.name.namespace))).join(',')}]`);
        return `{${parts.join(',')}}`;
      }
      default:
        return s.props.size === 0 ? str(s.type) : `{${[`"type":${str(s.type)}`, ...propsText(s.props)].join(',')}}`;
    }
  };
  const writeField = (field: RecordField, namespace: string | undefined): string => {
    const parts = [`"name":${str(field.name)}`, `"type":${write(field.schema, namespace)}`];
    if (field.doc !== undefined) parts.push(`"doc":${str(field.doc)}`);
    if (field.default !== undefined) parts.push(`"default":${defaultText(field, field.default)}`);
    if (field.order !== 'ascending') parts.push(`"order":${str(field.order)}`);
    if (field.aliases.length > 0) parts.push(`"aliases":[${field.aliases.map(str).join(',')}]`);
    parts.push(...propsText(field.props));
    return `{${parts.join(',')}}`;
  };
  return write(schema, undefined);
}
