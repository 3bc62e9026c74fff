import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderProduceReport, renderTailSummary, TailFormatter, type ProduceReport, type TailRecord } from './messages.js';

const style = new Chalk({ level: 0 });
const record: TailRecord = {
  topic: 'orders.dlq',
  partition: 0,
  offset: '7',
  timestamp: '2024-05-01T12:00:00.000Z',
  key: 'order-1',
  keyFormat: 'text',
  headers: { 'error.class': 'SerializationException', source: 'gw' },
  value: { id: 1 },
  valueFormat: 'json',
};

describe('TailFormatter', () => {
  it('streams one JSON array that parses however many records came', () => {
    const none = new TailFormatter('json', style, false);
    expect(JSON.parse(none.end(false))).toEqual([]);
    const two = new TailFormatter('json', style, false);
    const text = two.record(record) + two.record({ ...record, offset: '8' }) + two.end(false);
    expect((JSON.parse(text) as TailRecord[]).map((r) => r.offset)).toEqual(['7', '8']);
  });

  it('writes NDJSON lines', () => {
    const ndjson = new TailFormatter('ndjson', style, false);
    expect(JSON.parse(ndjson.record(record))).toEqual(record);
  });

  it('puts each header of a dead-letter message on its own line, and others on one', () => {
    expect(new TailFormatter('table', style, true).record(record)).toBe(
      '0:7 2024-05-01T12:00:00.000Z order-1 {"id":1}\n    error.class: SerializationException\n    source: gw\n',
    );
    expect(new TailFormatter('table', style, false).record(record)).toBe('0:7 2024-05-01T12:00:00.000Z order-1 {"id":1}\n    error.class=SerializationException source=gw\n');
  });
});

describe('produce and tail summaries', () => {
  const report: ProduceReport = {
    topic: 'sensor-data',
    format: 'avro',
    schema: { source: 'schemas/sensor-data.avsc', id: 3, subject: 'sensor-data-value', version: 1 },
    requested: 2,
    acknowledged: 2,
    failed: 0,
    bytes: 2048,
    durationMs: 120,
    messagesPerSecond: 16,
    messages: [
      { partition: 4, offset: '10', key: 'sensor-1' },
      { partition: 1, offset: '3', key: null },
    ],
    error: undefined,
  };

  it('lists each message of a small run, then the summary', () => {
    expect(renderProduceReport(report, style)).toBe(
      ['PARTITION  OFFSET  KEY', '4          10      sensor-1', '1          3       (none)', '✓ 2 message(s) written to sensor-data (avro, schema id 3) in 0.12s: 16 msg/s, 2.0 KiB'].join('\n'),
    );
  });

  it('says how many were not acknowledged', () => {
    expect(renderProduceReport({ ...report, acknowledged: 1, failed: 1, messages: undefined }, style)).toBe(
      '✗ 1 message(s) written to sensor-data (avro, schema id 3) in 0.12s: 16 msg/s, 2.0 KiB; 1 not acknowledged',
    );
  });

  it('summarises a tail, saying when it was stopped and how many were filtered out', () => {
    expect(renderTailSummary({ topic: 't', shown: 3, read: 10, partitions: 2, seconds: 1.26, interrupted: true })).toBe('stopped: 3 message(s) (of 10 read) from 2 partition(s) of t in 1.3s');
  });
});
