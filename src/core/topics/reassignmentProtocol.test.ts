import { describe, expect, it } from 'vitest';
import {
  decodeAlterReassignmentsResponse,
  decodeListReassignmentsResponse,
  encodeAlterReassignmentsRequest,
  encodeListReassignmentsRequest,
} from './reassignmentProtocol.js';

// Bytes written out by hand from AlterPartitionReassignments{Request,Response}.json and
// ListPartitionReassignments{Request,Response}.json (version 0, flexible): compact lengths are N + 1.
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('AlterPartitionReassignments v0', () => {
  it('encodes a new replica list and a cancel (null replicas)', () => {
    const body = encodeAlterReassignmentsRequest(
      [{ topic: 'ab', partitions: [{ partition: 1, replicas: [3, 1] }, { partition: 2, replicas: null }] }],
      30_000,
    );
    expect(body).toEqual(
      hex(`00
           00007530
           02 03 6162
              03 00000001 03 00000003 00000001 00
                 00000002 00 00
              00
           00`),
    );
  });

  it('decodes the error of each partition', () => {
    const response = hex(`00 00000000 0000 00
      02 02 61
         03 00000000 0000 00 00
            00000001 0055 05 6e6f7065 00
         00
      00`);
    expect(decodeAlterReassignmentsResponse(response)).toEqual({
      errorCode: 0,
      errorMessage: undefined,
      partitions: [
        { topic: 'a', partition: 0, errorCode: 0, errorMessage: undefined },
        { topic: 'a', partition: 1, errorCode: 85, errorMessage: 'nope' },
      ],
    });
  });
});

describe('ListPartitionReassignments v0', () => {
  it('asks for every reassignment with a null topic list, or for named partitions', () => {
    expect(encodeListReassignmentsRequest(null, 1000)).toEqual(hex('00 000003e8 00 00'));
    expect(encodeListReassignmentsRequest([{ topic: 'a', partitions: [0, 4] }], 1000)).toEqual(hex('00 000003e8 02 02 61 03 00000000 00000004 00 00'));
  });

  it('decodes the replicas, adding and removing of each partition in flight', () => {
    const response = hex(`00 00000000 0000 00
      02 02 61
         02 00000003 04 00000001 00000002 00000003 02 00000003 02 00000001 00
         00
      00`);
    expect(decodeListReassignmentsResponse(response)).toEqual({
      errorCode: 0,
      errorMessage: undefined,
      ongoing: [{ topic: 'a', partition: 3, replicas: [1, 2, 3], adding: [3], removing: [1] }],
    });
  });

  it('fails on a short answer instead of reading past it', () => {
    expect(() => decodeListReassignmentsResponse(hex('00 00000000 00'))).toThrow(/response ends/);
  });
});
