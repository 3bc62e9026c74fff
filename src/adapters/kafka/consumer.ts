import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { OperationError } from '../../core/errors.js';
import type { PartitionBounds } from '../../core/messages/index.js';
import { RecordTable } from '../../core/messages/recordBatch.js';
import type { KafkaSession } from './session.js';

/** Fails with a clear message instead of letting a metadata request auto-create a mistyped topic. */
export async function assertTopicExists(session: KafkaSession, topic: string): Promise<void> {
  const topics = await session.run('list topics', () => session.admin.listTopics());
  if (!topics.includes(topic)) {
    // With an authorizer, a principal is shown only the topics it may describe.
    const sasl = session.settings.sasl;
    const hint = sasl ? `list topics with "iotmsg topics list": User:${sasl.username} sees only those it may DESCRIBE` : 'list topics with "iotmsg topics list"';
    throw new OperationError(`topic "${topic}" does not exist`, { hint });
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

export interface GroupReadOptions {
  topic: string;
  /** Partitions to read; the others are paused. */
  partitions: readonly number[];
  /** Where each partition starts (the group's committed offsets): tells which are already at their end. */
  start: ReadonlyMap<number, number>;
  /** Join this group: positions are its committed offsets, and what is read is committed. */
  group: { id: string; fromBeginning: boolean };
  /** Stop once every partition has reached this offset (--exit-at-end). */
  endOffsets?: ReadonlyMap<number, number>;
  /** Called per fetched batch in offset order; answers how many of the records it used and whether to go on. */
  onRecords: (records: { partition: number; table: RecordTable }) => Promise<{ used: number; more: boolean }>;
  signal: AbortSignal;
}

const headerList = (message: KafkaMessage): [string, Buffer][] => {
  const list: [string, Buffer][] = [];
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined) list.push([name, Buffer.isBuffer(item) ? item : Buffer.from(item)]);
    }
  }
  return list;
};

/**
 * Reads a topic as a member of a consumer group (tail --group), committing what it used,
 * until the callback says stop, every partition reaches its end offset, or the signal
 * aborts. Group-less reads do not come here: see fetcher.ts.
 */
export async function readAsGroup(session: KafkaSession, options: GroupReadOptions): Promise<void> {
  const { topic } = options;
  const remaining = new Set(options.partitions);
  const reachedEnd = (partition: number, next: number) => {
    const end = options.endOffsets?.get(partition);
    if (end !== undefined && next >= end) remaining.delete(partition);
  };
  for (const [partition, offset] of options.start) reachedEnd(partition, offset);
  if (options.endOffsets && remaining.size === 0) return;

  const consumer: Consumer = session.kafka.consumer({
    groupId: options.group.id,
    allowAutoTopicCreation: false,
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
  const table = new RecordTable();

  try {
    await session.run('connect the consumer', () => consumer.connect());
    await session.run(`subscribe to topic "${topic}"`, () => consumer.subscribe({ topics: [topic], fromBeginning: options.group.fromBeginning }));
    let stopped = false;
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }: EachBatchPayload) => {
        if (stopped || !remaining.has(batch.partition)) return;
        table.load(
          batch.messages.map((m) => ({ offset: Number(m.offset), timestampMs: Number(m.timestamp), key: m.key ?? null, value: m.value ?? null, headers: headerList(m) })),
        );
        const { used, more } = await options.onRecords({ partition: batch.partition, table });
        const last = used > 0 ? batch.messages[used - 1] : undefined;
        if (last) {
          resolveOffset(last.offset);
          await commitOffsetsIfNecessary();
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
    await finished;
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    await consumer.disconnect().catch(() => {});
  }
}
