/** Per-topic replication health, from partition metadata as the broker reports it. */
export interface PartitionState {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface TopicSummary {
  name: string;
  partitions: number;
  replicationFactor: number;
  underReplicated: number;
  offline: number;
  internal: boolean;
  dlq: boolean;
}

/** `<topic>.dlq` and `<topic>.dlq.<reason>` are dead-letter siblings. */
export function isDlqName(name: string): boolean {
  return /\.dlq(\.[^.]+)*$/.test(name);
}

export function summariseTopic(topic: { name: string; internal: boolean; partitions: readonly PartitionState[] }): TopicSummary {
  return {
    name: topic.name,
    partitions: topic.partitions.length,
    replicationFactor: Math.max(0, ...topic.partitions.map((p) => p.replicas.length)),
    underReplicated: topic.partitions.filter((p) => p.isr.length < p.replicas.length).length,
    offline: topic.partitions.filter((p) => p.leader < 0).length,
    internal: topic.internal,
    dlq: isDlqName(topic.name),
  };
}
