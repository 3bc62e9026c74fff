/**
 * IncrementalAlterConfigs (API key 44, KIP-339) and DescribeLogDirs (35, KIP-113), which
 * KafkaJS does not have. Only flexible versions are spoken (IncrementalAlterConfigs v1,
 * DescribeLogDirs v2-v4): a body starts with request header v2's tagged fields and a
 * response with header v1's. Pure; the wire layer (adapters/kafka/wire.ts) carries them.
 */
import { compactArray, compactNullableString, compactString, int8Bytes, NO_TAGGED_FIELDS, Reader } from '../protocol/bytes.js';

export const INCREMENTAL_ALTER_CONFIGS_KEY = 44;
/** v1 is the first flexible version; Kafka 2.3 and later take it. */
export const INCREMENTAL_ALTER_CONFIGS_VERSION = 1;

export const DESCRIBE_LOG_DIRS_KEY = 35;
/** v2 is the first flexible version, v3 adds a top-level error code, v4 (Kafka 3.3+) total and usable bytes. */
export const DESCRIBE_LOG_DIRS_VERSIONS = { min: 2, max: 4 } as const;

/** The protocol's ConfigResource types this module writes. */
export const CONFIG_RESOURCE_TYPES = { topic: 2, broker: 4 } as const;
export type ConfigResourceType = keyof typeof CONFIG_RESOURCE_TYPES;

/** IncrementalAlterConfigs operations; APPEND (2) and SUBTRACT (3) are not used. */
const OPERATIONS = { set: 0, delete: 1 } as const;

export interface ConfigAlteration {
  type: ConfigResourceType;
  /** A topic name, a broker id, or "" for every broker's cluster-wide default. */
  name: string;
  set: Readonly<Record<string, string>>;
  delete: readonly string[];
}

export interface ConfigAlterationResult {
  type: ConfigResourceType | 'unknown';
  name: string;
  errorCode: number;
  errorMessage: string | undefined;
}

export function encodeIncrementalAlterConfigsRequest(resources: readonly ConfigAlteration[], validateOnly: boolean): Buffer {
  const entry = (name: string, operation: number, value: string | null): Buffer => Buffer.concat([compactString(name), int8Bytes(operation), compactNullableString(value), NO_TAGGED_FIELDS]);
  const encoded = resources.map((resource) => {
    const configs = [...Object.entries(resource.set).map(([name, value]) => entry(name, OPERATIONS.set, value)), ...resource.delete.map((name) => entry(name, OPERATIONS.delete, null))];
    return Buffer.concat([int8Bytes(CONFIG_RESOURCE_TYPES[resource.type]), compactString(resource.name), compactArray(configs), NO_TAGGED_FIELDS]);
  });
  return Buffer.concat([NO_TAGGED_FIELDS, compactArray(encoded), int8Bytes(validateOnly ? 1 : 0), NO_TAGGED_FIELDS]);
}

function resourceTypeOf(code: number): ConfigResourceType | 'unknown' {
  return (Object.keys(CONFIG_RESOURCE_TYPES) as ConfigResourceType[]).find((type) => CONFIG_RESOURCE_TYPES[type] === code) ?? 'unknown';
}

export function decodeIncrementalAlterConfigsResponse(response: Buffer): ConfigAlterationResult[] {
  const r = new Reader(response);
  r.taggedFields(); // response header v1
  r.int32(); // throttle time
  const results = r.compactArray(() => {
    const errorCode = r.int16();
    const errorMessage = r.compactString();
    const type = resourceTypeOf(r.int8());
    const name = r.compactString() ?? '';
    r.taggedFields();
    return { type, name, errorCode, errorMessage };
  });
  r.taggedFields();
  return results;
}

export interface LogDirPartition {
  topic: string;
  partition: number;
  sizeBytes: number;
  offsetLag: number;
  /** A replica being moved to this directory (kafka-reassign-partitions between dirs). */
  isFuture: boolean;
}

export interface LogDirDescription {
  errorCode: number;
  path: string;
  partitions: LogDirPartition[];
  /** The volume's size and free space; undefined before v4 or when the broker cannot tell (-1). */
  totalBytes: number | undefined;
  usableBytes: number | undefined;
}

export interface LogDirsResponse {
  /** v3+; 0 before. */
  errorCode: number;
  logDirs: LogDirDescription[];
}

/** The newest version both sides know, or undefined when the broker has no flexible one. */
export function describeLogDirsVersion(range: { min: number; max: number } | undefined): number | undefined {
  if (!range || range.min > DESCRIBE_LOG_DIRS_VERSIONS.max || range.max < DESCRIBE_LOG_DIRS_VERSIONS.min) return undefined;
  return Math.min(range.max, DESCRIBE_LOG_DIRS_VERSIONS.max);
}

/** Every log dir with every partition: a null topic array. */
export function encodeDescribeLogDirsRequest(): Buffer {
  return Buffer.concat([NO_TAGGED_FIELDS, compactArray(null), NO_TAGGED_FIELDS]);
}

/** Unknown sizes are -1 on the wire. */
function known(bytes: number): number | undefined {
  return bytes < 0 ? undefined : bytes;
}

export function decodeDescribeLogDirsResponse(response: Buffer, version: number): LogDirsResponse {
  const r = new Reader(response);
  r.taggedFields(); // response header v1
  r.int32(); // throttle time
  const errorCode = version >= 3 ? r.int16() : 0;
  const logDirs = r.compactArray(() => {
    const dirError = r.int16();
    const path = r.compactString() ?? '';
    const partitions = r.compactArray(() => {
      const topic = r.compactString() ?? '';
      const inTopic = r.compactArray(() => {
        const partition = r.int32();
        const sizeBytes = r.int64();
        const offsetLag = r.int64();
        const isFuture = r.int8() !== 0;
        r.taggedFields();
        return { topic, partition, sizeBytes, offsetLag, isFuture };
      });
      r.taggedFields();
      return inTopic;
    });
    const totalBytes = version >= 4 ? known(r.int64()) : undefined;
    const usableBytes = version >= 4 ? known(r.int64()) : undefined;
    r.taggedFields();
    return { errorCode: dirError, path, partitions: partitions.flat(), totalBytes, usableBytes };
  });
  r.taggedFields();
  return { errorCode, logDirs };
}
