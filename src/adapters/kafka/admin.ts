import type { Admin } from 'kafkajs';
import type { ConnectionSettings } from '../../core/config/settings.js';
import { UnavailableError, type IotmsgError } from '../../core/errors.js';
import { createKafka, type LogSink } from './client.js';
import { translateKafkaError, withDeadline } from './errors.js';

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

/** What iotmsg needs from a Kafka admin client; KafkaJS stays behind it. */
export interface ClusterAdmin {
  describeCluster(): Promise<ClusterInfo>;
  /** Every topic with its partitions, from one metadata request. */
  listTopics(): Promise<TopicInfo[]>;
  /** The topic configs of many topics in one request. */
  topicConfigs(names: readonly string[]): Promise<Map<string, Record<string, ConfigEntry>>>;
  close(): Promise<void>;
}

// KafkaJS's ConfigSource enum values; only TOPIC_CONFIG (1) is an override on the topic itself.
const CONFIG_SOURCES: Record<number, ConfigSourceName> = { 1: 'dynamic', 4: 'static', 5: 'default' };

export function isInternalTopic(name: string): boolean {
  return name.startsWith('__');
}

export async function openAdmin(settings: ConnectionSettings, debug?: LogSink): Promise<ClusterAdmin> {
  const kafka = await createKafka(settings, debug);
  const admin = kafka.admin();
  const adapter = new KafkaJsAdmin(admin, settings);
  await adapter.run('connect to the cluster', () => admin.connect());
  return adapter;
}

class KafkaJsAdmin implements ClusterAdmin {
  constructor(
    private readonly admin: Admin,
    private readonly settings: ConnectionSettings,
  ) {}

  /** Every call is bounded by --timeout and fails as one translated error. */
  async run<T>(action: string, work: () => Promise<T>): Promise<T> {
    const ctx = { brokers: this.settings.brokers, action, saslUsername: this.settings.sasl?.username };
    const timeout = (): IotmsgError =>
      new UnavailableError(`cannot reach Kafka at ${this.settings.brokers.join(',')} within ${this.settings.timeoutMs / 1000}s (trying to ${action})`, {
        hint: 'is the cluster running? Start one with "iotmsg deploy --env dev", or check --bootstrap-server / KAFKA_BROKERS; raise --timeout for a slow network',
      });
    try {
      return await withDeadline(work(), this.settings.timeoutMs, timeout);
    } catch (error) {
      throw translateKafkaError(error, ctx);
    }
  }

  describeCluster(): Promise<ClusterInfo> {
    return this.run('describe the cluster', async () => {
      const { clusterId, controller, brokers } = await this.admin.describeCluster();
      return { clusterId, controller, brokers: [...brokers].sort((a, b) => a.nodeId - b.nodeId) };
    });
  }

  listTopics(): Promise<TopicInfo[]> {
    return this.run('list topics', async () => {
      const { topics } = await this.admin.fetchTopicMetadata();
      return topics
        .map((t) => ({
          name: t.name,
          internal: isInternalTopic(t.name),
          partitions: t.partitions
            .map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr, offlineReplicas: p.offlineReplicas ?? [] }))
            .sort((a, b) => a.partition - b.partition),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    });
  }

  topicConfigs(names: readonly string[]): Promise<Map<string, Record<string, ConfigEntry>>> {
    return this.run('describe topic configs', async () => {
      const result = new Map<string, Record<string, ConfigEntry>>();
      if (names.length === 0) return result;
      const { ConfigResourceTypes } = (await import('kafkajs')).default;
      const response = await this.admin.describeConfigs({
        includeSynonyms: false,
        resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
      });
      for (const resource of response.resources) {
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
    });
  }

  async close(): Promise<void> {
    await this.admin.disconnect().catch(() => {});
  }
}
