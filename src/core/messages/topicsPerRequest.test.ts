import { describe, expect, it } from 'vitest';
import { Reader, Writer } from '../protocol/bytes.js';
import { decodeFetchResponse, encodeFetchRequest } from './fetch.js';
import { decodeListOffsetsResponse, EARLIEST, encodeListOffsetsRequest, LATEST } from './listOffsets.js';

describe('several topics in one request', () => {
  it('ListOffsets asks about every partition of every topic and names the topic of each answer', () => {
    const body = encodeListOffsetsRequest(
      [
        { topic: 'a.dlq', queries: [{ partition: 0, timestamp: EARLIEST }, { partition: 1, timestamp: EARLIEST }] },
        { topic: 'b.dlq', queries: [{ partition: 0, timestamp: LATEST }] },
      ],
      false,
    );
    const r = new Reader(body);
    expect([r.int32(), r.int8()]).toEqual([-1, 0]);
    const topics = r.array(() => [r.string(), r.array(() => [r.int32(), r.int64()])]);
    expect(topics).toEqual([
      ['a.dlq', [[0, -2], [1, -2]]],
      ['b.dlq', [[0, -1]]],
    ]);

    const response = new Writer(Buffer.alloc(4 + 4 + 2 * (2 + 5 + 4) + 3 * 22));
    response.int32(0); // throttle
    response.int32(2);
    for (const [topic, partitions] of [['a.dlq', [[0, 3n], [1, 4n]]], ['b.dlq', [[0, 9n]]]] as const) {
      response.string(topic);
      response.int32(partitions.length);
      for (const [partition, offset] of partitions) {
        response.int32(partition);
        response.int16(0);
        response.int64(-1n);
        response.int64(offset);
      }
    }
    expect(decodeListOffsetsResponse(response.buffer.subarray(0, response.offset))).toEqual([
      { topic: 'a.dlq', partition: 0, errorCode: 0, offset: 3 },
      { topic: 'a.dlq', partition: 1, errorCode: 0, offset: 4 },
      { topic: 'b.dlq', partition: 0, errorCode: 0, offset: 9 },
    ]);
  });

  it('Fetch reads partitions of several topics and names the topic of each', () => {
    const body = encodeFetchRequest({
      topics: [
        { topic: 'a.dlq', partitions: [{ partition: 1, offset: 5, maxBytes: 100 }] },
        { topic: 'b.dlq', partitions: [{ partition: 0, offset: 7, maxBytes: 200 }] },
      ],
      maxWaitMs: 0,
      maxBytes: 1000,
      readCommitted: false,
    });
    const r = new Reader(body);
    r.skip(4 * 4 + 1 + 4 + 4);
    const topics = r.array(() => [r.string(), r.array(() => [r.int32(), r.int32(), r.int64(), r.int64(), r.int32()])]);
    expect(topics).toEqual([
      ['a.dlq', [[1, -1, 5, -1, 100]]],
      ['b.dlq', [[0, -1, 7, -1, 200]]],
    ]);
    expect([r.int32(), r.string()]).toEqual([0, '']);

    const response = new Writer(Buffer.alloc(200));
    response.int32(0); // throttle
    response.int16(0);
    response.int32(0); // session
    response.int32(2);
    for (const topic of ['a.dlq', 'b.dlq']) {
      response.string(topic);
      response.int32(1);
      response.int32(0);
      response.int16(0);
      response.int64(10n);
      response.int64(10n);
      response.int64(2n);
      response.int32(0); // aborted transactions
      response.int32(-1); // preferred read replica
      response.int32(0); // no records
    }
    const decoded = decodeFetchResponse(response.buffer.subarray(0, response.offset));
    expect(decoded.partitions.map((p) => [p.topic, p.partition, p.highWatermark, p.logStartOffset])).toEqual([
      ['a.dlq', 0, 10, 2],
      ['b.dlq', 0, 10, 2],
    ]);
  });
});
