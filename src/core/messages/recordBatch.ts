import { ProtocolError } from '../protocol/bytes.js';
import type { AbortedTransaction } from './fetch.js';
import { ByteSink } from './byteSink.js';
import { crc32c } from './crc32c.js';

/**
 * Record batches (magic v2) read straight from a Fetch response's bytes: the batch headers
 * first (CRC-32C checked), then a batch's records into a RecordTable, a set of typed arrays
 * reused from batch to batch that point into the bytes instead of one object per record.
 */

export const enum Compression {
  none = 0,
  gzip = 1,
  snappy = 2,
  lz4 = 3,
  zstd = 4,
}

export interface BatchHeader {
  baseOffset: number;
  /** The offset after the batch: where the next fetch starts (compaction may leave gaps). */
  nextOffset: number;
  /** The batch's records, compressed or not: `records[recordsStart, end)`. */
  recordsStart: number;
  end: number;
  compression: Compression;
  /** Every record's timestamp is the broker's (LogAppendTime), the batch's max timestamp. */
  logAppendTime: boolean;
  transactional: boolean;
  control: boolean;
  baseTimestamp: number;
  maxTimestamp: number;
  /** -1n without a producer id. */
  producerId: bigint;
  recordCount: number;
}

const HEADER_BYTES = 61;
const CRC_START = 21;

export interface BatchScan {
  batches: BatchHeader[];
  /** The size of a batch cut short when no batch was complete: the fetch needs that much room. */
  neededBytes: number | undefined;
}

/** The complete batches in a fetch's records; the cut-short one a broker may end with is left out. */
export function scanBatches(records: Buffer): BatchScan {
  const batches: BatchHeader[] = [];
  let at = 0;
  while (records.length - at >= 17) {
    const size = 12 + records.readInt32BE(at + 8);
    if (at + size > records.length) {
      return { batches, neededBytes: batches.length === 0 ? size : undefined };
    }
    const magic = records[at + 16]!;
    if (magic !== 2) throw new ProtocolError(`a record batch in message format v${magic}: iotmsg reads format v2 (Kafka 0.11 and later) only`);
    if (size < HEADER_BYTES) throw new ProtocolError(`a record batch of ${size} bytes is shorter than its header`);
    const crc = records.readUInt32BE(at + 17);
    if (crc32c(records, at + CRC_START, at + size) !== crc) {
      throw new ProtocolError(`the record batch at offset ${records.readBigInt64BE(at)} fails its CRC check: the data was damaged on its way`);
    }
    const attributes = records.readInt16BE(at + 21);
    const baseOffset = Number(records.readBigInt64BE(at));
    batches.push({
      baseOffset,
      nextOffset: baseOffset + records.readInt32BE(at + 23) + 1,
      recordsStart: at + HEADER_BYTES,
      end: at + size,
      compression: attributes & 7,
      logAppendTime: (attributes & 8) !== 0,
      transactional: (attributes & 16) !== 0,
      control: (attributes & 32) !== 0,
      baseTimestamp: Number(records.readBigInt64BE(at + 27)),
      maxTimestamp: Number(records.readBigInt64BE(at + 35)),
      producerId: records.readBigInt64BE(at + 43),
      recordCount: records.readInt32BE(at + 57),
    });
    at += size;
  }
  return { batches, neededBytes: undefined };
}

export interface LoadedRecord {
  offset: number;
  timestampMs: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: readonly (readonly [string, Buffer])[];
}

/**
 * A batch's records, as positions into `data`: key and value are `data[start, end)`, a start
 * of -1 is null. Grown as needed and reused, so reading allocates nothing per record.
 */
export class RecordTable {
  count = 0;
  data: Buffer = Buffer.alloc(0);
  offsets = new Float64Array(0);
  timestamps = new Float64Array(0);
  keyStart = new Int32Array(0);
  keyEnd = new Int32Array(0);
  valueStart = new Int32Array(0);
  valueEnd = new Int32Array(0);
  headersStart = new Int32Array(0);
  headerCount = new Int32Array(0);

  private ensure(capacity: number): void {
    if (this.offsets.length >= capacity) return;
    const size = Math.max(capacity, 2 * this.offsets.length, 256);
    this.offsets = new Float64Array(size);
    this.timestamps = new Float64Array(size);
    this.keyStart = new Int32Array(size);
    this.keyEnd = new Int32Array(size);
    this.valueStart = new Int32Array(size);
    this.valueEnd = new Int32Array(size);
    this.headersStart = new Int32Array(size);
    this.headerCount = new Int32Array(size);
  }

  key(i: number): Buffer | null {
    const start = this.keyStart[i]!;
    return start < 0 ? null : this.data.subarray(start, this.keyEnd[i]);
  }

  value(i: number): Buffer | null {
    const start = this.valueStart[i]!;
    return start < 0 ? null : this.data.subarray(start, this.valueEnd[i]);
  }

  /** The record's headers, decoded only when asked for. */
  headers(i: number): [string, Buffer][] {
    const count = this.headerCount[i]!;
    if (count === 0) return [];
    const data = this.data;
    at = this.headersStart[i]!;
    const headers: [string, Buffer][] = [];
    for (let h = 0; h < count; h++) {
      const nameLength = varint(data);
      const name = data.toString('utf8', at, at + nameLength);
      at += nameLength;
      const valueLength = varint(data);
      const value = valueLength < 0 ? Buffer.alloc(0) : data.subarray(at, at + valueLength);
      at += Math.max(0, valueLength);
      headers.push([name, value]);
    }
    return headers;
  }

  /** Holds records that arrived as objects (KafkaJS's consumer, for --group), laid out as a batch's are. */
  load(records: readonly LoadedRecord[]): void {
    this.ensure(records.length);
    const sink = new ByteSink(4096);
    for (let n = 0; n < records.length; n++) {
      const { offset, timestampMs, key, value, headers } = records[n]!;
      this.offsets[n] = offset;
      this.timestamps[n] = timestampMs;
      this.keyStart[n] = key === null ? -1 : sink.position;
      if (key) sink.bytes(key);
      this.keyEnd[n] = sink.position;
      this.valueStart[n] = value === null ? -1 : sink.position;
      if (value) sink.bytes(value);
      this.valueEnd[n] = sink.position;
      this.headerCount[n] = headers.length;
      this.headersStart[n] = sink.position;
      for (const [name, data] of headers) {
        const nameBytes = Buffer.from(name, 'utf8');
        sink.long(nameBytes.length);
        sink.bytes(nameBytes);
        sink.long(data.length);
        sink.bytes(data);
      }
    }
    this.data = sink.buffer.subarray(0, sink.position);
    this.count = records.length;
  }

  /**
   * Reads a batch's records from `data[start, end)` (the batch's own bytes, or what they
   * decompress to), leaving out those before `fromOffset` (a fetch starts in the middle of
   * a batch when it resumes there) and from `toOffset` on.
   */
  fill(batch: BatchHeader, data: Buffer, start: number, end: number, fromOffset: number, toOffset = Infinity): void {
    this.ensure(batch.recordCount);
    this.data = data;
    let n = 0;
    at = start;
    for (let r = 0; r < batch.recordCount; r++) {
      const length = varint(data);
      const recordEnd = at + length;
      if (recordEnd > end) throw new ProtocolError(`a record of the batch at offset ${batch.baseOffset} runs past its end`);
      at++; // attributes: unused
      const timestampDelta = varlong(data);
      const offset = batch.baseOffset + varint(data);
      if (offset >= toOffset) break;
      if (offset < fromOffset) {
        at = recordEnd;
        continue;
      }
      this.offsets[n] = offset;
      this.timestamps[n] = batch.logAppendTime ? batch.maxTimestamp : batch.baseTimestamp + timestampDelta;
      const keyLength = varint(data);
      this.keyStart[n] = keyLength < 0 ? -1 : at;
      if (keyLength > 0) at += keyLength;
      this.keyEnd[n] = at;
      const valueLength = varint(data);
      this.valueStart[n] = valueLength < 0 ? -1 : at;
      if (valueLength > 0) at += valueLength;
      this.valueEnd[n] = at;
      this.headerCount[n] = varint(data);
      this.headersStart[n] = at;
      at = recordEnd;
      n++;
    }
    this.count = n;
  }
}

/** Whether a control batch holds an abort marker (control record key: version, then type 0 = abort, 1 = commit). */
export function isAbortMarker(batch: BatchHeader, data: Buffer, start: number): boolean {
  if (!batch.control || batch.recordCount === 0) return false;
  at = start;
  varint(data); // record length
  at++; // attributes
  varlong(data); // timestamp delta
  varint(data); // offset delta
  const keyLength = varint(data);
  return keyLength >= 4 && data.readInt16BE(at + 2) === 0;
}

/**
 * What read_committed leaves out of a partition's fetch, as the Java consumer decides it:
 * control batches, and the batches of a transaction the broker lists as aborted, up to the
 * abort marker that ends it.
 */
export class TransactionFilter {
  private next = 0;
  private readonly abortedProducers = new Set<bigint>();

  constructor(private readonly aborted: readonly AbortedTransaction[]) {}

  /** True to skip the batch. `abortMarker` tells a control batch's kind, read only when needed. */
  skip(batch: BatchHeader, abortMarker: () => boolean): boolean {
    if (batch.producerId >= 0n) {
      while (this.next < this.aborted.length && this.aborted[this.next]!.firstOffset < batch.nextOffset) {
        this.abortedProducers.add(this.aborted[this.next++]!.producerId);
      }
      if (batch.control) {
        if (abortMarker()) this.abortedProducers.delete(batch.producerId);
      } else if (batch.transactional && this.abortedProducers.has(batch.producerId)) {
        return true;
      }
    }
    return batch.control;
  }
}

// The read position of the varint readers below: a module variable, not an object field,
// keeps the per-record loop free of allocations and property loads.
let at = 0;

/** Zigzag varint of up to 32 bits. */
function varint(data: Buffer): number {
  let byte = data[at++]!;
  let value = byte & 0x7f;
  let shift = 7;
  while (byte & 0x80) {
    byte = data[at++]!;
    value |= (byte & 0x7f) << shift;
    shift += 7;
  }
  return (value >>> 1) ^ -(value & 1);
}

/** Zigzag varint of up to 64 bits, exact within a double's 53. */
function varlong(data: Buffer): number {
  let byte = data[at++]!;
  if ((byte & 0x80) === 0) return (byte >>> 1) ^ -(byte & 1);
  let value = byte & 0x7f;
  let scale = 0x80;
  do {
    byte = data[at++]!;
    value += (byte & 0x7f) * scale;
    scale *= 0x80;
  } while (byte & 0x80);
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}
