/**
 * Replica reassignments (KIP-455): AlterPartitionReassignments (API key 45) and
 * ListPartitionReassignments (46), version 0 of each, flexible. KafkaJS has both but cannot
 * cancel (a null replica list) and folds per-partition errors into one; iotmsg encodes them
 * itself. A body starts with request header v2's tagged fields, a response with header v1's. Pure.
 */
import { compactArray, compactString, int32Bytes, NO_TAGGED_FIELDS, Reader } from '../protocol/bytes.js';

export const ALTER_REASSIGNMENTS_KEY = 45;
export const LIST_REASSIGNMENTS_KEY = 46;
export const REASSIGNMENTS_VERSION = 0;

/** The replicas a partition should have; null cancels the reassignment in flight. */
export interface PartitionTarget {
  partition: number;
  replicas: readonly number[] | null;
}

export interface TopicTargets {
  topic: string;
  partitions: readonly PartitionTarget[];
}

export interface PartitionResult {
  topic: string;
  partition: number;
  errorCode: number;
  errorMessage: string | undefined;
}

/** A partition moving: `replicas` holds old and new replicas until the move is done. */
export interface OngoingReassignment {
  topic: string;
  partition: number;
  replicas: number[];
  adding: number[];
  removing: number[];
}

export interface TopLevelError {
  errorCode: number;
  errorMessage: string | undefined;
}

function int32Array(values: readonly number[] | null): Buffer {
  return compactArray(values === null ? null : values.map(int32Bytes));
}

export function encodeAlterReassignmentsRequest(topics: readonly TopicTargets[], timeoutMs: number): Buffer {
  const encodedTopics = topics.map((t) =>
    Buffer.concat([compactString(t.topic), compactArray(t.partitions.map((p) => Buffer.concat([int32Bytes(p.partition), int32Array(p.replicas), NO_TAGGED_FIELDS]))), NO_TAGGED_FIELDS]),
  );
  return Buffer.concat([NO_TAGGED_FIELDS, int32Bytes(timeoutMs), compactArray(encodedTopics), NO_TAGGED_FIELDS]);
}

export function decodeAlterReassignmentsResponse(response: Buffer): TopLevelError & { partitions: PartitionResult[] } {
  const r = new Reader(response);
  r.taggedFields(); // response header v1
  r.int32(); // throttle time
  const errorCode = r.int16();
  const errorMessage = r.compactString();
  const partitions = r
    .compactArray(() => {
      const topic = r.compactString() ?? '';
      const results = r.compactArray(() => {
        const partition = r.int32();
        const code = r.int16();
        const message = r.compactString();
        r.taggedFields();
        return { topic, partition, errorCode: code, errorMessage: message };
      });
      r.taggedFields();
      return results;
    })
    .flat();
  r.taggedFields();
  return { errorCode, errorMessage, partitions };
}

/** Every reassignment in flight when `topics` is null, else those of the partitions named. */
export function encodeListReassignmentsRequest(topics: readonly { topic: string; partitions: readonly number[] }[] | null, timeoutMs: number): Buffer {
  const encodedTopics = topics === null ? null : topics.map((t) => Buffer.concat([compactString(t.topic), int32Array(t.partitions), NO_TAGGED_FIELDS]));
  return Buffer.concat([NO_TAGGED_FIELDS, int32Bytes(timeoutMs), compactArray(encodedTopics), NO_TAGGED_FIELDS]);
}

export function decodeListReassignmentsResponse(response: Buffer): TopLevelError & { ongoing: OngoingReassignment[] } {
  const r = new Reader(response);
  r.taggedFields(); // response header v1
  r.int32(); // throttle time
  const errorCode = r.int16();
  const errorMessage = r.compactString();
  const replicaList = (): number[] => r.compactArray(() => r.int32());
  const ongoing = r
    .compactArray(() => {
      const topic = r.compactString() ?? '';
      const partitions = r.compactArray(() => {
        const partition = r.int32();
        const replicas = replicaList();
        const adding = replicaList();
        const removing = replicaList();
        r.taggedFields();
        return { topic, partition, replicas, adding, removing };
      });
      r.taggedFields();
      return partitions;
    })
    .flat();
  r.taggedFields();
  return { errorCode, errorMessage, ongoing };
}
