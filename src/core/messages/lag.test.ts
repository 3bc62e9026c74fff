import { describe, expect, it } from 'vitest';
import { partitionLag, sortByLag, totalLag, type PartitionLag } from './lag.js';

describe('lag', () => {
  it('is log end minus committed, never negative, unknown without a commit', () => {
    expect(partitionLag(40, 100)).toBe(60);
    expect(partitionLag(100, 100)).toBe(0);
    expect(partitionLag(120, 100)).toBe(0);
    expect(partitionLag(undefined, 100)).toBeUndefined();
  });

  it('totals the known lags', () => {
    const rows: PartitionLag[] = [
      { topic: 't', partition: 0, committed: 5, logStart: 0, logEnd: 10, lag: 5 },
      { topic: 't', partition: 1, committed: undefined, logStart: 0, logEnd: 10, lag: undefined },
      { topic: 't', partition: 2, committed: 1, logStart: 0, logEnd: 4, lag: 3 },
    ];
    expect(totalLag(rows)).toBe(8);
  });

  it('sorts groups by lag, most first, then by name', () => {
    const sorted = sortByLag([
      { group: 'b', lag: 5 },
      { group: 'a', lag: 5 },
      { group: 'c', lag: 50 },
      { group: 'd', lag: 0 },
    ]);
    expect(sorted.map((g) => g.group)).toEqual(['c', 'a', 'b', 'd']);
  });
});
