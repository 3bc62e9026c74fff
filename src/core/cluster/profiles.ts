/**
 * What "dev" and "prod" mean for a cluster. The local runtime and the Docker Compose
 * stacks both read these, so the two deployments cannot drift apart.
 */
export type ClusterEnv = 'dev' | 'prod';

export interface ClusterProfile {
  env: ClusterEnv;
  brokerCount: number;
  /** Every node is broker and controller, so brokerCount is also the quorum size. */
  defaultReplicationFactor: number;
  minInsyncReplicas: number;
  heapMb: number;
  ports: ClusterPorts;
}

export interface ClusterPorts {
  /** Client listener of node i is firstBrokerPort + i. */
  firstBrokerPort: number;
  /** Controller listener of node i is firstControllerPort + i. */
  firstControllerPort: number;
  registryPort: number;
}

export const CLUSTER_PROFILES: Readonly<Record<ClusterEnv, ClusterProfile>> = {
  dev: {
    env: 'dev',
    brokerCount: 1,
    defaultReplicationFactor: 1,
    minInsyncReplicas: 1,
    heapMb: 512,
    ports: { firstBrokerPort: 9092, firstControllerPort: 9093, registryPort: 8081 },
  },
  prod: {
    env: 'prod',
    brokerCount: 3,
    defaultReplicationFactor: 3,
    minInsyncReplicas: 2,
    heapMb: 384,
    ports: { firstBrokerPort: 19092, firstControllerPort: 19192, registryPort: 18081 },
  },
};

export function isClusterEnv(value: string): value is ClusterEnv {
  return value === 'dev' || value === 'prod';
}

export interface BrokerNode {
  nodeId: number;
  port: number;
  controllerPort: number;
}

export function brokerNodes(profile: ClusterProfile): BrokerNode[] {
  return Array.from({ length: profile.brokerCount }, (_, i) => ({
    nodeId: i + 1,
    port: profile.ports.firstBrokerPort + i,
    controllerPort: profile.ports.firstControllerPort + i,
  }));
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

export function quorumVoters(nodes: readonly BrokerNode[], host: string): string {
  return nodes.map((n) => `${n.nodeId}@${host}:${n.controllerPort}`).join(',');
}
