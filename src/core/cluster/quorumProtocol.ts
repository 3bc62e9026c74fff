/**
 * The two Kafka requests the quorum check needs and KafkaJS does not have: ApiVersions v0
 * (to learn whether the cluster runs KRaft at all) and DescribeQuorum (API key 55, KIP-595),
 * which a broker forwards to the active controller. Pure encoding and decoding, so the
 * bytes can be tested without a socket; framing is a 4-byte size before every message.
 */

export const API_VERSIONS_KEY = 18;
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

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

function int16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(value);
  return b;
}

function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
}

function unsignedVarint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** Non-flexible string: int16 length, then UTF-8 (the client id, even in flexible headers). */
function legacyString(value: string): Buffer {
  const text = Buffer.from(value, 'utf8');
  return Buffer.concat([int16(text.length), text]);
}

function compactString(value: string): Buffer {
  const text = Buffer.from(value, 'utf8');
  return Buffer.concat([unsignedVarint(text.length + 1), text]);
}

const NO_TAGGED_FIELDS = unsignedVarint(0);

/** ApiVersions v0 with request header v1; every Kafka version since 0.10 answers it. */
export function encodeApiVersionsRequest(correlationId: number, clientId: string): Buffer {
  return frame(Buffer.concat([int16(API_VERSIONS_KEY), int16(0), int32(correlationId), legacyString(clientId)]));
}

/** DescribeQuorum for the metadata log's only partition, with request header v2 (flexible). */
export function encodeDescribeQuorumRequest(version: number, correlationId: number, clientId: string): Buffer {
  const header = Buffer.concat([int16(DESCRIBE_QUORUM_KEY), int16(version), int32(correlationId), legacyString(clientId), NO_TAGGED_FIELDS]);
  const partition = Buffer.concat([int32(0), NO_TAGGED_FIELDS]);
  const topic = Buffer.concat([compactString(METADATA_TOPIC), unsignedVarint(2), partition, NO_TAGGED_FIELDS]);
  const body = Buffer.concat([unsignedVarint(2), topic, NO_TAGGED_FIELDS]);
  return frame(Buffer.concat([header, body]));
}

export class ProtocolError extends Error {}

/** Reads a response body front to back; a short or malformed buffer throws ProtocolError. */
class Reader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}

  private need(bytes: number): void {
    if (this.offset + bytes > this.buffer.length) throw new ProtocolError(`response ends after ${this.buffer.length} bytes`);
  }
  int16(): number {
    this.need(2);
    const v = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  int32(): number {
    this.need(4);
    const v = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  int64(): number {
    this.need(8);
    const v = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return Number(v);
  }
  skip(bytes: number): void {
    this.need(bytes);
    this.offset += bytes;
  }
  unsignedVarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      this.need(1);
      const byte = this.buffer[this.offset++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new ProtocolError('varint longer than 5 bytes');
  }
  /** Compact nullable string: length + 1, 0 for null. */
  compactString(): string | undefined {
    const length = this.unsignedVarint() - 1;
    if (length < 0) return undefined;
    this.need(length);
    const text = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return text;
  }
  compactArray<T>(item: () => T): T[] {
    const length = this.unsignedVarint() - 1;
    return Array.from({ length: Math.max(0, length) }, item);
  }
  taggedFields(): void {
    const count = this.unsignedVarint();
    for (let i = 0; i < count; i++) {
      this.unsignedVarint();
      this.skip(this.unsignedVarint());
    }
  }
}

/** The correlation id that starts every response, so answers can be matched to requests. */
export function correlationIdOf(response: Buffer): number {
  return new Reader(response).int32();
}

/** The supported version range of each API the broker lists (response header v0). */
export function decodeApiVersionsResponse(response: Buffer): { errorCode: number; apis: Map<number, ApiVersionRange> } {
  const r = new Reader(response);
  r.int32(); // correlation id
  const errorCode = r.int16();
  const apis = new Map<number, ApiVersionRange>();
  const count = r.int32();
  for (let i = 0; i < count; i++) {
    const key = r.int16();
    apis.set(key, { min: r.int16(), max: r.int16() });
  }
  return { errorCode, apis };
}

/** The newest DescribeQuorum version both sides know, or undefined when the broker has none (ZooKeeper mode). */
export function describeQuorumVersion(apis: ReadonlyMap<number, ApiVersionRange>): number | undefined {
  const range = apis.get(DESCRIBE_QUORUM_KEY);
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

/** DescribeQuorum response (header v1), for the metadata partition it was asked about. */
export function decodeDescribeQuorumResponse(response: Buffer, version: number): QuorumDescription {
  const r = new Reader(response);
  r.int32(); // correlation id
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
