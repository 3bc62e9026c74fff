import type { Message, PartitionerArgs, PartitionMetadata, Producer, RecordMetadata } from 'kafkajs';
import { OperationError } from '../../core/errors.js';
import type { KafkaSession } from './session.js';

export interface OutgoingMessage {
  key: Buffer | null;
  value: Buffer;
  headers?: Record<string, string>;
  /** Chosen by the key's hash (as the Java client does) when not given. */
  partition?: number;
}

export interface Delivery {
  partition: number;
  offset: string;
}

export interface ProducerOptions {
  /** acks=all with producer id and sequence numbers: a retried batch is never written twice. */
  idempotent: boolean;
}

/**
 * An idempotent KafkaJS producer sends one request at a time to a broker (a lock per broker
 * keeps its sequence numbers in order), so the broker's turn and ours would alternate.
 * Partitions are shared among this many producers, each with its own producer id, so that
 * several requests are in flight while every partition has one writer, one request at a time.
 */
const LANES = 2;

/** One producer and the partitions it alone writes; its sends run one after another. */
interface Lane {
  producer: Producer;
  /** The lane's latest send: the next waits for it, and fails if it failed. */
  tail: Promise<unknown>;
}

/**
 * Writes batches to one topic and reports where each message landed. Partitions are
 * chosen here, with KafkaJS's Java-compatible partitioner, so every message's offset can
 * be told from the broker's base offset for its partition.
 */
export class TopicProducer {
  /** Keys repeat (one per device): each key object's partition is worked out once. */
  private readonly partitionOfKey = new WeakMap<Buffer, number>();

  private constructor(
    private readonly session: KafkaSession,
    private readonly lanes: Lane[],
    readonly topic: string,
    private readonly partitions: PartitionMetadata[],
    private readonly choosePartition: (args: PartitionerArgs) => number,
  ) {}

  static async open(session: KafkaSession, topic: string, options: ProducerOptions): Promise<TopicProducer> {
    const { Partitioners } = (await import('kafkajs')).default;
    const metadata = await session.run(`read the partitions of topic "${topic}"`, () => session.admin.fetchTopicMetadata({ topics: [topic] }));
    const partitions = metadata.topics[0]?.partitions ?? [];
    const laneCount = Math.max(1, Math.min(LANES, partitions.length));
    const lanes: Lane[] = [];
    for (let i = 0; i < laneCount; i++) {
      const producer = session.kafka.producer({
        idempotent: options.idempotent,
        allowAutoTopicCreation: false,
        retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
      });
      lanes.push({ producer, tail: Promise.resolve() });
      await session.run('connect the producer', () => producer.connect());
    }
    return new TopicProducer(session, lanes, topic, partitions, Partitioners.DefaultPartitioner());
  }

  get partitionCount(): number {
    return this.partitions.length;
  }

  /**
   * Sends one batch with acks=all; resolves with each message's partition and offset, in order.
   * Partitions given must exist. Batches sent without waiting are written in the order sent.
   */
  async send(messages: readonly OutgoingMessage[]): Promise<Delivery[]> {
    const assigned = messages.map((m) => this.partitionFor(m));
    const perLane: Message[][] = this.lanes.map(() => []);
    messages.forEach((m, i) => perLane[assigned[i]! % this.lanes.length]!.push({ key: m.key, value: m.value, headers: m.headers, partition: assigned[i] }));
    const acknowledged = await Promise.all(perLane.map((records, lane) => (records.length > 0 ? this.sendOnLane(this.lanes[lane]!, records) : [])));
    const nextOffset = new Map(acknowledged.flat().map((m) => [m.partition, BigInt(m.baseOffset ?? '0')]));
    return assigned.map((partition) => {
      const offset = nextOffset.get(partition);
      if (offset === undefined) throw new OperationError(`the broker did not acknowledge the messages for partition ${partition} of "${this.topic}"`);
      nextOffset.set(partition, offset + 1n);
      return { partition, offset: offset.toString() };
    });
  }

  private sendOnLane(lane: Lane, records: Message[]): Promise<RecordMetadata[]> {
    const sent = lane.tail.then(() =>
      this.session.run(`write ${records.length} message(s) to topic "${this.topic}"`, () => lane.producer.send({ topic: this.topic, messages: records, acks: -1 })),
    );
    lane.tail = sent;
    return sent;
  }

  private partitionFor(message: OutgoingMessage): number {
    if (message.partition !== undefined) return message.partition;
    const known = message.key ? this.partitionOfKey.get(message.key) : undefined;
    if (known !== undefined) return known;
    const partition = this.choosePartition({ topic: this.topic, partitionMetadata: this.partitions, message: { key: message.key, value: message.value } });
    if (message.key) this.partitionOfKey.set(message.key, partition);
    return partition;
  }

  async close(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.producer.disconnect().catch(() => {})));
  }
}
