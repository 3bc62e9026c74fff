import { createRequire } from 'node:module';
import type { Kafka } from 'kafkajs';
import { OperationError } from '../../core/errors.js';

/**
 * The one module that reaches into KafkaJS's internals (kafkajs 2.2): its cluster (metadata,
 * one connection pool per broker, with their TLS and SASL) and its error table. Requests are
 * encoded and decoded by pure codecs in src/core; this module only carries their bytes over
 * KafkaJS's connections, so every request iotmsg adds speaks TLS and SASL as KafkaJS does.
 * What it relies on is checked when it opens: a KafkaJS that changed fails with one line.
 */

/** A request encoded by a pure codec: the body after the request header, and how to read the answer. */
export interface WireRequest<T> {
  apiKey: number;
  apiName: string;
  version: number;
  /**
   * The bytes after the client id. Flexible versions (request header v2) start with the
   * header's tagged fields, which KafkaJS (header v1 only) does not write.
   */
  body: Buffer;
  /** Reads the answer after its correlation id (a flexible response header's tagged fields included). */
  decode(response: Buffer): T;
  /** Longer than --timeout for requests the broker holds on purpose (a Fetch's max wait is added). */
  timeoutMs?: number;
}

/** A partition of a topic as the metadata describes it. */
export interface PartitionLeader {
  partition: number;
  /** -1 while the partition has no leader. */
  leader: number;
}

/** A broker as the metadata registers it (KafkaJS's describeCluster leaves out the rack). */
export interface RegisteredBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | undefined;
}

/** Where a request goes: a broker by node id, the controller, or any broker that answers. */
export type WireTarget = { nodeId: number } | 'controller' | 'any';

export interface VersionRange {
  min: number;
  max: number;
}

/** A broker error code as KafkaJS names it, with whether retrying can help. */
export type BrokerError = Error & { retriable: boolean; type: string; code?: number };

interface InternalBroker {
  nodeId: number;
  versions: Record<number, { minVersion: number; maxVersion: number }> | null;
  initProducerId(request: { transactionTimeout: number }): Promise<{ producerId: string; producerEpoch: number }>;
  findGroupCoordinator(request: { groupId: string; coordinatorType: number }): Promise<unknown>;
  connectionPool: { send(request: ProtocolRequest): Promise<unknown> };
}

interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  refreshMetadata(): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number; leader: number }[];
  findBroker(node: { nodeId: number }): Promise<InternalBroker>;
  findControllerBroker(): Promise<InternalBroker>;
  getNodeIds(): number[];
  metadata(request: { topics: string[] }): Promise<{ clusterId: string; controllerId: number | null; brokers: { nodeId: number; host: string; port: number; rack: string | null }[] }>;
}

interface ProtocolRequest {
  request: { apiKey: number; apiVersion: number; apiName: string; expectResponse: () => boolean; encode: () => Promise<unknown> };
  response: { decode: (payload: Buffer) => Promise<unknown>; parse: (decoded: unknown) => Promise<unknown> };
  requestTimeout?: number;
}

const require = createRequire(import.meta.url);
const CREATE_CLUSTER = 'private:Kafka:createCluster';
const CLUSTER_METHODS = ['connect', 'disconnect', 'addMultipleTargetTopics', 'refreshMetadata', 'findTopicPartitionMetadata', 'findBroker', 'findControllerBroker', 'getNodeIds', 'metadata'] as const;

function mismatch(what: string): OperationError {
  return new OperationError(`the installed kafkajs is not the one iotmsg was built for: ${what}`, { hint: 'reinstall with "npm ci": iotmsg needs kafkajs 2.2.4' });
}

function methodsOf(name: string, value: unknown, methods: readonly string[]): void {
  for (const method of methods) {
    if (typeof (value as Record<string, unknown> | undefined)?.[method] !== 'function') throw mismatch(`${name} has no ${method}()`);
  }
}

function requireInternal<T>(path: string): T {
  try {
    return require(path) as T;
  } catch {
    throw mismatch(`${path} is missing`);
  }
}

/** KafkaJS's table of broker error codes, checked like the rest. */
function errorTable(): (code: number) => BrokerError {
  const { createErrorFromCode } = requireInternal<{ createErrorFromCode?: unknown }>('kafkajs/src/protocol/error');
  if (typeof createErrorFromCode !== 'function') throw mismatch('kafkajs/src/protocol/error has no createErrorFromCode()');
  return (code) => Object.assign(createErrorFromCode(code) as BrokerError, { code });
}

/** The checks `Wire.open` makes, without a broker: KafkaJS's cluster, broker and connection pool have what is used here. */
export function checkInternals(kafka: Kafka): InternalCluster {
  const key = Object.getOwnPropertySymbols(kafka).find((symbol) => symbol.description === CREATE_CLUSTER);
  const create = key === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[key];
  if (typeof create !== 'function') throw mismatch(`Kafka has no ${CREATE_CLUSTER}`);
  const cluster = (create as (options: object) => unknown)({ allowAutoTopicCreation: false, maxInFlightRequests: null });
  methodsOf('its cluster', cluster, CLUSTER_METHODS);
  methodsOf('its broker', requireInternal<{ prototype: unknown }>('kafkajs/src/broker').prototype, ['initProducerId', 'findGroupCoordinator', 'connect']);
  methodsOf('its connection pool', requireInternal<{ prototype: unknown }>('kafkajs/src/network/connectionPool').prototype, ['send']);
  errorTable();
  return cluster as InternalCluster;
}

/** KafkaJS writes whatever Encoder-like object `encode` gives it after the request header. */
function encoded(bytes: Buffer): { buf: Buffer; buffer: Buffer } {
  return { buf: bytes, buffer: bytes };
}

/**
 * A cluster's brokers over KafkaJS's connections: metadata, API versions and requests.
 * Opened per command and closed with it.
 */
export class Wire {
  readonly errorFromCode: (code: number) => BrokerError;

  private constructor(private readonly cluster: InternalCluster) {
    this.errorFromCode = errorTable();
  }

  /** Checks KafkaJS's internals and connects to the cluster (bounded by KafkaJS's connection timeout). */
  static async open(kafka: Kafka): Promise<Wire> {
    const wire = new Wire(checkInternals(kafka));
    await wire.cluster.connect();
    return wire;
  }

  /** Loads (and from then on keeps) the metadata of a topic. */
  async addTopic(topic: string): Promise<void> {
    await this.addTopics([topic]);
  }

  /** Like addTopic for several topics, with one metadata request for all of them. */
  async addTopics(topics: readonly string[]): Promise<void> {
    await this.cluster.addMultipleTargetTopics([...topics]);
  }

  async refreshMetadata(): Promise<void> {
    await this.cluster.refreshMetadata();
  }

  /** The partitions of a topic added with `addTopic`, by partition number. */
  partitions(topic: string): PartitionLeader[] {
    return this.cluster
      .findTopicPartitionMetadata(topic)
      .map((p) => ({ partition: p.partitionId, leader: p.leader }))
      .sort((a, b) => a.partition - b.partition);
  }

  /** The brokers and the controller the metadata names (in KRaft, a broker KafkaJS takes as "controller"). */
  async describeCluster(): Promise<{ clusterId: string; controller: number | undefined; brokers: RegisteredBroker[] }> {
    const metadata = await this.cluster.metadata({ topics: [] });
    const brokers = metadata.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? undefined })).sort((a, b) => a.nodeId - b.nodeId);
    const controller = metadata.controllerId === null || metadata.controllerId < 0 ? undefined : metadata.controllerId;
    return { clusterId: metadata.clusterId, controller, brokers };
  }

  /** The versions of an API the broker takes; undefined when it has none. */
  async versions(target: WireTarget, apiKey: number): Promise<VersionRange | undefined> {
    const range = (await this.broker(target)).versions?.[apiKey];
    return range && { min: range.minVersion, max: range.maxVersion };
  }

  async send<T>(target: WireTarget, request: WireRequest<T>): Promise<T> {
    const broker = await this.broker(target);
    return (await broker.connectionPool.send({
      request: { apiKey: request.apiKey, apiVersion: request.version, apiName: request.apiName, expectResponse: () => true, encode: async () => encoded(request.body) },
      response: { decode: async (payload) => request.decode(payload), parse: async (decoded) => decoded },
      ...(request.timeoutMs !== undefined ? { requestTimeout: request.timeoutMs } : {}),
    })) as T;
  }

  /** A producer id for an idempotent producer (InitProducerId, which KafkaJS has). */
  async initProducerId(transactionTimeout: number): Promise<{ producerId: bigint; producerEpoch: number }> {
    const { producerId, producerEpoch } = await (await this.broker('controller')).initProducerId({ transactionTimeout });
    return { producerId: BigInt(producerId), producerEpoch };
  }

  /**
   * FindCoordinator for a consumer group, once, with the broker's own error: KafkaJS's
   * cluster retries it on every broker and reports any refusal as "Failed to find group coordinator".
   */
  async findGroupCoordinator(group: string): Promise<void> {
    await (await this.broker('any')).findGroupCoordinator({ groupId: group, coordinatorType: 0 });
  }

  private async broker(target: WireTarget): Promise<InternalBroker> {
    if (target === 'controller') {
      // Without a topic added, no metadata has been read yet, and the controller is not known.
      return this.cluster.findControllerBroker().catch(async (error: unknown) => {
        if ((error as Error).name !== 'KafkaJSMetadataNotLoaded') throw error;
        await this.cluster.refreshMetadata();
        return this.cluster.findControllerBroker();
      });
    }
    if (target !== 'any') {
      // As for the controller: a broker is known only once metadata has been read.
      return this.cluster.findBroker(target).catch(async (error: unknown) => {
        if ((error as Error).name !== 'KafkaJSBrokerNotFound') throw error;
        await this.cluster.refreshMetadata();
        return this.cluster.findBroker(target);
      });
    }
    let failure: unknown;
    // Metadata is loaded on connect only for the topics added: without any, it is read now.
    const nodeIds = await this.cluster.refreshMetadata().then(() => this.cluster.getNodeIds());
    for (const nodeId of nodeIds) {
      try {
        return await this.cluster.findBroker({ nodeId });
      } catch (error) {
        failure = error;
      }
    }
    if (failure !== undefined) throw failure;
    return this.cluster.findControllerBroker();
  }

  async close(): Promise<void> {
    await this.cluster.disconnect().catch(() => {});
  }
}
