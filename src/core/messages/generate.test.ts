import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSchemaFiles } from '../schemas/index.js';
import { conformValue } from './conform.js';
import { generateMessages } from './generate.js';

const schemas = parseSchemaFiles(
  ['location', 'sensor-data', 'device-event', 'dlq-envelope'].map((n) => ({ path: n, text: readFileSync(new URL(`../../../schemas/${n}.avsc`, import.meta.url), 'utf8') })),
).schemas;
const sensor = schemas.get('sensor-data')!.schema;
const endMs = Date.parse('2024-05-01T12:00:00Z');

interface Reading {
  sensor_id: string;
  timestamp: number;
  value: number;
  unit: string;
  location: { lat: number; lon: number } | null;
}

describe('generateMessages', () => {
  it('writes values that conform to every project schema', () => {
    for (const [name, parsed] of schemas) {
      for (const { value } of generateMessages(parsed.schema, { seed: 1, count: 200, endMs })) {
        const result = conformValue(parsed.schema, value);
        expect(result.ok, `${name}: ${JSON.stringify(value)}`).toBe(true);
      }
    }
  });

  it('repeats with the same seed and differs with another', () => {
    const run = (seed: number) => [...generateMessages(sensor, { seed, count: 50, endMs })];
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('keys each reading by its device, whose readings are plausible and in time order', () => {
    const messages = [...generateMessages(sensor, { seed: 3, count: 2000, endMs })];
    const byDevice = new Map<string, Reading[]>();
    for (const { key, value } of messages) {
      const reading = value as Reading;
      expect(reading.sensor_id).toBe(key);
      byDevice.set(key, [...(byDevice.get(key) ?? []), reading]);
    }
    expect(byDevice.size).toBe(100);
    for (const readings of byDevice.values()) {
      const units = new Set(readings.map((r) => r.unit));
      expect(units.size).toBe(1);
      for (let i = 1; i < readings.length; i++) expect(readings[i]!.timestamp).toBeGreaterThan(readings[i - 1]!.timestamp);
      expect(readings.at(-1)!.timestamp).toBeLessThanOrEqual(endMs);
      const values = readings.map((r) => r.value);
      if (readings[0]!.unit === 'C') expect(Math.max(...values) - Math.min(...values)).toBeLessThan(15);
      for (const r of readings) if (r.location) expect(Math.abs(r.location.lat)).toBeLessThanOrEqual(90);
    }
  });

  it("makes what depends on the device alone once: a device's location and metadata are one frozen value, or always absent", () => {
    const byDevice = new Map<string, Set<unknown>>();
    for (const { key, value } of generateMessages(sensor, { seed: 4, count: 1000, endMs })) {
      const { location, metadata } = value as { location: unknown; metadata: unknown };
      byDevice.set(key, (byDevice.get(key) ?? new Set()).add(location).add(metadata));
      for (const shared of [location, metadata]) if (shared !== null) expect(Object.isFrozen(shared)).toBe(true);
    }
    expect(byDevice.size).toBe(100);
    // A location and a metadata map, each of them there or not, per device.
    for (const values of byDevice.values()) expect(values.size).toBeLessThanOrEqual(2);
    const located = [...byDevice.values()].filter((values) => [...values].some((v) => v !== null && 'lat' in (v as object))).length;
    expect(located).toBeGreaterThan(70);
    expect(located).toBeLessThan(100);
  });
});
