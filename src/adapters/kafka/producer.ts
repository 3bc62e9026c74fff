import type { Message, PartitionerArgs, PartitionMetadata, Producer } from 'kafkajs';
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
 * Writes batches to one topic and reports where each message landed. Partitions are
 * chosen here, with KafkaJS's Java-compatible partitioner, so every message's offset can
 * be told from the broker's base offset for its partition.
 */
export class TopicProducer {
  private constructor(
    private readonly session: KafkaSession,
    private readonly producer: Producer,
    readonly topic: string,
    private readonly partitions: PartitionMetadata[],
    private readonly choosePartition: (args: PartitionerArgs) => number,
  ) {}

  static async open(session: KafkaSession, topic: string, options: ProducerOptions): Promise<TopicProducer> {
    const { Partitioners } = (await import('kafkajs')).default;
    const metadata = await session.run(`read the partitions of topic "${topic}"`, () => session.admin.fetchTopicMetadata({ topics: [topic] }));
    const partitions = metadata.topics[0]?.partitions ?? [];
    const producer = session.kafka.producer({
      idempotent: options.idempotent,
      // The idempotent producer needs at most 5 requests in flight to keep order on retries.
      maxInFlightRequests: options.idempotent ? 5 : undefined,
      allowAutoTopicCreation: false,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
    await session.run('connect the producer', () => producer.connect());
    return new TopicProducer(session, producer, topic, partitions, Partitioners.DefaultPartitioner());
  }

  get partitionCount(): number {
    return this.partitions.length;
  }

  /** Sends one batch with acks=all; resolves with each message's partition and offset, in order. Partitions given must exist. */
  async send(messages: readonly OutgoingMessage[]): Promise<Delivery[]> {
    const assigned = messages.map((m) => this.partitionFor(m));
    const records: Message[] = messages.map((m, i) => ({ key: m.key, value: m.value, headers: m.headers, partition: assigned[i] }));
    const metadata = await this.session.run(`write ${messages.length} message(s) to topic "${this.topic}"`, () =>
      this.producer.send({ topic: this.topic, messages: records, acks: -1 }),
    );
    const nextOffset = new Map(metadata.map((m) => [m.partition, BigInt(m.baseOffset ?? '0')]));
    return assigned.map((partition) => {
      const offset = nextOffset.get(partition);
      if (offset === undefined) throw new OperationError(`the broker did not acknowledge the messages for partition ${partition} of "${this.topic}"`);
      nextOffset.set(partition, offset + 1n);
      return { partition, offset: offset.toString() };
    });
  }

  private partitionFor(message: OutgoingMessage): number {
    if (message.partition !== undefined) return message.partition;
    return this.choosePartition({ topic: this.topic, partitionMetadata: this.partitions, message: { key: message.key, value: message.value } });
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => {});
  }
}
