import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../protocol/bytes.js';
import { decodeDescribeQuorumResponse, describeQuorumVersion, encodeDescribeQuorumRequest } from './quorumProtocol.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('request encoding', () => {
  it('asks DescribeQuorum about partition 0 of __cluster_metadata, after the flexible v2 header\'s tagged fields', () => {
    const body = hex(`
      00
      02
        13 5f5f636c75737465725f6d65746164617461
        02 00000000 00
        00
      00`);
    expect(encodeDescribeQuorumRequest().toString('hex')).toBe(body.toString('hex'));
  });
});

/** Builds a DescribeQuorum response the way a Kafka 3.9 broker writes it. */
function describeQuorumResponse(version: number, leaderId: number): Buffer {
  const int16 = (v: number) => { const b = Buffer.alloc(2); b.writeInt16BE(v); return b; };
  const int32 = (v: number) => { const b = Buffer.alloc(4); b.writeInt32BE(v); return b; };
  const int64 = (v: number) => { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(v)); return b; };
  const replica = (id: number, leo: number, caughtUp: number) =>
    Buffer.concat([int32(id), version >= 2 ? Buffer.alloc(16, 0xab) : Buffer.alloc(0), int64(leo), ...(version >= 1 ? [int64(-1), int64(caughtUp)] : []), hex('00')]);
  const nullString = version >= 2 ? hex('00') : Buffer.alloc(0);
  const topic = Buffer.from('__cluster_metadata');
  return Buffer.concat([
    hex('00'), // header after the correlation id: tagged fields
    int16(0), nullString, // error code, error message
    hex('02'), Buffer.from([topic.length + 1]), topic,
    hex('02'), int32(0), int16(0), nullString, int32(leaderId), int32(5), int64(300),
    hex('04'), replica(1, 300, 1000), replica(2, 300, 990), replica(3, 250, 400),
    hex('01'), // no observers
    hex('00'), // partition tagged fields
    hex('00'), // topic tagged fields
    ...(version >= 2 ? [hex('02'), int32(1), hex('02'), hex('0b'), Buffer.from('CONTROLLER'), hex('0a'), Buffer.from('localhost'), int16(9093), hex('00'), hex('00')] : []),
    hex('00'),
  ]);
}

describe('response decoding', () => {
  it('picks the newest DescribeQuorum both sides know', () => {
    expect(describeQuorumVersion({ min: 0, max: 3 })).toBe(2);
    expect(describeQuorumVersion({ min: 0, max: 1 })).toBe(1);
    expect(describeQuorumVersion(undefined)).toBeUndefined();
  });

  it.each([0, 1, 2])('reads leader, epoch and voters from a v%i response', (version) => {
    const quorum = decodeDescribeQuorumResponse(describeQuorumResponse(version, 2), version);
    expect(quorum).toMatchObject({ errorCode: 0, leaderId: 2, leaderEpoch: 5, highWatermark: 300, observers: [] });
    expect(quorum.voters.map((v) => [v.replicaId, v.logEndOffset, v.lastCaughtUpTimestamp])).toEqual([
      [1, 300, version >= 1 ? 1000 : -1],
      [2, 300, version >= 1 ? 990 : -1],
      [3, 250, version >= 1 ? 400 : -1],
    ]);
  });

  it('rejects a truncated response instead of reading past its end', () => {
    const full = describeQuorumResponse(1, 1);
    expect(() => decodeDescribeQuorumResponse(full.subarray(0, full.length - 20), 1)).toThrow(ProtocolError);
  });
});
