import { randomBytes } from 'node:crypto';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { OperationError } from '../../core/errors.js';
import type { PartitionBounds } from '../../core/messages/index.js';
import type { KafkaSession } from './session.js';

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  timestampMs: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, Buffer][];
}

/** Throwaway groups of group-less reads carry this prefix, so an operator can tell them apart. */
const THROWAWAY_GROUP_PREFIX = 'iotmsg-tail-';

/** Fails with a clear message instead of letting a metadata request auto-create a mistyped topic. */
export async function assertTopicExists(session: KafkaSession, topic: string): Promise<void> {
  const topics = await session.run('list topics', () => session.admin.listTopics());
  if (!topics.includes(topic)) {
    throw new OperationError(`topic "${topic}" does not exist`, { hint: 'list topics with "iotmsg topics list"' });
  }
}

/** Log start and end offset of every partition of a topic. */
export async function topicBounds(session: KafkaSession, topic: string): Promise<PartitionBounds[]> {
  const offsets = await session.run(`read the offsets of topic "${topic}"`, () => session.admin.fetchTopicOffsets(topic));
  return offsets.map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) })).sort((a, b) => a.partition - b.partition);
}

/** Per partition, the first offset whose timestamp is at or after `timestampMs` (-1: none). */
export async function offsetsAtTime(session: KafkaSession, topic: string, timestampMs: number): Promise<Map<number, number>> {
  const offsets = await session.run(`find the offsets of topic "${topic}" at a time`, () => session.admin.fetchTopicOffsetsByTimestamp(topic, timestampMs));
  return new Map(offsets.map((o) => [o.partition, Number(o.offset)]));
}

export interface ReadOptions {
  topic: string;
  /** Partitions to read; the others are paused. */
  partitions: readonly number[];
  /**
   * Where each partition starts. Without a group, reading seeks there: a throwaway group
   * that never commits carries the assignment and is deleted at the end, so no real group's
   * offsets move. With a group, its committed offsets decide and this only tells which
   * partitions are already at their end.
   */
  start: ReadonlyMap<number, number>;
  /** Join this group instead: positions are its committed offsets, and what is read is committed. */
  group?: { id: string; fromBeginning: boolean };
  /** Stop once every partition has reached this offset (--exit-at-end). */
  endOffsets?: ReadonlyMap<number, number>;
  /** Called per fetched batch in offset order; answers how many of the messages it used and whether to go on. */
  onMessages: (messages: ConsumedMessage[]) => Promise<{ used: number; more: boolean }>;
  signal: AbortSignal;
}

const NO_HEADERS: [string, Buffer][] = [];

const headerList = (message: KafkaMessage): [string, Buffer][] => {
  if (!message.headers) return NO_HEADERS;
  const list: [string, Buffer][] = [];
  for (const [name, value] of Object.entries(message.headers)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined) list.push([name, Buffer.isBuffer(item) ? item : Buffer.from(item)]);
    }
  }
  return list;
};

/**
 * Reads a topic until the callback says stop, every partition reaches its end offset, or
 * the signal aborts. Fetches are bounded in bytes and the next one waits for the callback,
 * so memory stays flat however long the read goes on.
 */
export async function readTopic(session: KafkaSession, options: ReadOptions): Promise<void> {
  const { topic } = options;
  const remaining = new Set(options.partitions);
  const reachedEnd = (partition: number, next: number) => {
    const end = options.endOffsets?.get(partition);
    if (end !== undefined && next >= end) remaining.delete(partition);
  };
  for (const [partition, offset] of options.start) reachedEnd(partition, offset);
  if (options.endOffsets && remaining.size === 0) return;

  const groupId = options.group?.id ?? `${THROWAWAY_GROUP_PREFIX}${randomBytes(6).toString('hex')}`;
  const consumer: Consumer = session.kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    // Small fetches keep memory flat: each is decoded into objects several times its size, and
    // short-lived ones are freed cheaply; larger fetches were not measurably faster.
    maxBytes: 256 * 1024,
    maxBytesPerPartition: 128 * 1024,
    maxWaitTimeInMs: 250,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
  });

  let finish!: (error?: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (error) => (error === undefined ? resolve() : reject(error));
  });
  const onAbort = () => finish();
  options.signal.addEventListener('abort', onAbort, { once: true });
  consumer.on(consumer.events.CRASH, ({ payload }) => finish(payload.error));

  try {
    await session.run('connect the consumer', () => consumer.connect());
    await session.run(`subscribe to topic "${topic}"`, () => consumer.subscribe({ topics: [topic], fromBeginning: options.group?.fromBeginning ?? false }));
    let stopped = false;
    await consumer.run({
      autoCommit: options.group !== undefined,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }: EachBatchPayload) => {
        if (stopped || !remaining.has(batch.partition)) return;
        const messages: ConsumedMessage[] = batch.messages.map((m) => ({
          topic,
          partition: batch.partition,
          offset: m.offset,
          timestampMs: Number(m.timestamp),
          key: m.key ?? null,
          value: m.value ?? null,
          headers: headerList(m),
        }));
        const { used, more } = await options.onMessages(messages);
        const last = used > 0 ? messages[used - 1] : undefined;
        if (last) {
          resolveOffset(last.offset);
          if (options.group) await commitOffsetsIfNecessary();
          reachedEnd(batch.partition, Number(last.offset) + 1);
        }
        await heartbeat();
        if (!more || (options.endOffsets && remaining.size === 0)) {
          stopped = true;
          finish();
        }
      },
    });
    const paused = (await session.run(`read the partitions of topic "${topic}"`, () => session.admin.fetchTopicOffsets(topic)))
      .map((o) => o.partition)
      .filter((p) => !options.partitions.includes(p));
    if (paused.length > 0) consumer.pause([{ topic, partitions: paused }]);
    if (!options.group) for (const [partition, offset] of options.start) consumer.seek({ topic, partition, offset: String(offset) });
    await finished;
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    await consumer.disconnect().catch(() => {});
    if (!options.group) await session.admin.deleteGroups([groupId]).catch(() => {});
  }
}
