import type { Admin } from 'kafkajs';
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

/** What iotmsg needs from a Kafka admin client; KafkaJS stays behind it. */
export interface ClusterAdmin {
  describeCluster(): Promise<ClusterInfo>;
  /** Every topic with its partitions, from one metadata request. */
  listTopics(): Promise<TopicInfo[]>;
  /** The topic configs of many topics in one request. */
  topicConfigs(names: readonly string[]): Promise<Map<string, Record<string, ConfigEntry>>>;
}

// KafkaJS's ConfigSource enum values; only TOPIC_CONFIG (1) is an override on the topic itself.
const CONFIG_SOURCES: Record<number, ConfigSourceName> = { 1: 'dynamic', 4: 'static', 5: 'default' };

export function isInternalTopic(name: string): boolean {
  return name.startsWith('__');
}

/** The topic-level admin operations, on a session's connection. */
export function topicAdmin(session: KafkaSession): ClusterAdmin {
  return new KafkaJsAdmin(session);
}

class KafkaJsAdmin implements ClusterAdmin {
  private readonly admin: Admin;

  constructor(private readonly session: KafkaSession) {
    this.admin = session.admin;
  }

  private run<T>(action: string, work: () => Promise<T>): Promise<T> {
    return this.session.run(action, work);
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

}
