import { describe, expect, it } from 'vitest';
import { offsetClampNotes, planOffsetReset, resolvePosition } from './positions.js';

const bounds = { partition: 0, low: 100, high: 250 };

describe('resolvePosition', () => {
  it('resolves earliest and latest to the log bounds', () => {
    expect(resolvePosition({ kind: 'earliest' }, bounds)).toBe(100);
    expect(resolvePosition({ kind: 'latest' }, bounds)).toBe(250);
  });

  it('clamps absolute offsets into the log and counts negative ones back from the end', () => {
    expect(resolvePosition({ kind: 'offset', offset: 120 }, bounds)).toBe(120);
    expect(resolvePosition({ kind: 'offset', offset: 5 }, bounds)).toBe(100);
    expect(resolvePosition({ kind: 'offset', offset: 999 }, bounds)).toBe(250);
    expect(resolvePosition({ kind: 'offset', offset: -10 }, bounds)).toBe(240);
    expect(resolvePosition({ kind: 'offset', offset: -1000 }, bounds)).toBe(100);
  });

  it('starts at the end of a partition with no message after the time', () => {
    const offsets = new Map([
      [0, 180],
      [1, -1],
    ]);
    expect(resolvePosition({ kind: 'timestamp', timestampMs: 1, offsets }, bounds)).toBe(180);
    expect(resolvePosition({ kind: 'timestamp', timestampMs: 1, offsets }, { partition: 1, low: 0, high: 7 })).toBe(7);
  });

  it('shifts from the committed offset, or from the end without one', () => {
    expect(resolvePosition({ kind: 'shift', by: -20 }, bounds, 200)).toBe(180);
    expect(resolvePosition({ kind: 'shift', by: 500 }, bounds, 200)).toBe(250);
    expect(resolvePosition({ kind: 'shift', by: -20 }, bounds)).toBe(230);
  });
});

describe('planOffsetReset', () => {
  it('lists every partition in order with current, target and change', () => {
    const plan = planOffsetReset(
      't',
      [
        { partition: 1, low: 0, high: 50 },
        { partition: 0, low: 0, high: 40 },
      ],
      new Map([[0, 30]]),
      { kind: 'earliest' },
    );
    expect(plan).toEqual([
      { topic: 't', partition: 0, current: 30, target: 0, change: -30 },
      { topic: 't', partition: 1, current: undefined, target: 0, change: undefined },
    ]);
  });

  it('refuses to shift partitions that have no committed offset, naming them, as Kafka\'s own tool does', () => {
    const partitions = [0, 1, 2].map((partition) => ({ partition, low: 0, high: 50 }));
    expect(() => planOffsetReset('t', partitions, new Map([[1, 30]]), { kind: 'shift', by: -5 })).toThrow(
      'cannot shift the offsets of t partition 0, 2: the group has no committed offset there',
    );
    expect(planOffsetReset('t', partitions.slice(1, 2), new Map([[1, 30]]), { kind: 'shift', by: -5 })).toEqual([
      { topic: 't', partition: 1, current: 30, target: 25, change: -5 },
    ]);
  });
});

describe('offsetClampNotes', () => {
  const bounds = [
    { partition: 0, low: 0, high: 42 },
    { partition: 1, low: 10, high: 17 },
  ];
  it('says where reading starts for an offset past the end or before the start', () => {
    expect(offsetClampNotes('--offset', 999999, bounds)).toEqual(['--offset 999999 is past the end of partition 0 (42), 1 (17): starting at the end, where the next message will be']);
    expect(offsetClampNotes('--offset', 5, bounds)).toEqual(['--offset 5 is before the oldest message of partition 1 (10): starting at the oldest message']);
    expect(offsetClampNotes('--offset', -20, bounds)).toEqual(['--offset -20 is before the oldest message of partition 1 (10): starting at the oldest message']);
    expect(offsetClampNotes('--offset', 12, bounds)).toEqual([]);
  });
});
