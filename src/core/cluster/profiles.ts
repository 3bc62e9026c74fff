/**
 * What "dev" and "prod" mean for a cluster. The local runtime and the Docker Compose
 * stacks both read these, so the two deployments cannot drift apart.
 */
export type ClusterEnv = 'dev' | 'prod';

/** The Apache Kafka release both deployments run (jars from Maven Central, or the apache/kafka image). */
export const KAFKA_VERSION = '4.4.0';

export interface ClusterProfile {
  env: ClusterEnv;
  brokerCount: number;
  /** Every node is broker and controller, so brokerCount is also the quorum size. */
  defaultReplicationFactor: number;
  minInsyncReplicas: number;
  /**
   * Heap of each broker. Measured with bench/heap.mjs: at 5,000 topics with DLQs (7,000
   * partitions per broker) a broker keeps about 230 MB live after a full GC; 1 GB leaves
   * room for creates and for loading the logs at a restart.
   */
  heapMb: number;
  ports: ClusterPorts;
  /** Services only the Docker Compose stack runs around the brokers and the registry. */
  stack: StackServices;
}

export interface ClusterPorts {
  /** Client listener of node i is firstBrokerPort + i. */
  firstBrokerPort: number;
  /** Controller listener of node i is firstControllerPort + i. */
  firstControllerPort: number;
  registryPort: number;
  /**
   * Inter-broker listener of node i (secured clusters only) is firstInternalPort + i; by
   * default the ports after the controllers', stepping over the registry's.
   */
  firstInternalPort?: number;
}

export interface StackServices {
  /** JMX of node i is published on firstJmxPort + i. */
  firstJmxPort: number;
  /** The kafbat web UI. */
  webUiPort?: number;
  /** HAProxy in front of the brokers: the one address clients bootstrap from. */
  loadBalancer?: { bootstrapPort: number; statsPort: number };
}

export const CLUSTER_PROFILES: Readonly<Record<ClusterEnv, ClusterProfile>> = {
  dev: {
    env: 'dev',
    brokerCount: 1,
    defaultReplicationFactor: 1,
    minInsyncReplicas: 1,
    heapMb: 1024,
    ports: { firstBrokerPort: 9092, firstControllerPort: 9093, registryPort: 8081 },
    stack: { firstJmxPort: 9101, webUiPort: 8080 },
  },
  prod: {
    env: 'prod',
    brokerCount: 3,
    defaultReplicationFactor: 3,
    minInsyncReplicas: 2,
    heapMb: 1024,
    ports: { firstBrokerPort: 19092, firstControllerPort: 19192, registryPort: 18081 },
    stack: { firstJmxPort: 19101, loadBalancer: { bootstrapPort: 19090, statsPort: 18404 } },
  },
};

export function isClusterEnv(value: string): value is ClusterEnv {
  return value === 'dev' || value === 'prod';
}

export interface BrokerNode {
  nodeId: number;
  name: string;
  port: number;
  controllerPort: number;
  /** The inter-broker listener of a secured cluster. */
  internalPort: number;
}

export function brokerNodes(profile: ClusterProfile): BrokerNode[] {
  const firstInternal = firstInternalPort(profile.ports, profile.brokerCount);
  return Array.from({ length: profile.brokerCount }, (_, i) => ({
    nodeId: i + 1,
    name: `kafka-${i + 1}`,
    port: profile.ports.firstBrokerPort + i,
    controllerPort: profile.ports.firstControllerPort + i,
    internalPort: firstInternal + i,
  }));
}

function firstInternalPort(ports: ClusterPorts, count: number): number {
  if (ports.firstInternalPort !== undefined) return ports.firstInternalPort;
  const after = ports.firstControllerPort + count;
  return ports.registryPort >= after && ports.registryPort < after + count ? ports.registryPort + 1 : after;
}

/**
 * Broker settings shared by every deployment of the profile. Listener and path settings
 * differ per deployment and are added by the runtime or the compose generator.
 */
export function brokerSettings(profile: ClusterProfile): Record<string, string> {
  const internalRf = String(profile.defaultReplicationFactor);
  return {
    'process.roles': 'broker,controller',
    'auto.create.topics.enable': 'false',
    'default.replication.factor': internalRf,
    'min.insync.replicas': String(profile.minInsyncReplicas),
    'unclean.leader.election.enable': 'false',
    'offsets.topic.replication.factor': internalRf,
    'transaction.state.log.replication.factor': internalRf,
    'transaction.state.log.min.isr': String(profile.minInsyncReplicas),
    'num.partitions': '1',
    // Consumers in tests and CLI sessions should not wait 3 s for the first rebalance.
    'group.initial.rebalance.delay.ms': '0',
    'delete.topic.enable': 'true',
  };
}

/** `controller.quorum.voters`: id@address of every node, e.g. 1@kafka-1:9093. */
export function quorumVoters(nodes: readonly BrokerNode[], controllerAddress: (node: BrokerNode) => string): string {
  return nodes.map((n) => `${n.nodeId}@${controllerAddress(n)}`).join(',');
}
