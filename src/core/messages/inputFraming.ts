/**
 * How one line of `produce` input becomes a message: the whole line is the value, kcat's
 * `-K <delimiter>` splits a key off the front, or an NDJSON envelope carries key, value,
 * headers and partition. The envelope takes what `tail -o ndjson` prints, so a topic's
 * messages can be written again as they were read. Pure.
 */
import type { RecordHeader } from './produceProtocol.js';

export type InputFraming = { kind: 'line' } | { kind: 'keyed'; delimiter: string } | { kind: 'envelope' };

export interface FramedInput {
  /** Absent: the message gets --key, or no key. */
  key?: Buffer | null;
  /** Text for the value encoder, a JSON value from an envelope, or null for a tombstone. */
  value: { text: string } | { json: unknown } | null;
  headers: RecordHeader[];
  partition?: number;
}

export type FramingResult = { ok: true; input: FramedInput } | { ok: false; problem: string };

const ENVELOPE_FIELDS = ['key', 'value', 'headers', 'partition'];
/** Fields of `tail`'s NDJSON that describe where a message was read; they have no say in where it is written. */
const PROVENANCE_FIELDS = ['topic', 'offset', 'timestamp', 'keyFormat', 'valueFormat', 'schemaId'];

/** `\t` and `\xNN` as kcat writes them, so that a tab can be given without a literal tab. */
export function parseDelimiter(text: string): string | undefined {
  const unescaped = text.replace(/\\t/g, '\t').replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return unescaped === '' ? undefined : unescaped;
}

export function frameInput(line: string, framing: InputFraming): FramingResult {
  switch (framing.kind) {
    case 'line':
      return { ok: true, input: { value: { text: line }, headers: [] } };
    case 'keyed':
      return splitKey(line, framing.delimiter);
    case 'envelope':
      return parseEnvelope(line);
  }
}

/** As Kafka's console producer with parse.key: a line without the delimiter is refused, not sent keyless. */
function splitKey(line: string, delimiter: string): FramingResult {
  const at = line.indexOf(delimiter);
  if (at < 0) return { ok: false, problem: `no key delimiter ${JSON.stringify(delimiter)} in the line` };
  return { ok: true, input: { key: Buffer.from(line.slice(0, at), 'utf8'), value: { text: line.slice(at + delimiter.length) }, headers: [] } };
}

function parseEnvelope(line: string): FramingResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return { ok: false, problem: `not a JSON envelope: ${(error as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, problem: 'an envelope is a JSON object such as {"key":"k","value":{...}}' };
  const envelope = parsed as Record<string, unknown>;
  const unknown = Object.keys(envelope).find((field) => !ENVELOPE_FIELDS.includes(field) && !PROVENANCE_FIELDS.includes(field));
  if (unknown !== undefined) return { ok: false, problem: `unknown envelope field "${unknown}" (an envelope has ${ENVELOPE_FIELDS.join(', ')})` };
  if (!('value' in envelope)) return { ok: false, problem: 'the envelope has no "value" (null writes a tombstone)' };

  const input: FramedInput = { value: envelope.value === null ? null : { json: envelope.value }, headers: [] };
  if ('key' in envelope) {
    const key = keyBytes(envelope.key, envelope.keyFormat);
    if (key === undefined) return { ok: false, problem: '"key" is not hex digits, and keyFormat says "hex"' };
    input.key = key;
  }
  if (envelope.headers !== undefined) {
    const headers = envelope.headers;
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return { ok: false, problem: '"headers" is an object of names to text values' };
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== 'string') return { ok: false, problem: `header "${name}" is not text` };
      input.headers.push({ key: Buffer.from(name, 'utf8'), value: Buffer.from(value, 'utf8') });
    }
  }
  if (envelope.partition !== undefined) {
    const partition = envelope.partition;
    if (typeof partition !== 'number' || !Number.isSafeInteger(partition) || partition < 0) return { ok: false, problem: '"partition" is a whole number of 0 or more' };
    input.partition = partition;
  }
  return { ok: true, input };
}

/** A key as `tail` prints it: text, hex for binary keys (keyFormat "hex"), or JSON for a decoded one. */
function keyBytes(key: unknown, format: unknown): Buffer | null | undefined {
  if (key === null) return null;
  if (typeof key !== 'string') return Buffer.from(JSON.stringify(key), 'utf8');
  if (format !== 'hex') return Buffer.from(key, 'utf8');
  return /^(?:[0-9a-fA-F]{2})*$/.test(key) ? Buffer.from(key, 'hex') : undefined;
}
