import type { ByteSink } from './byteSink.js';
import { Writer } from '../protocol/bytes.js';
import { crc32c } from './crc32c.js';

/**
 * The bytes of a Kafka Produce request (v7) and its response, and the record batches
 * (magic v2) it carries. KafkaJS builds an object per record and per field, which costs
 * more than generating and Avro-encoding the message. Here records are appended to a run per
 * partition as they are made, values written in place, and a batch is that run behind a
 * header. Pure encoding and decoding: the socket stays in the adapter.
 */

/** v3 to v8 share this request layout; every broker since Kafka 2.1 takes v7. */
export const PRODUCE_VERSION = 7;
export const PRODUCE_API_KEY = 0;

export interface RecordHeader {
  key: Uint8Array;
  value: Uint8Array;
}

/** Who writes a batch: an idempotent producer's id and epoch, or none (-1, -1). */
export interface ProducerIdentity {
  producerId: bigint;
  producerEpoch: number;
}

export const NO_PRODUCER: ProducerIdentity = { producerId: -1n, producerEpoch: -1 };

export interface BatchOptions {
  /** CreateTime of every record in the batch, in ms. */
  timestamp: number;
  producer: ProducerIdentity;
  /** Sequence number of the batch's first record; -1 without a producer id. */
  baseSequence: number;
}

/** baseOffset .. recordCount: the fixed part of a v2 record batch. */
const BATCH_HEADER_BYTES = 61;
/** The CRC covers the batch from its attributes on. */
const CRC_START = 21;
const MAGIC = 2;

function varintSize(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  let size = 1;
  while (v >= 0x80) {
    v >>>= 7;
    size++;
  }
  return size;
}

/** How a record's value is given: its bytes, none (a tombstone), or written straight into the run. */
export type RecordValue = Uint8Array | null | ((sink: ByteSink) => void);

/** Records for one partition batch, end to end, with offset deltas 0 to count - 1. */
export interface RecordRun {
  count: number;
  records: Uint8Array;
}

/**
 * Appends records to a run: attributes and timestamp delta 0 (every record takes its batch's
 * timestamp), offset deltas in the order appended. Nothing is measured before it is written:
 * the record's and the value's length prefixes are guessed from the record before, and the
 * value is moved in the rare case the guess was wrong.
 */
export class RecordRunWriter {
  count = 0;
  private lengthBytes = 1;
  private valueLengthBytes = 1;

  constructor(readonly sink: ByteSink) {}

  append(key: Uint8Array | null, headers: readonly RecordHeader[], value: RecordValue): void {
    const sink = this.sink;
    const start = sink.position;
    const offsetDelta = this.count++;
    // attributes, timestamp delta, offset delta, key
    const beforeValue = 2 + varintSize(offsetDelta) + bytesFieldSize(key);
    const guessedStart = start + this.lengthBytes + beforeValue + this.valueLengthBytes;
    sink.reserve(guessedStart - start);
    sink.position = guessedStart;
    if (typeof value === 'function') value(sink);
    else if (value !== null) sink.bytes(value);
    const valueLength = value === null ? -1 : sink.position - guessedStart;
    const valueLengthBytes = varintSize(valueLength);
    let bodySize = beforeValue + valueLengthBytes + Math.max(0, valueLength) + varintSize(headers.length);
    for (const header of headers) bodySize += bytesFieldSize(header.key) + bytesFieldSize(header.value);
    const lengthBytes = varintSize(bodySize);
    const valueStart = start + lengthBytes + beforeValue + valueLengthBytes;
    const valueEnd = valueStart + Math.max(0, valueLength);
    if (valueStart !== guessedStart) {
      sink.reserve(valueEnd - sink.position);
      sink.buffer.copyWithin(valueStart, guessedStart, sink.position);
      this.lengthBytes = lengthBytes;
      this.valueLengthBytes = valueLengthBytes;
    }
    sink.position = start;
    sink.long(bodySize);
    sink.byte(0);
    sink.byte(0);
    sink.long(offsetDelta);
    writeBytesField(sink, key);
    sink.long(valueLength);
    sink.position = valueEnd;
    sink.long(headers.length);
    for (const header of headers) {
      writeBytesField(sink, header.key);
      writeBytesField(sink, header.value);
    }
  }

  /** Starts a new run in the same memory. */
  clear(): void {
    this.count = 0;
    this.sink.position = 0;
  }

  /** The run so far: a view of the sink's memory, valid until the sink is written to again. */
  run(): RecordRun {
    return { count: this.count, records: this.sink.buffer.subarray(0, this.sink.position) };
  }
}

function bytesFieldSize(bytes: Uint8Array | null): number {
  return bytes === null ? 1 : varintSize(bytes.length) + bytes.length;
}

function writeBytesField(sink: ByteSink, bytes: Uint8Array | null): void {
  if (bytes === null) sink.long(-1);
  else {
    sink.long(bytes.length);
    sink.bytes(bytes);
  }
}

/** One record batch (magic v2, uncompressed) holding a run of records. */
export function encodeRecordBatch(run: RecordRun, options: BatchOptions): Buffer {
  if (run.count === 0) throw new RangeError('a record batch needs at least one record');
  const size = BATCH_HEADER_BYTES + run.records.length;
  const out = new Writer(Buffer.allocUnsafe(size));
  out.int64(0n); // base offset: the broker assigns it
  out.int32(size - 12); // batch length: what follows this field
  out.int32(-1); // partition leader epoch: set by the broker
  out.int8(MAGIC);
  out.int32(0); // CRC, written below
  out.int16(0); // attributes: no compression, not transactional, CreateTime
  out.int32(run.count - 1); // last offset delta
  out.int64(BigInt(options.timestamp)); // base timestamp
  out.int64(BigInt(options.timestamp)); // max timestamp
  out.int64(options.producer.producerId);
  out.int16(options.producer.producerEpoch);
  out.int32(options.baseSequence);
  out.int32(run.count);
  out.bytes(run.records);
  out.buffer.writeUInt32BE(crc32c(out.buffer, CRC_START, size), 17);
  return out.buffer;
}

export interface PartitionBatch {
  partition: number;
  batch: Buffer;
}

export interface ProduceRequest {
  /** -1 for all in-sync replicas. */
  acks: number;
  timeoutMs: number;
  topic: string;
  batches: readonly PartitionBatch[];
}

/** The body of a Produce v7 request (after the request header) for one topic. */
export function encodeProduceRequest(request: ProduceRequest): Buffer {
  const topicBytes = Buffer.byteLength(request.topic, 'utf8');
  let size = 2 + 2 + 4 + 4 + 2 + topicBytes + 4;
  for (const { batch } of request.batches) size += 4 + 4 + batch.length;
  const out = new Writer(Buffer.allocUnsafe(size));
  out.int16(-1); // transactional id: none
  out.int16(request.acks);
  out.int32(request.timeoutMs);
  out.int32(1); // one topic
  out.string(request.topic);
  out.int32(request.batches.length);
  for (const { partition, batch } of request.batches) {
    out.int32(partition);
    out.int32(batch.length);
    out.bytes(batch);
  }
  return out.buffer;
}

export interface PartitionResult {
  partition: number;
  errorCode: number;
  /** Offset of the batch's first record; -1 when it failed. */
  baseOffset: bigint;
}

export interface TopicResult {
  topic: string;
  partitions: PartitionResult[];
}

/** A Produce v7 response body (after the correlation id). */
export function decodeProduceResponse(bytes: Buffer): TopicResult[] {
  let offset = 0;
  const int16 = () => {
    const value = bytes.readInt16BE(offset);
    offset += 2;
    return value;
  };
  const int32 = () => {
    const value = bytes.readInt32BE(offset);
    offset += 4;
    return value;
  };
  const int64 = () => {
    const value = bytes.readBigInt64BE(offset);
    offset += 8;
    return value;
  };
  const topics: TopicResult[] = [];
  for (let t = int32(); t > 0; t--) {
    const length = int16();
    const topic = bytes.toString('utf8', offset, offset + length);
    offset += length;
    const partitions: PartitionResult[] = [];
    for (let p = int32(); p > 0; p--) {
      const partition = int32();
      const errorCode = int16();
      const baseOffset = int64();
      offset += 16; // log append time, log start offset
      partitions.push({ partition, errorCode, baseOffset });
    }
    topics.push({ topic, partitions });
  }
  return topics;
}
