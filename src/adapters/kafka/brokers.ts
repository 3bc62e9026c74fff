/**
 * The brokers of a cluster: registration (with rack) from the metadata, log dirs by
 * DescribeLogDirs (which KafkaJS does not have) sent to each broker, and configs by
 * DescribeConfigs on the BROKER resource, which KafkaJS sends to that broker.
 */
import { brokerConfigOf, type BrokerConfig } from '../../core/brokers/brokerConfigs.js';
import {
  decodeDescribeLogDirsResponse,
  DESCRIBE_LOG_DIRS_KEY,
  describeLogDirsVersion,
  encodeDescribeLogDirsRequest,
  type LogDirDescription,
} from '../../core/brokers/brokerProtocol.js';
import { OperationError } from '../../core/errors.js';
import type { KafkaSession } from './session.js';
import { Wire, type RegisteredBroker } from './wire.js';

export interface LogDirUsage {
  path: string;
  /** Kafka's error name for a dir the broker cannot use (e.g. KAFKA_STORAGE_ERROR); undefined when fine. */
  error: string | undefined;
  partitions: number;
  /** Bytes of the partitions' logs in the dir. */
  usedBytes: number;
  /** The volume's size and free space; undefined before Kafka 3.3 (DescribeLogDirs v4). */
  totalBytes: number | undefined;
  usableBytes: number | undefined;
}

export interface BrokerDescription extends RegisteredBroker {
  /** KRaft: the broker the metadata names as controller (KafkaJS's describeCluster does the same). */
  controller: boolean;
  logDirs: LogDirUsage[];
}

export interface BrokerListing {
  clusterId: string;
  controller: number | undefined;
  brokers: BrokerDescription[];
}

/** The metadata's brokers with the log dirs each one reports. */
export async function listBrokers(session: KafkaSession): Promise<BrokerListing> {
  return session.run(
    'list the brokers',
    async () => {
      const wire = await Wire.open(session.kafka);
      try {
        const cluster = await wire.describeCluster();
        const brokers = await Promise.all(
          cluster.brokers.map(async (broker) => ({ ...broker, controller: broker.nodeId === cluster.controller, logDirs: await logDirsOf(wire, broker.nodeId) })),
        );
        return { ...cluster, brokers };
      } finally {
        await wire.close();
      }
    },
    undefined,
    { operation: 'DESCRIBE', resource: 'the cluster' },
  );
}

async function logDirsOf(wire: Wire, nodeId: number): Promise<LogDirUsage[]> {
  const target = { nodeId };
  const version = describeLogDirsVersion(await wire.versions(target, DESCRIBE_LOG_DIRS_KEY));
  if (version === undefined) throw new OperationError(`broker ${nodeId} does not describe its log dirs over a flexible DescribeLogDirs`, { hint: 'this needs Kafka 2.6 or newer' });
  const response = await wire.send(target, {
    apiKey: DESCRIBE_LOG_DIRS_KEY,
    apiName: 'DescribeLogDirs',
    version,
    body: encodeDescribeLogDirsRequest(),
    decode: (r) => decodeDescribeLogDirsResponse(r, version),
  });
  if (response.errorCode !== 0) throw wire.errorFromCode(response.errorCode);
  return response.logDirs.map((dir) => usage(wire, dir)).sort((a, b) => a.path.localeCompare(b.path));
}

function usage(wire: Wire, dir: LogDirDescription): LogDirUsage {
  // A replica being moved into the dir (isFuture) takes room there too, as kafka-log-dirs counts it.
  return {
    path: dir.path,
    error: dir.errorCode === 0 ? undefined : wire.errorFromCode(dir.errorCode).type,
    partitions: dir.partitions.length,
    usedBytes: dir.partitions.reduce((sum, p) => sum + p.sizeBytes, 0),
    totalBytes: dir.totalBytes,
    usableBytes: dir.usableBytes,
  };
}

/** The broker ids the metadata registers. */
export async function brokerIds(session: KafkaSession): Promise<number[]> {
  const { brokers } = await session.run('list the brokers', () => session.admin.describeCluster());
  return brokers.map((b) => b.nodeId).sort((a, b) => a - b);
}

/** Every config of one broker, with where each is set (synonyms); sensitive values dropped. */
export async function brokerConfigs(session: KafkaSession, nodeId: number): Promise<BrokerConfig[]> {
  return session.run(
    `describe the configs of broker ${nodeId}`,
    async () => {
      const { ConfigResourceTypes } = (await import('kafkajs')).default;
      const response = await session.admin.describeConfigs({ includeSynonyms: true, resources: [{ type: ConfigResourceTypes.BROKER, name: String(nodeId) }] });
      const resource = response.resources[0];
      if (!resource) throw new OperationError(`broker ${nodeId} sent no configs`);
      if (resource.errorCode !== 0) throw new OperationError(`cannot describe the configs of broker ${nodeId}: ${resource.errorMessage || `broker error ${resource.errorCode}`}`);
      return resource.configEntries.map((e) =>
        brokerConfigOf({
          name: e.configName,
          value: e.configValue ?? null,
          source: e.configSource,
          sensitive: e.isSensitive,
          readOnly: e.readOnly,
          synonyms: (e.configSynonyms ?? []).map((s) => ({ value: s.configValue ?? null, source: s.configSource })),
        }),
      );
    },
    undefined,
    { operation: 'DESCRIBE_CONFIGS', resource: 'the cluster' },
  );
}
