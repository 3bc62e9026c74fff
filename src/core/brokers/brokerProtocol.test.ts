import { describe, expect, it } from 'vitest';
import {
  decodeDescribeLogDirsResponse,
  decodeIncrementalAlterConfigsResponse,
  describeLogDirsVersion,
  encodeDescribeLogDirsRequest,
  encodeIncrementalAlterConfigsRequest,
} from './brokerProtocol.js';

const hex = (b: Buffer) => b.toString('hex');
const ascii = (text: string) => Buffer.from(text, 'ascii').toString('hex');
/** A compact string: length + 1 as a one-byte varint, then the text. */
const cs = (text: string) => (text.length + 1).toString(16).padStart(2, '0') + ascii(text);

describe('IncrementalAlterConfigs v1 (API key 44), byte by byte', () => {
  it('writes resource type, name, then each config with its operation (0 = SET with a value, 1 = DELETE with null), and validate_only', () => {
    const body = encodeIncrementalAlterConfigsRequest(
      [
        { type: 'broker', name: '1', set: { 'a.b': '7' }, delete: ['c'] },
        { type: 'topic', name: 't', set: {}, delete: [] },
      ],
      true,
    );
    expect(hex(body)).toBe(
      '00' + // request header v2 tagged fields
        '03' + // 2 resources (+1)
        ('04' + cs('1') + '03' + (cs('a.b') + '00' + cs('7') + '00') + (cs('c') + '01' + '00' + '00') + '00') +
        ('02' + cs('t') + '01' + '00') +
        '01' + // validate_only
        '00',
    );
    // The cluster-wide default of every broker is the empty name.
    expect(hex(encodeIncrementalAlterConfigsRequest([{ type: 'broker', name: '', set: {}, delete: ['x'] }], false))).toBe('00' + '02' + ('04' + '01' + '02' + (cs('x') + '01' + '00' + '00') + '00') + '00' + '00');
  });

  it('reads each resource with its error code and message', () => {
    const response = Buffer.from(
      '00' + '00000000' + '03' + ('0000' + '00' + '04' + cs('1') + '00') + ('0028' + cs('no such config') + '02' + cs('t') + '00') + '00',
      'hex',
    );
    expect(decodeIncrementalAlterConfigsResponse(response)).toEqual([
      { type: 'broker', name: '1', errorCode: 0, errorMessage: undefined },
      { type: 'topic', name: 't', errorCode: 40, errorMessage: 'no such config' },
    ]);
  });
});

describe('DescribeLogDirs v2-v4 (API key 35), byte by byte', () => {
  it('asks for every topic with a null array', () => {
    expect(hex(encodeDescribeLogDirsRequest())).toBe('00' + '00' + '00');
  });

  it('picks v4 when the broker has it, an older flexible version otherwise, none below v2', () => {
    expect(describeLogDirsVersion({ min: 1, max: 4 })).toBe(4);
    expect(describeLogDirsVersion({ min: 0, max: 5 })).toBe(4);
    expect(describeLogDirsVersion({ min: 0, max: 2 })).toBe(2);
    expect(describeLogDirsVersion({ min: 0, max: 1 })).toBeUndefined();
    expect(describeLogDirsVersion(undefined)).toBeUndefined();
  });

  const partition = (index: string, size: string, lag: string, future: string) => index + size + lag + future + '00';
  const dir =
    '0000' +
    cs('/d') +
    '02' + // 1 topic
    (cs('t') + '03' + partition('00000000', '0000000000000400', '0000000000000000', '00') + partition('00000001', '0000000000000000', '0000000000000002', '01') + '00');

  it('v4: the top-level error, each dir with its partitions (size, lag, future) and its total and usable bytes (-1 unknown)', () => {
    const response = Buffer.from('00' + '00000000' + '0000' + '03' + (dir + '0000000000002000' + '0000000000001000' + '00') + ('0039' + cs('/e') + '01' + 'ffffffffffffffff' + 'ffffffffffffffff' + '00') + '00', 'hex');
    expect(decodeDescribeLogDirsResponse(response, 4)).toEqual({
      errorCode: 0,
      logDirs: [
        {
          errorCode: 0,
          path: '/d',
          partitions: [
            { topic: 't', partition: 0, sizeBytes: 1024, offsetLag: 0, isFuture: false },
            { topic: 't', partition: 1, sizeBytes: 0, offsetLag: 2, isFuture: true },
          ],
          totalBytes: 8192,
          usableBytes: 4096,
        },
        { errorCode: 57, path: '/e', partitions: [], totalBytes: undefined, usableBytes: undefined },
      ],
    });
  });

  it('v2 has neither the top-level error nor the volume sizes', () => {
    const response = Buffer.from('00' + '00000000' + '02' + (dir + '00') + '00', 'hex');
    const decoded = decodeDescribeLogDirsResponse(response, 2);
    expect(decoded.errorCode).toBe(0);
    expect(decoded.logDirs).toHaveLength(1);
    expect(decoded.logDirs[0]).toMatchObject({ path: '/d', totalBytes: undefined, usableBytes: undefined });
    expect(decoded.logDirs[0]!.partitions.map((p) => p.sizeBytes)).toEqual([1024, 0]);
  });
});
