import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';
import { ByteSink } from './byteSink.js';
import { decodeProduceResponse, encodeProduceRequest, encodeRecordBatch, NO_PRODUCER, RecordRunWriter, type RecordHeader, type RecordRun, type RecordValue } from './produceProtocol.js';

// KafkaJS's own record batch decoder is an independent reader of the bytes written here.
const require = createRequire(import.meta.url);
const KafkaDecoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<DecodedBatch>;

interface DecodedBatch {
  firstOffset: string;
  firstSequence: number;
  producerId: string;
  producerEpoch: number;
  firstTimestamp: string;
  records: { key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer>; offset: string; timestamp: string }[];
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('crc32c', () => {
  it('matches the published check values', () => {
    expect(crc32c(utf8('123456789'))).toBe(0xe3069283);
    // RFC 3720, B.4: 32 bytes of zeros, of 0xff, ascending and descending
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
  });

  it('checks a range of a buffer, whatever its length modulo eight', () => {
    const text = utf8('xx123456789yyy');
    expect(crc32c(text, 2, 11)).toBe(0xe3069283);
    for (let length = 0; length < 20; length++) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 37) & 0xff));
      expect(crc32c(Buffer.concat([utf8('pad'), bytes]), 3)).toBe(crc32c(bytes));
    }
  });

  it('agrees with a bit-at-a-time CRC at every alignment of the memory and every length', () => {
    const bitwise = (bytes: Uint8Array) => {
      let crc = ~0;
      for (const byte of bytes) {
        crc ^= byte;
        for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
      }
      return ~crc >>> 0;
    };
    const memory = new Uint8Array(200).map((_, i) => (i * 73 + 11) & 0xff);
    for (let offset = 0; offset < 8; offset++) {
      for (const length of [0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 64, 101]) {
        const view = new Uint8Array(memory.buffer, offset, length);
        expect(crc32c(view)).toBe(bitwise(view));
        expect(crc32c(memory, offset, offset + length)).toBe(bitwise(view));
      }
    }
  });
});

interface TestRecord {
  key: Buffer | null;
  value: RecordValue;
  headers: RecordHeader[];
}

/** A run written into a sink that starts at one byte, so that it grows on the way. */
function runOf(records: readonly TestRecord[]): RecordRun {
  const writer = new RecordRunWriter(new ByteSink(1));
  for (const { key, value, headers } of records) writer.append(key, headers, value);
  return writer.run();
}

describe('record runs and batches', () => {
  const records: TestRecord[] = [
    { key: utf8('device-1'), value: utf8('{"t":21.5}'), headers: [{ key: utf8('source'), value: utf8('gateway-7') }] },
    { key: null, value: Buffer.alloc(300, 7), headers: [] },
    { key: utf8('dévice-2'), value: null, headers: [] },
    { key: utf8('device-3'), value: (sink) => sink.string('written in place'), headers: [] },
  ];

  it('writes a batch that KafkaJS decodes to the same records, sequence and producer', async () => {
    const batch = encodeRecordBatch(runOf(records), { timestamp: 1_700_000_000_123, producer: { producerId: 4242n, producerEpoch: 3 }, baseSequence: 17 });
    const decoded = await decodeRecordBatch(new KafkaDecoder(batch));
    expect(decoded.producerId).toBe('4242');
    expect(decoded.producerEpoch).toBe(3);
    expect(decoded.firstSequence).toBe(17);
    expect(decoded.records.map((r) => [r.offset, r.timestamp, r.key?.toString('utf8') ?? null])).toEqual([
      ['0', '1700000000123', 'device-1'],
      ['1', '1700000000123', null],
      ['2', '1700000000123', 'dévice-2'],
      ['3', '1700000000123', 'device-3'],
    ]);
    expect(decoded.records[0]!.headers).toEqual({ source: utf8('gateway-7') });
    expect(decoded.records[1]!.value).toEqual(Buffer.alloc(300, 7));
    expect(decoded.records[2]!.value).toBeNull();
    expect(decoded.records[3]!.value).toEqual(Buffer.from([32, ...utf8('written in place')]));
  });

  it('moves a value written in place when its length prefixes are longer or shorter than the record before', async () => {
    // Lengths up to 63 take one varint byte, up to 8191 two, and more three: sizes across both limits, up and down.
    const sizes = [1, 62, 63, 64, 200, 5, 8190, 8191, 8192, 20_000, 0, 70, 63];
    const values = sizes.map((size, i) => Buffer.alloc(size, i + 1));
    const run = runOf(values.map((value) => ({ key: utf8('k'), headers: [], value: (sink) => sink.bytes(value) })));
    const decoded = await decodeRecordBatch(new KafkaDecoder(encodeRecordBatch(run, { timestamp: 1, producer: NO_PRODUCER, baseSequence: -1 })));
    expect(decoded.records.map((r) => r.value)).toEqual(values);
    expect(run.records).toEqual(runOf(values.map((value) => ({ key: utf8('k'), headers: [], value }))).records);
  });

  it('carries a CRC-32C of everything from the attributes on', () => {
    const batch = encodeRecordBatch(runOf(records), { timestamp: 1, producer: NO_PRODUCER, baseSequence: -1 });
    expect(batch.readInt32BE(8)).toBe(batch.length - 12);
    expect(batch[16]).toBe(2);
    expect(batch.readUInt32BE(17)).toBe(crc32c(batch, 21));
    expect(batch.readBigInt64BE(43)).toBe(-1n);
  });

  it('refuses an empty batch', () => {
    expect(() => encodeRecordBatch(runOf([]), { timestamp: 1, producer: NO_PRODUCER, baseSequence: -1 })).toThrow(RangeError);
  });
});

describe('Produce v7', () => {
  it('frames every partition batch with its size, after acks and timeout', () => {
    const a = encodeRecordBatch(runOf([{ key: null, value: utf8('a'), headers: [] }]), { timestamp: 1, producer: NO_PRODUCER, baseSequence: -1 });
    const body = encodeProduceRequest({ acks: -1, timeoutMs: 30_000, topic: 'sensor-data', batches: [{ partition: 5, batch: a }] });
    expect(body.readInt16BE(0)).toBe(-1);
    expect(body.readInt16BE(2)).toBe(-1);
    expect(body.readInt32BE(4)).toBe(30_000);
    expect(body.readInt32BE(8)).toBe(1);
    expect(body.toString('utf8', 14, 14 + body.readInt16BE(12))).toBe('sensor-data');
    const at = 14 + 'sensor-data'.length;
    expect([body.readInt32BE(at), body.readInt32BE(at + 4), body.readInt32BE(at + 8)]).toEqual([1, 5, a.length]);
    expect(body.subarray(at + 12)).toEqual(a);
  });

  it('reads each partition error and base offset from a response', () => {
    const response = Buffer.alloc(4 + 2 + 3 + 4 + 2 * 30 + 4);
    let at = response.writeInt32BE(1, 0);
    at = response.writeInt16BE(3, at);
    at += response.write('abc', at);
    at = response.writeInt32BE(2, at);
    for (const [partition, errorCode, offset] of [
      [0, 0, 120n],
      [1, 6, -1n],
    ] as const) {
      at = response.writeInt32BE(partition, at);
      at = response.writeInt16BE(errorCode, at);
      at = response.writeBigInt64BE(offset, at);
      at = response.writeBigInt64BE(-1n, at);
      at = response.writeBigInt64BE(0n, at);
    }
    response.writeInt32BE(0, at);
    expect(decodeProduceResponse(response)).toEqual([
      {
        topic: 'abc',
        partitions: [
          { partition: 0, errorCode: 0, baseOffset: 120n },
          { partition: 1, errorCode: 6, baseOffset: -1n },
        ],
      },
    ]);
  });
});
