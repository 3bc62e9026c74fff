import { setTimeout as sleep } from 'node:timers/promises';
import { OperationError, type IotmsgError } from '../../core/errors.js';
import { ByteSink } from '../../core/messages/byteSink.js';
import {
  decodeProduceResponse,
  encodeProduceRequest,
  encodeRecordBatch,
  NO_PRODUCER,
  PRODUCE_API_KEY,
  PRODUCE_VERSION,
  RecordRunWriter,
  type PartitionBatch,
  type PartitionResult,
  type ProducerIdentity,
  type RecordHeader,
  type RecordRun,
} from '../../core/messages/produceProtocol.js';
import { partitionOfKey } from './partitioner.js';
import type { KafkaSession } from './session.js';
import { Wire, type BrokerError, type PartitionLeader } from './wire.js';

export interface OutgoingMessage {
  key: Buffer | null;
  /** null: a tombstone, which deletes the key from a compacted topic. */
  value: Buffer | null;
  headers: readonly RecordHeader[];
  /** Chosen by the key's hash (as the Java client does) when not given. */
  partition?: number;
}

export interface PartitionRun extends RecordRun {
  partition: number;
}

/** Where a message goes. */
export interface Placement {
  partition: number;
  key: string | null;
}

/** Messages ready to send: their records, encoded, in a run per partition. */
export interface EncodedBatch {
  runs: PartitionRun[];
  count: number;
  valueBytes: number;
  /** Each message's placement in the order written; worked out only when a report lists them. */
  placements(): Placement[];
}

export interface Delivery extends Placement {
  offset: string;
}

export interface ProducerOptions {
  /** acks=all with producer id and sequence numbers: a retried batch is never written twice. */
  idempotent: boolean;
}

/**
 * Retriable failures (a partition whose leader moved or is still being made, a coordinator
 * still loading) are retried with a growing pause for --timeout from the budget's start, as
 * the Java client retries within its delivery.timeout.ms. A cluster that has just created a
 * topic can take seconds to lead all of its partitions.
 */
class RetryBudget {
  private attempt = 0;
  private readonly deadline: number;

  constructor(timeoutMs: number) {
    this.deadline = Date.now() + timeoutMs;
  }

  /** Waits before the next attempt; false, without waiting, when the next attempt would start past the deadline. */
  async pause(): Promise<boolean> {
    const pauseMs = Math.min(100 * 2 ** this.attempt++, 1_000);
    if (Date.now() + pauseMs > this.deadline) return false;
    await sleep(pauseMs);
    return true;
  }
}

/** KafkaJS marks failures that may pass (a lost connection, a moved leader) as retriable. */
function isRetriable(error: unknown): boolean {
  return (error as { retriable?: unknown }).retriable === true;
}

async function retryingWhileRetriable<T>(timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const budget = new RetryBudget(timeoutMs);
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!isRetriable(error) || !(await budget.pause())) throw error;
    }
  }
}

/** A send that failed: how many of its messages were written all the same (their partitions' runs succeeded). */
export class SendFailure extends OperationError {
  constructor(
    cause: IotmsgError,
    readonly written: number,
  ) {
    super(cause.message, { hint: cause.hint, cause });
  }
}

/** Out of order: an earlier batch of the partition failed, or its retry has not landed yet. */
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;

/**
 * Writes batches to one topic and reports where each message landed. Partitions are chosen
 * here, as the Java client chooses them. Sends are pipelined: callers keep up to
 * `maxInFlight` of them outstanding, and the broker orders an idempotent producer's batches
 * by sequence number. A failed batch is retried only once every earlier send has settled,
 * so retries too reach each partition in order.
 */
export class TopicProducer {
  /** Keys repeat (--key gives every message the same one): each key object's partition is worked out once. */
  private readonly partitionOfKey = new WeakMap<Buffer, number>();
  private readonly nextSequence = new Map<number, number>();
  /** Whether the latest send succeeded, once it settles: a later send's retries wait for it. */
  private latestSend: Promise<boolean> = Promise.resolve(true);
  /** Partitions this producer has written to: the broker knows its sequence numbers there. */
  private readonly established = new Set<number>();
  /** Settles when a send that opens a partition has: later sends wait for it. */
  private opening: Promise<unknown> = Promise.resolve();
  /** Sends a caller may keep outstanding; the broker keeps the last five batches of an idempotent producer in order. */
  readonly maxInFlight = 4;
  /** Starts anywhere, so that short runs do not all begin with partition 0. */
  private roundRobin = Math.floor(Math.random() * 2 ** 31);

  private constructor(
    private readonly session: KafkaSession,
    private readonly wire: Wire,
    private readonly identity: ProducerIdentity,
    readonly topic: string,
    private partitions: PartitionLeader[],
  ) {}

  static async open(session: KafkaSession, topic: string, options: ProducerOptions): Promise<TopicProducer> {
    const timeoutMs = session.settings.timeoutMs;
    // Bounded by twice --timeout: the connection steps by the request timeout, InitProducerId's retries by their budget.
    const opened = await session.run(`prepare to write to topic "${topic}"`, async () => {
      const wire = await Wire.open(session.kafka);
      await wire.addTopic(topic);
      const produce = await wire.versions('controller', PRODUCE_API_KEY);
      if (produce && (produce.max < PRODUCE_VERSION || produce.min > PRODUCE_VERSION)) {
        throw new OperationError(`the broker takes Produce v${produce.min}–v${produce.max}, and iotmsg writes v${PRODUCE_VERSION}`, {
          hint: 'iotmsg needs Kafka 2.1 or newer',
        });
      }
      // Right after a cluster starts, the broker may still be loading its producer ids.
      const identity = options.idempotent ? await retryingWhileRetriable(timeoutMs, () => wire.initProducerId(60_000)) : NO_PRODUCER;
      return { wire, identity };
    }, 2 * timeoutMs, { operation: 'WRITE', resource: `topic "${topic}"` });
    return new TopicProducer(session, opened.wire, opened.identity, topic, opened.wire.partitions(topic));
  }

  get partitionCount(): number {
    return this.partitions.length;
  }

  /** Encodes messages for `send`, each in the run of its partition. */
  encode(messages: readonly OutgoingMessage[]): EncodedBatch {
    const writers = new Map<number, RecordRunWriter>();
    const partitions = new Array<number>(messages.length);
    let valueBytes = 0;
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!;
      const partition = (partitions[i] = this.partitionFor(message));
      let writer = writers.get(partition);
      if (!writer) writers.set(partition, (writer = new RecordRunWriter(new ByteSink(4096))));
      writer.append(message.key, message.headers, message.value);
      valueBytes += message.value?.length ?? 0;
    }
    return {
      runs: [...writers].map(([partition, writer]) => ({ partition, ...writer.run() })),
      count: messages.length,
      valueBytes,
      placements: () => messages.map((m, i) => ({ partition: partitions[i]!, key: m.key?.toString('utf8') ?? null })),
    };
  }

  /**
   * Sends one batch with acks=all; resolves once all of it is written, with a way to tell
   * each message's partition and offset, in order (worked out only when asked for: bulk runs
   * do not). Partitions given must exist. Batches sent without waiting are written in the order sent.
   * The runs are copied before the first await: their memory may be reused once `send` is called.
   */
  async send(batch: EncodedBatch): Promise<() => Delivery[]> {
    const timestamp = Date.now();
    const pending: PartitionBatch[] = batch.runs.map((run) => ({
      partition: run.partition,
      batch: encodeRecordBatch(run, { timestamp, producer: this.identity, baseSequence: this.takeSequence(run.partition, run.count) }),
    }));
    const earlier = this.latestSend;
    const opening = this.opening;
    // A broker takes any sequence number from a producer new to a partition. So a partition's
    // first batch is sent alone, after every earlier send and before any later one: else a
    // later batch could land first, and the retried first one would be refused for good.
    const written = new Map<number, bigint>();
    const opensPartition = batch.runs.some((run) => !this.established.has(run.partition));
    // Each attempt is bounded by KafkaJS's request timeout (--timeout) and the retries by their
    // budget; this outer bound leaves room for a send whose retries first wait for earlier ones.
    const timeoutMs = this.session.settings.timeoutMs;
    const delivered = (async () => {
      await opening;
      if (opensPartition) await earlier;
      return this.session.run(`write ${batch.count} message(s) to topic "${this.topic}"`, () => this.deliver(pending, earlier, written), 3 * timeoutMs, {
        operation: 'WRITE',
        resource: `topic "${this.topic}"`,
      });
    })();
    this.latestSend = delivered.then(
      () => true,
      () => false,
    );
    if (opensPartition) this.opening = this.latestSend;
    let baseOffsets: Map<number, bigint>;
    try {
      baseOffsets = await delivered;
    } catch (error) {
      // The runs of a batch go to their partitions independently: some may be written.
      for (const partition of written.keys()) this.established.add(partition);
      const count = batch.runs.reduce((sum, run) => sum + (written.has(run.partition) ? run.count : 0), 0);
      throw new SendFailure(error as IotmsgError, count);
    }
    for (const run of batch.runs) this.established.add(run.partition);
    return () =>
      batch.placements().map(({ partition, key }) => {
        const offset = baseOffsets.get(partition)!;
        baseOffsets.set(partition, offset + 1n);
        return { partition, offset: offset.toString(), key };
      });
  }

  /** Sends each batch to its partition's leader, retrying those that fail for a reason that passes. */
  /** Fills `baseOffsets` as partitions are written, so that a failure elsewhere still tells what was. */
  private async deliver(batches: PartitionBatch[], earlier: Promise<boolean>, baseOffsets: Map<number, bigint>): Promise<Map<number, bigint>> {
    let unsent = batches;
    let budget: RetryBudget | undefined;
    while (unsent.length > 0) {
      const failures: { batch: PartitionBatch; code: number; error: BrokerError }[] = [];
      await Promise.all(
        [...this.byLeader(unsent)].map(async ([leader, batchesOfLeader]) => {
          let results: PartitionResult[];
          try {
            results = await this.produce(leader, batchesOfLeader);
          } catch (error) {
            // A leader that went away closes its connection: its batches go to the next leader.
            if (!isRetriable(error)) throw error;
            for (const batch of batchesOfLeader) failures.push({ batch, code: -1, error: error as BrokerError });
            return;
          }
          for (const result of results) {
            const batch = batchesOfLeader.find((b) => b.partition === result.partition)!;
            if (result.errorCode === 0) baseOffsets.set(batch.partition, result.baseOffset);
            else failures.push({ batch, code: result.errorCode, error: this.wire.errorFromCode(result.errorCode) });
          }
        }),
      );
      const passing = (f: (typeof failures)[number]) => f.error.retriable || f.code === OUT_OF_ORDER_SEQUENCE_NUMBER;
      const fatal = failures.find((f) => !passing(f));
      if (fatal) throw fatal.error;
      if (failures.length === 0) break;
      if (!(await earlier)) throw failures[0]!.error;
      // The budget starts once the earlier sends have settled: a batch that waited for them still gets its own time.
      budget ??= new RetryBudget(this.session.settings.timeoutMs);
      if (!(await budget.pause())) throw failures[0]!.error;
      try {
        await this.refreshPartitions();
      } catch (error) {
        // Metadata may have been asked of the broker that just went away: the next attempt asks again.
        if (!isRetriable(error)) throw error;
      }
      unsent = failures.map((f) => f.batch);
    }
    return baseOffsets;
  }

  private async produce(leader: number, batches: PartitionBatch[]): Promise<PartitionResult[]> {
    const body = encodeProduceRequest({ acks: -1, timeoutMs: this.session.settings.timeoutMs, topic: this.topic, batches });
    const results = await this.wire.send({ nodeId: leader }, { apiKey: PRODUCE_API_KEY, apiName: 'Produce', version: PRODUCE_VERSION, body, decode: decodeProduceResponse });
    return results.flatMap((topic) => topic.partitions);
  }

  private byLeader(batches: PartitionBatch[]): Map<number, PartitionBatch[]> {
    const groups = new Map<number, PartitionBatch[]>();
    for (const batch of batches) {
      const leader = this.partitions[batch.partition]?.leader ?? -1;
      if (leader < 0) throw new OperationError(`partition ${batch.partition} of "${this.topic}" has no leader`, { hint: 'check the cluster with "iotmsg health"' });
      let group = groups.get(leader);
      if (!group) groups.set(leader, (group = []));
      group.push(batch);
    }
    return groups;
  }

  private async refreshPartitions(): Promise<void> {
    await this.wire.refreshMetadata();
    this.partitions = this.wire.partitions(this.topic);
  }

  private takeSequence(partition: number, count: number): number {
    if (this.identity === NO_PRODUCER) return -1;
    const first = this.nextSequence.get(partition) ?? 0;
    // Sequence numbers wrap at 2^31, as the Java producer's do.
    this.nextSequence.set(partition, (first + count) % 2 ** 31);
    return first;
  }

  private partitionFor(message: OutgoingMessage): number {
    if (message.partition !== undefined) return message.partition;
    const key = message.key;
    if (key === null) return this.nextRoundRobin();
    let partition = this.partitionOfKey.get(key);
    if (partition === undefined) this.partitionOfKey.set(key, (partition = partitionOfKey(key, this.partitions.length)));
    return partition;
  }

  /** Keyless messages go round the partitions that have a leader, as KafkaJS's default partitioner sends them. */
  private nextRoundRobin(): number {
    const available = this.partitions.filter((p) => p.leader >= 0);
    const counter = this.roundRobin++ & 0x7fffffff;
    return available.length > 0 ? available[counter % available.length]!.partition : counter % this.partitions.length;
  }

  async close(): Promise<void> {
    await this.wire.close();
  }
}
