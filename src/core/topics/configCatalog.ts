/**
 * Every topic-level config of Apache Kafka 3.9 (LogConfig + the two throttled-replica
 * lists), as data: type, default as describeConfigs reports it, and the validator
 * Kafka applies. `serverDefault` is the broker property that supplies the default.
 */

export type ConfigType = 'long' | 'int' | 'double' | 'boolean' | 'string' | 'list' | 'class';

export interface TopicConfigDefinition {
  readonly name: string;
  readonly type: ConfigType;
  readonly default: string;
  /** Inclusive bounds of Kafka's Range validator. */
  readonly min?: number;
  readonly max?: number;
  /** Values accepted outside min..max (gzip's -1 means "codec default"). */
  readonly alsoAllowed?: readonly number[];
  /** The allowed values of a string, or the allowed items of a list. */
  readonly values?: readonly string[];
  /** The shape of each item of a list that has no fixed values. */
  readonly itemPattern?: RegExp;
  readonly itemDescription?: string;
  readonly serverDefault?: string;
  /** Why the config should no longer be set, when Kafka has deprecated it. */
  readonly deprecated?: string;
  readonly doc: string;
}

const LONG_MAX = '9223372036854775807';
const THROTTLED_REPLICAS = /^(\*|\d+:\d+)$/;

export const TOPIC_CONFIGS: readonly TopicConfigDefinition[] = [
  {
    name: 'cleanup.policy',
    type: 'list',
    default: 'delete',
    values: ['compact', 'delete'],
    serverDefault: 'log.cleanup.policy',
    doc: 'Retention policy for old segments: delete, compact, or both.',
  },
  {
    name: 'compression.gzip.level',
    type: 'int',
    default: '-1',
    min: 1,
    max: 9,
    alsoAllowed: [-1],
    serverDefault: 'compression.gzip.level',
    doc: 'Compression level when compression.type is gzip (-1 = codec default).',
  },
  {
    name: 'compression.lz4.level',
    type: 'int',
    default: '9',
    min: 1,
    max: 17,
    serverDefault: 'compression.lz4.level',
    doc: 'Compression level when compression.type is lz4.',
  },
  {
    name: 'compression.type',
    type: 'string',
    default: 'producer',
    values: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'],
    serverDefault: 'compression.type',
    doc: 'Final compression codec of the topic; "producer" keeps whatever the producer used.',
  },
  {
    name: 'compression.zstd.level',
    type: 'int',
    default: '3',
    min: -131072,
    max: 22,
    serverDefault: 'compression.zstd.level',
    doc: 'Compression level when compression.type is zstd.',
  },
  {
    name: 'delete.retention.ms',
    type: 'long',
    default: '86400000',
    min: 0,
    serverDefault: 'log.cleaner.delete.retention.ms',
    doc: 'How long tombstones are kept on compacted topics.',
  },
  {
    name: 'file.delete.delay.ms',
    type: 'long',
    default: '60000',
    min: 0,
    serverDefault: 'log.segment.delete.delay.ms',
    doc: 'Wait before a deleted segment file is removed from disk.',
  },
  {
    name: 'flush.messages',
    type: 'long',
    default: LONG_MAX,
    min: 1,
    serverDefault: 'log.flush.interval.messages',
    doc: 'Force an fsync after this many messages (replication is the usual durability).',
  },
  {
    name: 'flush.ms',
    type: 'long',
    default: LONG_MAX,
    min: 0,
    serverDefault: 'log.flush.interval.ms',
    doc: 'Force an fsync after this much time.',
  },
  {
    name: 'follower.replication.throttled.replicas',
    type: 'list',
    default: '',
    itemPattern: THROTTLED_REPLICAS,
    itemDescription: 'partition:broker pairs such as 0:101, or *',
    doc: 'Replicas whose follower-side replication is throttled.',
  },
  {
    name: 'index.interval.bytes',
    type: 'int',
    default: '4096',
    min: 0,
    serverDefault: 'log.index.interval.bytes',
    doc: 'How often an entry is added to the offset index.',
  },
  {
    name: 'leader.replication.throttled.replicas',
    type: 'list',
    default: '',
    itemPattern: THROTTLED_REPLICAS,
    itemDescription: 'partition:broker pairs such as 0:101, or *',
    doc: 'Replicas whose leader-side replication is throttled.',
  },
  {
    name: 'local.retention.bytes',
    type: 'long',
    default: '-2',
    min: -2,
    serverDefault: 'log.local.retention.bytes',
    doc: 'Local size limit when tiered storage is on (-2 = use retention.bytes).',
  },
  {
    name: 'local.retention.ms',
    type: 'long',
    default: '-2',
    min: -2,
    serverDefault: 'log.local.retention.ms',
    doc: 'Local retention when tiered storage is on (-2 = use retention.ms).',
  },
  {
    name: 'max.compaction.lag.ms',
    type: 'long',
    default: LONG_MAX,
    min: 1,
    serverDefault: 'log.cleaner.max.compaction.lag.ms',
    doc: 'Longest a message stays ineligible for compaction.',
  },
  {
    name: 'max.message.bytes',
    type: 'int',
    default: '1048588',
    min: 0,
    serverDefault: 'message.max.bytes',
    doc: 'Largest record batch the topic accepts.',
  },
  {
    name: 'message.downconversion.enable',
    type: 'boolean',
    default: 'true',
    serverDefault: 'log.message.downconversion.enable',
    deprecated: 'deprecated since Kafka 3.0 and removed in 4.0',
    doc: 'Whether the broker down-converts messages for old consumers.',
  },
  {
    name: 'message.format.version',
    type: 'string',
    default: '3.0-IV1',
    serverDefault: 'log.message.format.version',
    deprecated: 'deprecated since Kafka 3.0 and ignored by 3.0+ brokers',
    doc: 'On-disk message format version.',
  },
  {
    name: 'message.timestamp.after.max.ms',
    type: 'long',
    default: LONG_MAX,
    min: 0,
    serverDefault: 'log.message.timestamp.after.max.ms',
    doc: 'How far in the future a CreateTime timestamp may be.',
  },
  {
    name: 'message.timestamp.before.max.ms',
    type: 'long',
    default: LONG_MAX,
    min: 0,
    serverDefault: 'log.message.timestamp.before.max.ms',
    doc: 'How far in the past a CreateTime timestamp may be.',
  },
  {
    name: 'message.timestamp.difference.max.ms',
    type: 'long',
    default: LONG_MAX,
    min: 0,
    serverDefault: 'log.message.timestamp.difference.max.ms',
    deprecated: 'deprecated since Kafka 3.6: use message.timestamp.before.max.ms and message.timestamp.after.max.ms',
    doc: 'Largest allowed gap between a CreateTime timestamp and the broker clock.',
  },
  {
    name: 'message.timestamp.type',
    type: 'string',
    default: 'CreateTime',
    values: ['CreateTime', 'LogAppendTime'],
    serverDefault: 'log.message.timestamp.type',
    doc: 'Whether record timestamps are the producer\'s (CreateTime) or the broker\'s (LogAppendTime).',
  },
  {
    name: 'min.cleanable.dirty.ratio',
    type: 'double',
    default: '0.5',
    min: 0,
    max: 1,
    serverDefault: 'log.cleaner.min.cleanable.ratio',
    doc: 'Share of uncompacted log that triggers compaction.',
  },
  {
    name: 'min.compaction.lag.ms',
    type: 'long',
    default: '0',
    min: 0,
    serverDefault: 'log.cleaner.min.compaction.lag.ms',
    doc: 'Shortest time a message stays uncompacted.',
  },
  {
    name: 'min.insync.replicas',
    type: 'int',
    default: '1',
    min: 1,
    serverDefault: 'min.insync.replicas',
    doc: 'Replicas that must acknowledge an acks=all write.',
  },
  {
    name: 'preallocate',
    type: 'boolean',
    default: 'false',
    serverDefault: 'log.preallocate',
    doc: 'Preallocate segment files on disk.',
  },
  {
    name: 'remote.log.copy.disable',
    type: 'boolean',
    default: 'false',
    doc: 'Stop copying segments to tiered storage while keeping what is there.',
  },
  {
    name: 'remote.log.delete.on.disable',
    type: 'boolean',
    default: 'false',
    doc: 'Delete tiered data when remote storage is turned off for the topic.',
  },
  {
    name: 'remote.storage.enable',
    type: 'boolean',
    default: 'false',
    doc: 'Turn on tiered storage for the topic.',
  },
  {
    name: 'retention.bytes',
    type: 'long',
    default: '-1',
    serverDefault: 'log.retention.bytes',
    doc: 'Size limit per partition before old segments are deleted (-1 = no limit).',
  },
  {
    name: 'retention.ms',
    type: 'long',
    default: '604800000',
    min: -1,
    serverDefault: 'log.retention.ms',
    doc: 'How long messages are kept (-1 = forever).',
  },
  {
    name: 'segment.bytes',
    type: 'int',
    default: '1073741824',
    min: 14,
    serverDefault: 'log.segment.bytes',
    doc: 'Segment file size.',
  },
  {
    name: 'segment.index.bytes',
    type: 'int',
    default: '10485760',
    min: 4,
    serverDefault: 'log.index.size.max.bytes',
    doc: 'Size of the offset index of each segment.',
  },
  {
    name: 'segment.jitter.ms',
    type: 'long',
    default: '0',
    min: 0,
    serverDefault: 'log.roll.jitter.ms',
    doc: 'Random jitter subtracted from segment.ms to spread segment rolls.',
  },
  {
    name: 'segment.ms',
    type: 'long',
    default: '604800000',
    min: 1,
    serverDefault: 'log.roll.ms',
    doc: 'Roll a new segment after this long even if it is not full.',
  },
  {
    name: 'unclean.leader.election.enable',
    type: 'boolean',
    default: 'false',
    serverDefault: 'unclean.leader.election.enable',
    doc: 'Allow an out-of-sync replica to become leader (may lose data).',
  },
];

const BY_NAME: ReadonlyMap<string, TopicConfigDefinition> = new Map(TOPIC_CONFIGS.map((c) => [c.name, c]));

export const TOPIC_CONFIG_NAMES: readonly string[] = TOPIC_CONFIGS.map((c) => c.name);

export function topicConfig(name: string): TopicConfigDefinition | undefined {
  return BY_NAME.get(name);
}

/** A broker property someone may put in a topic's configs, and what to write instead. */
export type BrokerOnlyConfig =
  | { kind: 'topic-config'; broker: string; topicConfig: string; unit?: 'm' | 'h' }
  | { kind: 'file-key'; broker: string; fileKey: 'partitions' | 'replicationFactor' };

const BROKER_ONLY: ReadonlyMap<string, BrokerOnlyConfig> = new Map<string, BrokerOnlyConfig>([
  ...TOPIC_CONFIGS.filter((c) => c.serverDefault !== undefined && c.serverDefault !== c.name).map(
    (c): [string, BrokerOnlyConfig] => [
      c.serverDefault ?? c.name,
      { kind: 'topic-config', broker: c.serverDefault ?? c.name, topicConfig: c.name },
    ],
  ),
  // Broker settings in coarser units that feed the same topic configs.
  ...(
    [
      ['log.retention.minutes', 'retention.ms', 'm'],
      ['log.retention.hours', 'retention.ms', 'h'],
      ['log.roll.hours', 'segment.ms', 'h'],
      ['log.roll.jitter.hours', 'segment.jitter.ms', 'h'],
    ] as const
  ).map(([broker, config, unit]): [string, BrokerOnlyConfig] => [
    broker,
    { kind: 'topic-config', broker, topicConfig: config, unit },
  ]),
  ['num.partitions', { kind: 'file-key', broker: 'num.partitions', fileKey: 'partitions' }],
  ['default.replication.factor', { kind: 'file-key', broker: 'default.replication.factor', fileKey: 'replicationFactor' }],
]);

export function brokerOnlyConfig(name: string): BrokerOnlyConfig | undefined {
  return BROKER_ONLY.get(name);
}

/** The unit family a config accepts, by Kafka's naming convention. */
export function configUnit(definition: TopicConfigDefinition): 'duration' | 'size' | undefined {
  if (definition.type !== 'long' && definition.type !== 'int') return undefined;
  if (definition.name.endsWith('.ms')) return 'duration';
  if (definition.name.endsWith('.bytes')) return 'size';
  return undefined;
}
