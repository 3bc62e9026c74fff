import { readFileSync } from 'node:fs';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { ByteSink, compileFittingWriter, generateMessages, type FittingWriter } from '../../core/messages/index.js';
import { parseSchemaFiles, parseSchemaText } from '../../core/schemas/index.js';
import { AvroWireEncoder } from './avro.js';
import { createValueEncoder } from './codecs.js';
import { bytesForDisplay } from './detect.js';

const schemaText = '{"type":"record","name":"R","fields":[{"name":"id","type":"string"},{"name":"n","type":["null","long"],"default":null},{"name":"raw","type":"bytes"}]}';
const model = parseSchemaText(schemaText).schema!.schema;

/** The unchecked writer, behind the same wire header, writes what the checked encoder writes. A tiny sink makes it grow. */
function expectSameBytes(encoder: AvroWireEncoder, write: FittingWriter, schemaId: number, value: unknown): void {
  const sink = new ByteSink(1);
  sink.byte(0);
  sink.int32BE(schemaId);
  write(value, sink);
  const checked = encoder.encode(value);
  expect(checked.ok && sink.buffer.subarray(0, sink.position)).toEqual(checked.ok && checked.bytes);
}

describe('value encoders', () => {
  it('write Avro in the Confluent wire format: magic byte, big-endian schema id, Avro body', async () => {
    const encoder = createValueEncoder('avro', { avro: await AvroWireEncoder.create(258, schemaText, model) });
    const encoded = encoder.fromText('{"id":"a","n":5,"raw":"\\u0001\\u00ff"}');
    if (!encoded.ok) throw new Error('not encoded');
    expect([...encoded.bytes.subarray(0, 5)]).toEqual([0, 0, 0, 1, 2]);
    const type = avro.Type.forSchema(JSON.parse(schemaText) as avro.Schema);
    expect(type.fromBuffer(encoded.bytes.subarray(5))).toEqual({ id: 'a', n: 5, raw: Buffer.from([1, 255]) });
  });

  it('refuse with the field path instead of encoding', async () => {
    const encoder = createValueEncoder('avro', { avro: await AvroWireEncoder.create(1, schemaText, model) });
    expect(encoder.fromValue({ id: 'a', n: 'five', raw: '' })).toEqual({ ok: false, problems: [{ path: '$.n', message: 'expected one of null | long, got string "five"' }] });
    expect(encoder.fromText('{"id":')).toMatchObject({ ok: false, problems: [{ path: '$', message: expect.stringContaining('not valid JSON') }] });
  });

  it('grow past their scratch space for large values', async () => {
    const encoder = await AvroWireEncoder.create(1, schemaText, model);
    const encoded = encoder.encode({ id: 'x'.repeat(200_000), raw: '' });
    expect(encoded.ok && encoded.bytes.length).toBeGreaterThan(200_000);
  });

  it('agree with the unchecked writer of generated values, byte for byte, for the project schemas and every Avro type', async () => {
    const names = ['location', 'sensor-data', 'device-event', 'dlq-envelope'];
    const files = names.map((n) => ({ path: n, text: readFileSync(new URL(`../../../schemas/${n}.avsc`, import.meta.url), 'utf8') }));
    const everyType = JSON.stringify({
      type: 'record',
      name: 'Every',
      fields: [
        { name: 'flag', type: 'boolean' },
        { name: 'count', type: 'int' },
        { name: 'total', type: 'long' },
        { name: 'ratio', type: 'float' },
        { name: 'reading', type: 'double' },
        { name: 'payload', type: 'bytes' },
        { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
        { name: 'state', type: { type: 'enum', name: 'State', symbols: ['ON', 'OFF', 'UNKNOWN'] } },
        { name: 'tags', type: { type: 'array', items: 'string' } },
        { name: 'labels', type: { type: 'map', values: 'long' } },
        { name: 'event_id', type: { type: 'string', logicalType: 'uuid' } },
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } },
        { name: 'next', type: ['null', 'Every'], default: null },
        { name: 'note', type: ['string', 'null'] },
      ],
    });
    const schemas = [...parseSchemaFiles(files).schemas.values()].map((p) => ({ text: p.registrationForm, schema: p.schema }));
    schemas.push({ text: everyType, schema: parseSchemaText(everyType).schema!.schema });
    for (const { text, schema } of schemas) {
      const encoder = await AvroWireEncoder.create(9, text, schema);
      const write = compileFittingWriter(schema)!;
      for (const { value } of generateMessages(schema, { seed: 2, count: 300, endMs: Date.parse('2024-05-01T12:00:00Z') })) {
        expectSameBytes(encoder, write, 9, value);
      }
    }
  });

  it('agree with the unchecked writer on strings of any length and script, and on large and negative longs', async () => {
    const text = '{"type":"record","name":"S","fields":[{"name":"s","type":"string"},{"name":"n","type":"long"}]}';
    const schema = parseSchemaText(text).schema!.schema;
    const encoder = await AvroWireEncoder.create(1, text, schema);
    const write = compileFittingWriter(schema)!;
    const strings = ['', 'a', 'x'.repeat(63), 'x'.repeat(64), 'y'.repeat(5000), 'héllo', 'ascii then ü', '温度センサー', 'emoji 🌡️'];
    const numbers = [0, 1, -1, 63, -64, 64, 2 ** 30 - 1, 2 ** 30, -(2 ** 30), -(2 ** 30) - 1, 2 ** 31, 1_714_564_800_000_000, -(2 ** 52), 2 ** 53 - 2];
    for (const s of strings) {
      for (const n of numbers) {
        expectSameBytes(encoder, write, 1, { s, n });
      }
    }
  });

  it('leave unions a plain value cannot settle to the checked encoder', () => {
    const text = '{"type":"record","name":"U","fields":[{"name":"v","type":["null","long","string"]}]}';
    expect(compileFittingWriter(parseSchemaText(text).schema!.schema)).toBeUndefined();
  });

  it('send JSON as written, check it against a schema when there is one, and read hex for bytes', () => {
    expect(createValueEncoder('json', {}).fromText(' {"a": 1} ')).toEqual({ ok: true, bytes: Buffer.from('{"a": 1}') });
    expect(createValueEncoder('json', { schema: model }).fromText('{"id":1,"raw":""}')).toMatchObject({ ok: false, problems: [{ path: '$.id' }] });
    expect(createValueEncoder('bytes', {}).fromText('0x00 ff10')).toEqual({ ok: true, bytes: Buffer.from([0, 255, 16]) });
    expect(createValueEncoder('bytes', {}).fromText('abc')).toMatchObject({ ok: false });
    expect(createValueEncoder('string', {}).fromText('héllo')).toEqual({ ok: true, bytes: Buffer.from('héllo') });
  });
});

describe('bytesForDisplay', () => {
  it('shows printable UTF-8 as text and anything else as hex', () => {
    expect(bytesForDisplay(Buffer.from('héllo\tworld\n'))).toEqual({ format: 'text', value: 'héllo\tworld\n', size: 13 });
    expect(bytesForDisplay(Buffer.from([0x68, 0x00, 0x69]))).toEqual({ format: 'hex', value: '680069', size: 3 });
    expect(bytesForDisplay(Buffer.from([0xc3, 0x28]))).toEqual({ format: 'hex', value: 'c328', size: 2 });
  });
});
