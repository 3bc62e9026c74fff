import { readFileSync } from 'node:fs';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { generateMessages } from '../../core/messages/index.js';
import { parseSchemaFiles, parseSchemaText } from '../../core/schemas/index.js';
import { AvroWireEncoder } from './avro.js';
import { createValueEncoder } from './codecs.js';
import { bytesForDisplay } from './detect.js';

const schemaText = '{"type":"record","name":"R","fields":[{"name":"id","type":"string"},{"name":"n","type":["null","long"],"default":null},{"name":"raw","type":"bytes"}]}';
const model = parseSchemaText(schemaText).schema!.schema;

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

  it('write generated values unchecked to the same bytes as checked ones, for every project schema', async () => {
    const names = ['location', 'sensor-data', 'device-event', 'dlq-envelope'];
    const files = names.map((n) => ({ path: n, text: readFileSync(new URL(`../../../schemas/${n}.avsc`, import.meta.url), 'utf8') }));
    for (const parsed of parseSchemaFiles(files).schemas.values()) {
      const encoder = await AvroWireEncoder.create(9, parsed.registrationForm, parsed.schema);
      for (const { value } of generateMessages(parsed.schema, { seed: 2, count: 100, endMs: Date.parse('2024-05-01T12:00:00Z') })) {
        expect(encoder.encodeFitting(value)).toEqual(encoder.encode(value));
      }
    }
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
