import { Reader, stringSize, Writer } from '../protocol/bytes.js';

/**
 * Fetch v11 (API key 1), sessionless: the last version before flexible encoding, with the
 * isolation level, aborted transactions and log start offset; Kafka 2.3 to 4.x take it. The
 * records come back as the bytes the broker stored (see recordBatch.ts).
 */
export const FETCH_API_KEY = 1;
export const FETCH_VERSION = 11;

export interface PartitionFetch {
  partition: number;
  offset: number;
  maxBytes: number;
}

export interface TopicFetch {
  topic: string;
  partitions: readonly PartitionFetch[];
}

export interface FetchOptions {
  /** One request may read partitions of several topics of a leader. */
  topics: readonly TopicFetch[];
  maxWaitMs: number;
  maxBytes: number;
  readCommitted: boolean;
}

export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: number;
}

export interface PartitionData {
  topic: string;
  partition: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  /** Sorted by first offset, as the broker lists them; empty when reading uncommitted. */
  abortedTransactions: AbortedTransaction[];
  /** Record batches, the last one possibly cut short; a view of the response's memory. */
  records: Buffer;
}

const EMPTY = Buffer.alloc(0);

/** The body after the request header. */
export function encodeFetchRequest(options: FetchOptions): Buffer {
  const size = options.topics.reduce((sum, t) => sum + stringSize(t.topic) + 4 + t.partitions.length * 28, 4 * 4 + 1 + 4 + 4 + 4 + 4 + 2);
  const out = Writer.sized(size);
  out.int32(-1); // replica id: a client
  out.int32(options.maxWaitMs);
  out.int32(1); // min bytes: answer as soon as anything is there
  out.int32(options.maxBytes);
  out.int8(options.readCommitted ? 1 : 0);
  out.int32(0); // session id: none
  out.int32(-1); // session epoch: a full fetch that opens no session
  out.int32(options.topics.length);
  for (const { topic, partitions } of options.topics) {
    out.string(topic);
    out.int32(partitions.length);
    for (const p of partitions) {
      out.int32(p.partition);
      out.int32(-1); // current leader epoch: not checked
      out.int64(BigInt(p.offset));
      out.int64(-1n); // log start offset: only followers send it
      out.int32(p.maxBytes);
    }
  }
  out.int32(0); // forgotten topics
  out.string(''); // rack id
  return out.done();
}

/** The response after its correlation id. A top-level error is given to every partition. */
export function decodeFetchResponse(response: Buffer): { errorCode: number; partitions: PartitionData[] } {
  const r = new Reader(response);
  r.int32(); // throttle time
  const errorCode = r.int16();
  r.int32(); // session id
  const partitions = r
    .array(() => {
      const topic = r.string() ?? '';
      return r.array((): PartitionData => {
        const partition = r.int32();
        const partitionError = r.int16();
        const highWatermark = r.int64();
        const lastStableOffset = r.int64();
        const logStartOffset = r.int64();
        const abortedTransactions = r.array(() => ({ producerId: r.bigint64(), firstOffset: r.int64() }));
        r.int32(); // preferred read replica
        const records = r.bytes() ?? EMPTY;
        return { topic, partition, errorCode: partitionError, highWatermark, lastStableOffset, logStartOffset, abortedTransactions, records };
      });
    })
    .flat();
  return { errorCode, partitions };
}
