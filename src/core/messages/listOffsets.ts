import { Reader, stringSize, Writer } from '../protocol/bytes.js';

/**
 * ListOffsets v2 (API key 2): per partition, the offset at a time, or the log's start (-2)
 * or end (-1). v2 has the isolation level, and every broker since Kafka 0.11 takes it.
 */
export const LIST_OFFSETS_API_KEY = 2;
export const LIST_OFFSETS_VERSION = 2;
export const EARLIEST = -2;
export const LATEST = -1;

export interface OffsetQuery {
  partition: number;
  /** A time in ms, or EARLIEST / LATEST. */
  timestamp: number;
}

/** The partitions asked about in one topic. */
export interface TopicOffsetQueries {
  topic: string;
  queries: readonly OffsetQuery[];
}

export interface OffsetAnswer {
  topic: string;
  partition: number;
  errorCode: number;
  /** -1 when no message is at or after the time asked for. */
  offset: number;
}

/** The body after the request header; `readCommitted` makes LATEST the last stable offset. One request may ask about many topics of a leader. */
export function encodeListOffsetsRequest(topics: readonly TopicOffsetQueries[], readCommitted: boolean): Buffer {
  const size = topics.reduce((sum, t) => sum + stringSize(t.topic) + 4 + t.queries.length * 12, 4 + 1 + 4);
  const out = Writer.sized(size);
  out.int32(-1); // replica id: a client
  out.int8(readCommitted ? 1 : 0);
  out.int32(topics.length);
  for (const { topic, queries } of topics) {
    out.string(topic);
    out.int32(queries.length);
    for (const query of queries) {
      out.int32(query.partition);
      out.int64(BigInt(query.timestamp));
    }
  }
  return out.done();
}

/** The response after its correlation id: every partition of every topic asked about. */
export function decodeListOffsetsResponse(response: Buffer): OffsetAnswer[] {
  const r = new Reader(response);
  r.int32(); // throttle time
  return r
    .array(() => {
      const topic = r.string() ?? '';
      return r.array(() => {
        const partition = r.int32();
        const errorCode = r.int16();
        r.int64(); // timestamp
        return { topic, partition, errorCode, offset: r.int64() };
      });
    })
    .flat();
}
