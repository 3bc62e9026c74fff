/**
 * What `topics truncate` deletes: per partition, the records below a new log start offset
 * (DeleteRecords). A target below the current start deletes nothing; above the end, the end. Pure.
 */
import type { PartitionBounds } from '../messages/positions.js';

export interface Truncation {
  partition: number;
  /** The oldest offset kept now. */
  low: number;
  /** The oldest offset kept after. */
  newLow: number;
  deleted: number;
}

/** Only the partitions that lose records, in partition order. */
export function planTruncation(bounds: readonly PartitionBounds[], before: ReadonlyMap<number, number>): Truncation[] {
  return [...bounds]
    .sort((a, b) => a.partition - b.partition)
    .map((b) => {
      const target = before.get(b.partition) ?? b.low;
      const newLow = Math.min(Math.max(target, b.low), b.high);
      return { partition: b.partition, low: b.low, newLow, deleted: newLow - b.low };
    })
    .filter((t) => t.deleted > 0);
}
