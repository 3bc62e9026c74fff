import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../protocol/bytes.js';
import { isAbortMarker, RecordTable, scanBatches, TransactionFilter, type BatchHeader } from './recordBatch.js';

// KafkaJS's record batch encoder is the independent writer of the bytes read here.
const require = createRequire(import.meta.url);
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (options: object) => Promise<{ buffer: Buffer }>;
};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (options: object) => unknown;
const { Types } = require('kafkajs/src/protocol/message/compression') as { Types: { GZIP: number } };

const long = (value: number) => require('kafkajs/src/utils/long').fromValue(value) as unknown;

async function batch(firstOffset: number, options: { compression?: number; transactional?: boolean; producerId?: number; count?: number } = {}): Promise<Buffer> {
  const count = options.count ?? 3;
  const records = Array.from({ length: count }, (_, i) =>
    Record({ offsetDelta: i, timestampDelta: i * 1000, key: i === 1 ? null : Buffer.from(`key-${i}`), value: Buffer.from(`value-${firstOffset + i}`), headers: i === 2 ? { source: 'gw-7', trace: ['a', 'b'] } : {} }),
  );
  const encoded = await RecordBatch({
    compression: options.compression ?? 0,
    firstOffset: long(firstOffset),
    firstTimestamp: 1714564800000,
    maxTimestamp: 1714564802000,
    lastOffsetDelta: count - 1,
    transactional: options.transactional ?? false,
    producerId: long(options.producerId ?? -1),
    records,
  });
  return encoded.buffer;
}

function read(bytes: Buffer, header: BatchHeader, from = 0, to = Infinity): RecordTable {
  const table = new RecordTable();
  const data = header.compression === 1 ? gunzipSync(bytes.subarray(header.recordsStart, header.end)) : bytes;
  const [start, end] = header.compression === 1 ? [0, data.length] : [header.recordsStart, header.end];
  table.fill(header, data, start, end, from, to);
  return table;
}

describe('record batches v2', () => {
  it('reads offsets, timestamps, keys, values and headers as KafkaJS wrote them', async () => {
    const bytes = Buffer.concat([await batch(10), await batch(13)]);
    const { batches, neededBytes } = scanBatches(bytes);
    expect(neededBytes).toBeUndefined();
    expect(batches.map((b) => [b.baseOffset, b.nextOffset, b.recordCount])).toEqual([
      [10, 13, 3],
      [13, 16, 3],
    ]);
    const table = read(bytes, batches[1]!);
    expect(table.count).toBe(3);
    expect([...table.offsets.subarray(0, 3)]).toEqual([13, 14, 15]);
    expect([...table.timestamps.subarray(0, 3)]).toEqual([1714564800000, 1714564801000, 1714564802000]);
    expect(table.key(0)!.toString()).toBe('key-0');
    expect(table.key(1)).toBeNull();
    expect(table.value(2)!.toString()).toBe('value-15');
    expect(table.headers(0)).toEqual([]);
    expect(table.headers(2).map(([k, v]) => `${k}=${v.toString()}`)).toEqual(['source=gw-7', 'trace=a', 'trace=b']);
  });

  it('reads a gzip batch, and leaves out records before the fetch offset and from the end offset on', async () => {
    const bytes = await batch(100, { compression: Types.GZIP, count: 5 });
    const [header] = scanBatches(bytes).batches;
    expect(header!.compression).toBe(1);
    const table = read(bytes, header!, 102, 104);
    expect([...table.offsets.subarray(0, table.count)]).toEqual([102, 103]);
    expect(table.value(0)!.toString()).toBe('value-102');
  });

  it('leaves out a batch cut short at the end of a fetch, and says how large it is when it is the only one', async () => {
    const whole = await batch(0);
    expect(scanBatches(Buffer.concat([whole, whole.subarray(0, 30)])).batches).toHaveLength(1);
    expect(scanBatches(whole.subarray(0, whole.length - 1))).toEqual({ batches: [], neededBytes: whole.length });
  });

  it('refuses a damaged batch: its CRC-32C does not match', async () => {
    const bytes = await batch(0);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff;
    expect(() => scanBatches(bytes)).toThrow(ProtocolError);
    expect(() => scanBatches(bytes)).toThrow(/CRC/);
  });

  it('skips what read_committed skips: aborted transactions up to their marker, and control batches', async () => {
    const abortMarker = Buffer.from([0, 0, 0, 0]);
    const headerOf = (baseOffset: number, producerId: bigint, control: boolean): BatchHeader => ({
      baseOffset, nextOffset: baseOffset + 1, recordsStart: 0, end: 0, compression: 0, logAppendTime: false, transactional: true, control,
      baseTimestamp: 0, maxTimestamp: 0, producerId, recordCount: 1,
    });
    const filter = new TransactionFilter([{ producerId: 7n, firstOffset: 1 }]);
    expect(filter.skip(headerOf(0, 8n, false), () => false)).toBe(false); // committed, other producer
    expect(filter.skip(headerOf(1, 7n, false), () => false)).toBe(true); // aborted
    expect(filter.skip(headerOf(2, 7n, true), () => true)).toBe(true); // its abort marker
    expect(filter.skip(headerOf(3, 7n, false), () => false)).toBe(false); // the producer's next, committed transaction
    expect(filter.skip(headerOf(4, 7n, true), () => false)).toBe(true); // a commit marker
    // A control record's key is version (int16) then type (int16): 0 aborts.
    const record = Buffer.from([(4 + 4) << 1, 0, 0, 0, 4 << 1, ...abortMarker, 0, 0]);
    expect(isAbortMarker(headerOf(0, 7n, true), record, 0)).toBe(true);
  });
});
