/**
 * DescribeQuorum (API key 55, KIP-595), which KafkaJS does not have: a broker forwards it to
 * the active controller. Pure encoding and decoding; the wire layer (adapters/kafka/wire.ts)
 * carries it over KafkaJS's connections, after KafkaJS's request header.
 */
import { compactString, NO_TAGGED_FIELDS, Reader, unsignedVarint } from '../protocol/bytes.js';

export const DESCRIBE_QUORUM_KEY = 55;
/** Versions of DescribeQuorum this decoder reads (v1 adds fetch timestamps, v2 node endpoints). */
export const DESCRIBE_QUORUM_VERSIONS = { min: 0, max: 2 } as const;
const METADATA_TOPIC = '__cluster_metadata';

export interface ApiVersionRange {
  min: number;
  max: number;
}

export interface QuorumReplica {
  replicaId: number;
  logEndOffset: number;
  /** Leader wall-clock time of the follower's last fetch; -1 when unknown or for the leader (v1+). */
  lastFetchTimestamp: number;
  /** Leader wall-clock time of the offset the follower last caught up to; the leader's own is "now" (v1+). */
  lastCaughtUpTimestamp: number;
}

export interface QuorumDescription {
  errorCode: number;
  errorMessage: string | undefined;
  /** -1 when the quorum has no leader. */
  leaderId: number;
  leaderEpoch: number;
  highWatermark: number;
  voters: QuorumReplica[];
  observers: QuorumReplica[];
}

/**
 * DescribeQuorum for the metadata log's only partition. It is flexible in every version: the
 * body starts with request header v2's tagged fields, which follow the client id.
 */
export function encodeDescribeQuorumRequest(): Buffer {
  const partition = Buffer.concat([Buffer.alloc(4), NO_TAGGED_FIELDS]);
  const topic = Buffer.concat([compactString(METADATA_TOPIC), unsignedVarint(2), partition, NO_TAGGED_FIELDS]);
  return Buffer.concat([NO_TAGGED_FIELDS, unsignedVarint(2), topic, NO_TAGGED_FIELDS]);
}

/** The newest DescribeQuorum version both sides know, or undefined when the broker has none (ZooKeeper mode). */
export function describeQuorumVersion(range: ApiVersionRange | undefined): number | undefined {
  if (!range || range.min > DESCRIBE_QUORUM_VERSIONS.max) return undefined;
  return Math.min(range.max, DESCRIBE_QUORUM_VERSIONS.max);
}

function readReplica(r: Reader, version: number): QuorumReplica {
  const replicaId = r.int32();
  if (version >= 2) r.skip(16); // ReplicaDirectoryId (uuid)
  const logEndOffset = r.int64();
  const lastFetchTimestamp = version >= 1 ? r.int64() : -1;
  const lastCaughtUpTimestamp = version >= 1 ? r.int64() : -1;
  r.taggedFields();
  return { replicaId, logEndOffset, lastFetchTimestamp, lastCaughtUpTimestamp };
}

/** DescribeQuorum response after its correlation id (header v1's tagged fields first), for the metadata partition asked about. */
export function decodeDescribeQuorumResponse(response: Buffer, version: number): QuorumDescription {
  const r = new Reader(response);
  r.taggedFields(); // response header v1
  const topLevelError = r.int16();
  const topLevelMessage = version >= 2 ? r.compactString() : undefined;
  const partitions = r.compactArray(() => {
    r.compactString(); // topic name
    const parts = r.compactArray(() => {
      r.int32(); // partition index
      const errorCode = r.int16();
      const errorMessage = version >= 2 ? r.compactString() : undefined;
      const leaderId = r.int32();
      const leaderEpoch = r.int32();
      const highWatermark = r.int64();
      const voters = r.compactArray(() => readReplica(r, version));
      const observers = r.compactArray(() => readReplica(r, version));
      r.taggedFields();
      return { errorCode, errorMessage, leaderId, leaderEpoch, highWatermark, voters, observers };
    });
    r.taggedFields();
    return parts;
  }).flat();
  // The v2 node endpoints and the trailing tagged fields are not needed.
  const partition = partitions[0];
  if (topLevelError !== 0 || !partition) {
    return { errorCode: topLevelError, errorMessage: topLevelMessage, leaderId: -1, leaderEpoch: -1, highWatermark: -1, voters: [], observers: [] };
  }
  return partition;
}
