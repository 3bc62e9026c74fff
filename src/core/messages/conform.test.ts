import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSchemaFiles, parseSchemaText, type AvroSchema } from '../schemas/index.js';
import { conformValue } from './conform.js';

function projectSchema(name: string): AvroSchema {
  const files = ['location', 'sensor-data', 'device-event', 'dlq-envelope'].map((n) => ({ path: `schemas/${n}.avsc`, text: readFileSync(new URL(`../../../schemas/${n}.avsc`, import.meta.url), 'utf8') }));
  return parseSchemaFiles(files).schemas.get(`schemas/${name}.avsc`)!.schema;
}

const sensor = projectSchema('sensor-data');
const reading = { sensor_id: 'sensor-0001', timestamp: 1714564800000, value: 21.5, unit: 'C' };

describe('conformValue', () => {
  it('fills defaults and wraps union branches for the encoder', () => {
    const result = conformValue(sensor, { ...reading, location: { lat: 52.1, lon: 4.3 } });
    expect(result).toEqual({
      ok: true,
      value: {
        ...reading,
        location: { 'com.iotplatform.messaging.Location': { lat: 52.1, lon: 4.3, altitude: null } },
        metadata: null,
      },
    });
  });

  it("takes Avro's JSON encoding of a union branch too", () => {
    const result = conformValue(sensor, { ...reading, metadata: { map: { site: 'ams' } } });
    expect(result.ok && (result.value as { metadata: unknown }).metadata).toEqual({ map: { site: 'ams' } });
  });

  it('takes an ISO timestamp for timestamp-millis', () => {
    const result = conformValue(sensor, { ...reading, timestamp: '2024-05-01T12:00:00Z' });
    expect(result.ok && (result.value as { timestamp: number }).timestamp).toBe(1714564800000);
  });

  it('names the field path of every problem', () => {
    const result = conformValue(sensor, { sensor_id: 7, timestamp: 1.5, unit: 'C', location: { lat: 'north', lon: 4 }, metadata: { site: 3 }, colour: 'red' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      { path: '$.sensor_id', message: 'expected string, got number 7' },
      { path: '$.timestamp', message: 'expected long (integer), got number 1.5' },
      { path: '$.value', message: 'missing required field of type double' },
      { path: '$.location.lat', message: 'expected double, got string "north"' },
      { path: '$.metadata.site', message: 'expected string, got number 3' },
      { path: '$.colour', message: 'unknown field: record SensorData has sensor_id, timestamp, value, unit, location, metadata' },
    ]);
  });

  it('checks enums, ints and bytes', () => {
    const event = projectSchema('device-event');
    const bad = conformValue(event, { event_id: 'e', device_id: 'd', event_type: 'EXPLODED', timestamp: 1 });
    expect(!bad.ok && bad.problems[0]).toEqual({ path: '$.event_type', message: 'expected one of UNKNOWN, CONNECTED, DISCONNECTED, REBOOTED, FIRMWARE_UPDATED, ALERT (enum DeviceEventType), got string "EXPLODED"' });

    const dlq = projectSchema('dlq-envelope');
    const envelope = { original_topic: 't', original_partition: 2 ** 31, original_offset: 5, error_class: 'E', error_message: 'm', failed_at: 1, payload: '\u00ff\u0001' };
    const result = conformValue(dlq, envelope, { bytes: (b) => Array.from(b) });
    expect(!result.ok && result.problems).toEqual([{ path: '$.original_partition', message: 'expected int (32-bit integer), got number 2147483648' }]);
    const fixed = conformValue(dlq, { ...envelope, original_partition: 1 }, { bytes: (b) => Array.from(b) });
    expect(fixed.ok && (fixed.value as { payload: number[] }).payload).toEqual([255, 1]);
  });

  it('quotes map keys that are not identifiers', () => {
    const schema = parseSchemaText('{"type":"map","values":"int"}').schema!.schema;
    const result = conformValue(schema, { 'a b': 'x' });
    expect(!result.ok && result.problems[0]!.path).toBe('$["a b"]');
  });

  it('says which branches a union value matches none of', () => {
    const schema = parseSchemaText('["null","int","string"]').schema!.schema;
    const result = conformValue(schema, true);
    expect(!result.ok && result.problems[0]).toEqual({ path: '$', message: 'expected one of null | int | string, got boolean true' });
  });
});
