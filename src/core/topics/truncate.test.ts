import { describe, expect, it } from 'vitest';
import { planTruncation } from './truncate.js';

describe('planTruncation', () => {
  const bounds = [
    { partition: 1, low: 5, high: 20 },
    { partition: 0, low: 0, high: 10 },
    { partition: 2, low: 7, high: 7 },
  ];

  it('deletes below the target, keeps partitions already past it out, and stops at the end', () => {
    expect(planTruncation(bounds, new Map([[0, 4], [1, 3], [2, 9]]))).toEqual([{ partition: 0, low: 0, newLow: 4, deleted: 4 }]);
    expect(planTruncation(bounds, new Map([[0, 50], [1, 50], [2, 50]]))).toEqual([
      { partition: 0, low: 0, newLow: 10, deleted: 10 },
      { partition: 1, low: 5, newLow: 20, deleted: 15 },
    ]);
  });

  it('leaves a partition without a target alone', () => {
    expect(planTruncation(bounds, new Map([[1, 6]]))).toEqual([{ partition: 1, low: 5, newLow: 6, deleted: 1 }]);
  });
});
