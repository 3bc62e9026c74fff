import type { Admin } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { InterruptedError, OperationError, UnavailableError } from '../../core/errors.js';
import { compareNames, normaliseConfigValue, type ObservedTopic } from '../../core/topics/index.js';
import { failureContext, translateKafkaError, type AccessNeed } from './errors.js';
import type { KafkaSession } from './session.js';

export interface BrokerInfo {
  nodeId: number;
  host: string;
  port: number;
}

export interface ClusterInfo {
  clusterId: string;
  controller: number | null;
  brokers: BrokerInfo[];
}

export interface PartitionInfo {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface TopicInfo {
  name: string;
  internal: boolean;
  partitions: PartitionInfo[];
}

export type ConfigSourceName = 'dynamic' | 'default' | 'static' | 'other';

export interface ConfigEntry {
  value: string;
  source: ConfigSourceName;
  isDefault: boolean;
  sensitive: boolean;
  readOnly: boolean;
}

export interface NewTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Readonly<Record<string, string>>;
}

export interface PartitionIncrease {
  topic: string;
  /** The new total number of partitions. */
  count: number;
}

/** A topic's complete set of dynamic overrides (AlterConfigs replaces the whole set). */
export interface ConfigReplacement {
  topic: string;
  configs: Readonly<Record<string, string>>;
}

/** One topic of a batch that the broker refused. */
export interface TopicFailure {
  topic: string;
  /** Kafka's error name, e.g. INVALID_REPLICATION_FACTOR. */
  type: string | undefined;
  reason: string;
}

export interface PartitionOffsets {
  partition: number;
  earliest: string;
  latest: string;
}

export interface PartitionReplicas {
  topic: string;
  partition: number;
  replicas: readonly number[];
}

export interface BatchOptions {
  /** Ask the broker to check the request without changing anything. */
  validateOnly: boolean;
}

export interface WaitOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** What iotmsg needs from a Kafka admin client; KafkaJS stays behind it. */
export interface ClusterAdmin {
  describeCluster(): Promise<ClusterInfo>;
  /** Every topic with its partitions, from one metadata request. */
  listTopics(): Promise<TopicInfo[]>;
  /** The topic configs of many topics (a few requests in parallel). */
  topicConfigs(names: readonly string[]): Promise<Map<string, Record<string, ConfigEntry>>>;
  /**
   * Every topic as the topics core compares it; configs are read only for
   * `withConfigs` (the others get none), which keeps plans on big clusters fast;
   * 'all' reads them for every topic but the internal ones.
   */
  observeTopics(withConfigs: readonly string[] | 'all'): Promise<ObservedTopic[]>;
  /** Batched CreateTopics; returns the topics the broker refused (the others were created). */
  createTopics(topics: readonly NewTopic[], options: BatchOptions): Promise<TopicFailure[]>;
  /** Batched CreatePartitions; with validateOnly, every refused topic is named. */
  createPartitions(increases: readonly PartitionIncrease[], options: BatchOptions): Promise<TopicFailure[]>;
  /** Batched AlterConfigs; with validateOnly, every refused topic is named. */
  replaceTopicConfigs(replacements: readonly ConfigReplacement[], options: BatchOptions): Promise<TopicFailure[]>;
  deleteTopics(names: readonly string[]): Promise<void>;
  /** Polls metadata until every partition of every topic has a leader. */
  waitForLeaders(names: readonly string[], options?: WaitOptions): Promise<void>;
  /** Polls metadata until none of the topics is listed any more. */
  waitUntilDeleted(names: readonly string[], options?: WaitOptions): Promise<void>;
  /** Polls metadata until the topics have their new partitions, each with a leader. */
  waitForPartitions(increases: readonly PartitionIncrease[], options?: WaitOptions): Promise<void>;
  /** Polls metadata until the partitions have exactly these replicas (a reassignment is done everywhere). */
  waitForReplicas(placements: readonly PartitionReplicas[], options?: WaitOptions): Promise<void>;
  /** Polls the topics' configs until their overrides are exactly the ones sent. */
  waitForConfigs(replacements: readonly ConfigReplacement[], options?: WaitOptions): Promise<void>;
  topicOffsets(name: string): Promise<PartitionOffsets[]>;
}

// KafkaJS's ConfigSource enum values; only TOPIC_CONFIG (1) is an override on the topic itself.
const CONFIG_SOURCES: Record<number, ConfigSourceName> = { 1: 'dynamic', 4: 'static', 5: 'default' };

/**
 * A KRaft controller refuses a request that would write more than 10,000 metadata
 * records (QuorumController.MAX_RECORDS_PER_USER_OP), so a batch is split only
 * where it would cross that line.
 */
const MAX_RECORDS_PER_REQUEST = 10_000;
/** describeConfigs answers faster for a few mid-sized requests than for one huge one. */
const DESCRIBE_CONFIGS_CHUNK = 1_000;
/** Time a big batch may take on top of --timeout, per topic in it. */
const PER_TOPIC_MS = 20;
const POLL_MS = 100;

/**
 * Kafka's own topics (__consumer_offsets, __transaction_state, ...). The metadata response
 * says so in is_internal, but KafkaJS drops that field; they all start with "__". The core's
 * isInternalTopic adds the registries' reserved names on top of this.
 */
function isBrokerInternal(name: string): boolean {
  return name.startsWith('__');
}

/** The topic-level admin operations, on a session's connection. */
export function topicAdmin(session: KafkaSession): ClusterAdmin {
  return new KafkaJsAdmin(session);
}

/** Whether a topic's dynamic overrides are exactly `desired` (values compared as Kafka means them). */
function hasExactly(entries: Readonly<Record<string, ConfigEntry>>, desired: Readonly<Record<string, string>>): boolean {
  const overrides = Object.entries(entries).filter(([, entry]) => entry.source === 'dynamic');
  return (
    overrides.length === Object.keys(desired).length &&
    overrides.every(([name, entry]) => desired[name] !== undefined && normaliseConfigValue(name, desired[name]) === normaliseConfigValue(name, entry.value))
  );
}

/** Consecutive slices whose summed cost stays within `budget` (an item over budget goes alone). */
export function chunkByCost<T>(items: readonly T[], cost: (item: T) => number, budget: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let spent = 0;
  for (const item of items) {
    const price = cost(item);
    if (current.length > 0 && spent + price > budget) {
      chunks.push(current);
      current = [];
      spent = 0;
    }
    current.push(item);
    spent += price;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

interface KafkaJsFailure {
  type?: string;
  message?: string;
  topic?: string;
  errors?: KafkaJsFailure[];
}

function reasonOf(error: KafkaJsFailure): string {
  const message = error.message ?? error.type ?? 'unknown error';
  return message.charAt(0).toLowerCase() + message.slice(1).replace(/\.$/, '');
}

/**
 * Splits a refused validate-only batch in halves until each refusal is pinned on
 * one topic: KafkaJS reports only the first error of CreatePartitions and
 * AlterConfigs, without naming the topic.
 */
export async function isolateFailures<T extends { topic: string }>(items: readonly T[], validate: (batch: readonly T[]) => Promise<void>): Promise<TopicFailure[]> {
  try {
    await validate(items);
    return [];
  } catch (error) {
    const failure = error as KafkaJsFailure;
    // Not a broker's answer (a lost connection, a timeout): nothing to pin on a topic.
    if (failure.type === undefined) throw error;
    const [only] = items;
    if (items.length === 1 && only !== undefined) return [{ topic: only.topic, type: failure.type, reason: reasonOf(failure) }];
    const middle = Math.ceil(items.length / 2);
    return [...(await isolateFailures(items.slice(0, middle), validate)), ...(await isolateFailures(items.slice(middle), validate))];
  }
}

type MetadataTopic = Awaited<ReturnType<Admin['fetchTopicMetadata']>>['topics'][number];

interface PollChecks {
  /** Which of the pending topics are done. */
  settled: (pending: string[]) => Promise<string[]>;
  /** Which topics are done, by a read any broker may answer. */
  everywhere: (all: string[]) => Promise<string[]>;
}

class KafkaJsAdmin implements ClusterAdmin {
  private readonly admin: Admin;
  private brokerCount: number | undefined;

  constructor(private readonly session: KafkaSession) {
    this.admin = session.admin;
  }

  private run<T>(action: string, work: () => Promise<T>, topics = 0, needs?: AccessNeed): Promise<T> {
    return this.session.run(action, work, this.session.settings.timeoutMs + topics * PER_TOPIC_MS, needs);
  }

  /**
   * A topic the ACLs refused is not one rejected change among others: the command is refused,
   * exit 77, naming the principal, the right and the topic.
   */
  private refuseOnAcl(action: string, failures: readonly TopicFailure[], operation: AccessNeed['operation']): TopicFailure[] {
    const denied = failures.find((f) => f.type === 'TOPIC_AUTHORIZATION_FAILED' || f.type === 'CLUSTER_AUTHORIZATION_FAILED');
    if (denied === undefined) return [...failures];
    const resource = denied.type === 'CLUSTER_AUTHORIZATION_FAILED' ? 'the cluster' : `topic "${denied.topic}"`;
    throw translateKafkaError({ type: denied.type, message: denied.reason }, failureContext(this.session.settings, action, { operation, resource }));
  }

  private get requestTimeoutMs(): number {
    return this.session.settings.timeoutMs;
  }

  describeCluster(): Promise<ClusterInfo> {
    return this.run('describe the cluster', async () => {
      const { clusterId, controller, brokers } = await this.admin.describeCluster();
      this.brokerCount = brokers.length;
      return { clusterId, controller, brokers: [...brokers].sort((a, b) => a.nodeId - b.nodeId) };
    });
  }

  listTopics(): Promise<TopicInfo[]> {
    return this.run('list topics', async () => {
      const { topics } = await this.admin.fetchTopicMetadata();
      return topics
        .map((t) => ({
          name: t.name,
          internal: isBrokerInternal(t.name),
          partitions: t.partitions
            .map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr, offlineReplicas: p.offlineReplicas ?? [] }))
            .sort((a, b) => a.partition - b.partition),
        }))
        .sort((a, b) => compareNames(a.name, b.name));
    });
  }

  topicConfigs(names: readonly string[]): Promise<Map<string, Record<string, ConfigEntry>>> {
    return this.run(
      'describe topic configs',
      async () => {
        const result = new Map<string, Record<string, ConfigEntry>>();
        if (names.length === 0) return result;
        const { ConfigResourceTypes } = (await import('kafkajs')).default;
        const chunks = chunkByCost(names, () => 1, DESCRIBE_CONFIGS_CHUNK);
        const responses = await Promise.all(
          chunks.map((chunk) => this.admin.describeConfigs({ includeSynonyms: false, resources: chunk.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })) })),
        );
        for (const resource of responses.flatMap((response) => response.resources)) {
          const entries: Record<string, ConfigEntry> = {};
          for (const e of resource.configEntries) {
            entries[e.configName] = {
              value: e.configValue,
              source: CONFIG_SOURCES[e.configSource] ?? 'other',
              isDefault: e.isDefault,
              sensitive: e.isSensitive,
              readOnly: e.readOnly,
            };
          }
          result.set(resource.resourceName, entries);
        }
        return result;
      },
      names.length,
      { operation: 'DESCRIBE_CONFIGS', resource: topicsNamed(names) },
    );
  }

  async observeTopics(withConfigs: readonly string[] | 'all'): Promise<ObservedTopic[]> {
    const topics = await this.listTopics();
    const named = new Set(withConfigs === 'all' ? [] : withConfigs);
    const wanted = (topic: TopicInfo): boolean => (withConfigs === 'all' ? !topic.internal : named.has(topic.name));
    const configs = await this.topicConfigs(topics.filter(wanted).map((topic) => topic.name));
    return topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.length,
      replicationFactor: Math.max(0, ...topic.partitions.map((p) => p.replicas.length)),
      // A ConfigEntry is an ObservedConfig with more facts: shared, not copied (5,000 topics × ~40 configs).
      configs: configs.get(topic.name) ?? {},
      internal: topic.internal,
      assignment: topic.partitions.map((p) => p.replicas),
    }));
  }

  async createTopics(topics: readonly NewTopic[], { validateOnly }: BatchOptions): Promise<TopicFailure[]> {
    const action = validateOnly ? 'validate topic creation' : 'create topics';
    // One TopicRecord, one PartitionRecord per partition, one ConfigRecord per config.
    const chunks = chunkByCost(topics, (t) => 1 + t.partitions + Object.keys(t.configs).length, MAX_RECORDS_PER_REQUEST);
    const failures: TopicFailure[] = [];
    for (const chunk of chunks) {
      const refused = await this.run(
        action,
        async () => {
          try {
            await this.admin.createTopics({
              validateOnly,
              waitForLeaders: false,
              timeout: this.requestTimeoutMs + chunk.length * PER_TOPIC_MS,
              topics: chunk.map((t) => ({
                topic: t.name,
                numPartitions: t.partitions,
                replicationFactor: t.replicationFactor,
                configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
              })),
            });
            return [];
          } catch (error) {
            // KafkaJS collects the per-topic errors of one response in a KafkaJSAggregateError.
            const perTopic = (error as KafkaJsFailure).errors;
            if (perTopic === undefined) throw error;
            return perTopic.map((e) => ({ topic: e.topic ?? '?', type: e.type, reason: reasonOf(e) }));
          }
        },
        chunk.length,
        { operation: 'CREATE', resource: topicsNamed(chunk.map((t) => t.name)) },
      );
      failures.push(...this.refuseOnAcl(action, refused, 'CREATE'));
    }
    return failures;
  }

  async createPartitions(increases: readonly PartitionIncrease[], { validateOnly }: BatchOptions): Promise<TopicFailure[]> {
    if (increases.length === 0) return [];
    const send = (batch: readonly PartitionIncrease[]) =>
      this.admin
        .createPartitions({ validateOnly, timeout: this.requestTimeoutMs + batch.length * PER_TOPIC_MS, topicPartitions: batch.map(({ topic, count }) => ({ topic, count })) })
        .then(() => undefined);
    // A partition record per new partition; the increase is bounded by the count.
    return this.batch(validateOnly ? 'validate partition increases' : 'add partitions', increases, (i) => i.count, send, validateOnly, 'ALTER');
  }

  async replaceTopicConfigs(replacements: readonly ConfigReplacement[], { validateOnly }: BatchOptions): Promise<TopicFailure[]> {
    if (replacements.length === 0) return [];
    const { ConfigResourceTypes } = (await import('kafkajs')).default;
    const send = (batch: readonly ConfigReplacement[]) =>
      this.admin
        .alterConfigs({
          validateOnly,
          resources: batch.map(({ topic, configs }) => ({
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
          })),
        })
        .then(() => undefined);
    // Removed overrides cost records too; every topic config is a fair upper bound.
    return this.batch(validateOnly ? 'validate config changes' : 'change topic configs', replacements, (r) => 1 + Object.keys(r.configs).length, send, validateOnly, 'ALTER_CONFIGS');
  }

  /** Sends a batch in record-bounded requests; a refused validation is narrowed to its topics. */
  private async batch<T extends { topic: string }>(
    action: string,
    items: readonly T[],
    cost: (item: T) => number,
    send: (batch: readonly T[]) => Promise<void>,
    validateOnly: boolean,
    operation: AccessNeed['operation'],
  ): Promise<TopicFailure[]> {
    const failures: TopicFailure[] = [];
    for (const chunk of chunkByCost(items, cost, MAX_RECORDS_PER_REQUEST)) {
      const needs = { operation, resource: topicsNamed(chunk.map((item) => item.topic)) };
      if (validateOnly) {
        failures.push(...this.refuseOnAcl(action, await this.run(action, () => isolateFailures(chunk, send), chunk.length, needs), operation));
      } else {
        await this.run(action, () => send(chunk), chunk.length, needs);
      }
    }
    return failures;
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    for (const chunk of chunkByCost(names, () => 1, MAX_RECORDS_PER_REQUEST)) {
      await this.run('delete topics', () => this.admin.deleteTopics({ topics: [...chunk], timeout: this.requestTimeoutMs + chunk.length * PER_TOPIC_MS }), chunk.length, {
        operation: 'DELETE',
        resource: topicsNamed(chunk),
      });
    }
  }

  async waitForLeaders(names: readonly string[], options: WaitOptions = {}): Promise<void> {
    const led = (topics: readonly MetadataTopic[]) => topics.filter((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)).map((t) => t.name);
    await this.poll('wait for the leaders of new topics', names, options, {
      settled: async (pending) => led(await this.topicMetadata(pending)),
      everywhere: async (all) => {
        const ready = new Set(led(await this.topicMetadata()));
        return all.filter((name) => ready.has(name));
      },
    });
  }

  async waitUntilDeleted(names: readonly string[], options: WaitOptions = {}): Promise<void> {
    const gone = async (pending: string[]) => {
      const listed = new Set((await this.topicMetadata()).map((t) => t.name));
      return pending.filter((name) => !listed.has(name));
    };
    await this.poll('wait for deleted topics to disappear', names, options, { settled: gone, everywhere: gone });
  }

  async waitForPartitions(increases: readonly PartitionIncrease[], options: WaitOptions = {}): Promise<void> {
    const wanted = new Map(increases.map((i) => [i.topic, i.count]));
    const grown = (topics: readonly MetadataTopic[]) =>
      topics.filter((t) => t.partitions.length >= (wanted.get(t.name) ?? Infinity) && t.partitions.every((p) => p.leader >= 0)).map((t) => t.name);
    await this.poll('wait for new partitions to show', [...wanted.keys()], options, {
      settled: async (pending) => grown(await this.topicMetadata(pending)),
      everywhere: async () => grown(await this.topicMetadata()),
    });
  }

  async waitForReplicas(placements: readonly PartitionReplicas[], options: WaitOptions = {}): Promise<void> {
    const wanted = new Map<string, Map<number, string>>();
    for (const p of placements) wanted.set(p.topic, (wanted.get(p.topic) ?? new Map<number, string>()).set(p.partition, p.replicas.join(',')));
    const placed = (topics: readonly MetadataTopic[]) =>
      topics.filter((t) => [...(wanted.get(t.name) ?? [])].every(([partition, replicas]) => t.partitions.find((p) => p.partitionId === partition)?.replicas.join(',') === replicas)).map((t) => t.name);
    await this.poll('wait for the moved replicas to show', [...wanted.keys()], options, {
      settled: async (pending) => placed(await this.topicMetadata(pending)),
      everywhere: async (all) => placed(await this.topicMetadata(all)),
    });
  }

  async waitForConfigs(replacements: readonly ConfigReplacement[], options: WaitOptions = {}): Promise<void> {
    const wanted = new Map(replacements.map((r) => [r.topic, r.configs]));
    const applied = async (pending: string[]) => {
      const configs = await this.topicConfigs(pending);
      return pending.filter((name) => hasExactly(configs.get(name) ?? {}, wanted.get(name) ?? {}));
    };
    await this.poll('wait for config changes to show', [...wanted.keys()], options, { settled: applied, everywhere: applied });
  }

  /**
   * Metadata of some topics, or of all. KafkaJS asks a random broker and moves on to
   * the next when one fails (a broker that has not heard of a new topic yet); when all
   * fail it returns nothing at all, which here means "not yet".
   */
  private async topicMetadata(names?: readonly string[]): Promise<MetadataTopic[]> {
    try {
      return (await this.admin.fetchTopicMetadata(names === undefined ? undefined : { topics: [...names] })).topics;
    } catch (error) {
      const type = (error as KafkaJsFailure).type;
      if (error instanceof TypeError || type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE') return [];
      throw translateKafkaError(error, this.failureContext('read topic metadata'));
    }
  }

  /** Reads that may land on a broker lagging its controller: how many in a row must agree. */
  private async agreeingReads(): Promise<number> {
    this.brokerCount ??= (await this.describeCluster()).brokers.length;
    return this.brokerCount > 1 ? 2 * this.brokerCount : 0;
  }

  /**
   * Asks `settled` which pending topics are done until none is left, then, on a
   * cluster of several brokers, asks `everywhere` (reads any broker may answer)
   * until it has agreed a few times in a row, so that the next command sees the
   * change whichever broker it asks.
   */
  private async poll(action: string, names: readonly string[], options: WaitOptions, checks: PollChecks): Promise<void> {
    let pending = [...new Set(names)];
    const all = [...pending];
    const total = pending.length;
    const deadline = Date.now() + this.requestTimeoutMs + total * PER_TOPIC_MS;
    const check = (stillPending: string): void => {
      if (options.signal?.aborted) throw new InterruptedError(`interrupted while trying to ${action}`);
      if (Date.now() > deadline) {
        throw new UnavailableError(`gave up trying to ${action}: ${stillPending}`, { hint: 'check the brokers with "iotmsg topics list"; raise --timeout on a slow cluster' });
      }
    };
    while (pending.length > 0) {
      check(`${pending.length} of ${total} topic(s) still pending (e.g. "${pending[0]}")`);
      const done = new Set(await checks.settled(pending));
      pending = pending.filter((name) => !done.has(name));
      options.onProgress?.(total - pending.length, total);
      if (pending.length > 0) await sleep(POLL_MS);
    }
    const needed = total === 0 ? 0 : await this.agreeingReads();
    for (let agreeing = 0; agreeing < needed; ) {
      check('the brokers do not all show it yet');
      agreeing = (await checks.everywhere(all)).length === total ? agreeing + 1 : 0;
      await sleep(POLL_MS / 2);
    }
  }

  private failureContext(action: string) {
    return failureContext(this.session.settings, action);
  }

  topicOffsets(name: string): Promise<PartitionOffsets[]> {
    return this.run(`read the offsets of "${name}"`, async () => {
      const offsets = await this.admin.fetchTopicOffsets(name);
      return offsets.map((o) => ({ partition: o.partition, earliest: o.low, latest: o.high })).sort((a, b) => a.partition - b.partition);
    });
  }
}

/** One line for a batch that failed at apply time, naming the refused topics. */
/** The resource of a batch's refusal: the topic, or the first of several. */
function topicsNamed(names: readonly string[]): string {
  return names.length === 1 ? `topic "${names[0]}"` : `topic "${names[0]}" (one of ${names.length})`;
}

export function batchFailure(action: string, failures: readonly Pick<TopicFailure, 'topic' | 'reason'>[]): OperationError {
  const [first] = failures;
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
  return new OperationError(`cannot ${action}: "${first?.topic}" was refused: ${first?.reason}${more}`, {
    hint: 'run "iotmsg topics plan" to see what is left; a second apply picks up where this one stopped',
  });
}
