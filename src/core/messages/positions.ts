/**
 * Where reading starts (`tail`) or where a group is moved to (`groups reset-offsets`),
 * resolved per partition against the log's bounds. Offsets are plain numbers: a log
 * would need to hold 2^53 messages before that loses precision.
 */
import { OperationError } from '../errors.js';

export interface PartitionBounds {
  partition: number;
  /** Log start offset: the oldest message still kept. */
  low: number;
  /** Log end offset (high watermark): where the next message will be written. */
  high: number;
}

export type Position =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  /** An absolute offset; a negative one counts back from the end, as with kcat -o -10. */
  | { kind: 'offset'; offset: number }
  /** The first message at or after a time; `offsets` is what the broker answered per partition (-1: none). */
  | { kind: 'timestamp'; timestampMs: number; offsets: ReadonlyMap<number, number> }
  /** Relative to the group's committed offset (reset-offsets --shift-by). */
  | { kind: 'shift'; by: number };

/** The offset to read from, clamped into the log: never before its start, never past its end. */
export function resolvePosition(position: Position, bounds: PartitionBounds, committed?: number): number {
  const clamp = (offset: number) => Math.min(bounds.high, Math.max(bounds.low, offset));
  switch (position.kind) {
    case 'earliest':
      return bounds.low;
    case 'latest':
      return bounds.high;
    case 'offset':
      return clamp(position.offset < 0 ? bounds.high + position.offset : position.offset);
    case 'timestamp': {
      const offset = position.offsets.get(bounds.partition);
      // No message at or after the time: start at the end, like Kafka's own tools.
      return offset === undefined || offset < 0 ? bounds.high : clamp(offset);
    }
    case 'shift':
      // planOffsetReset refuses a shift where nothing is committed; the end is only a fallback.
      return clamp((committed ?? bounds.high) + position.by);
  }
}

export interface OffsetChange {
  topic: string;
  partition: number;
  /** undefined: the group has no committed offset there. */
  current: number | undefined;
  target: number;
  /** target - current; undefined when there was no committed offset. */
  change: number | undefined;
}

/** What `groups reset-offsets` would do to each partition of a topic. */
export function planOffsetReset(
  topic: string,
  partitions: readonly PartitionBounds[],
  committed: ReadonlyMap<number, number>,
  position: Position,
): OffsetChange[] {
  if (position.kind === 'shift') {
    // As Kafka's kafka-consumer-groups: a shift needs a committed offset to shift from.
    const uncommitted = partitions.filter((b) => !committed.has(b.partition)).map((b) => b.partition).sort((a, b) => a - b);
    if (uncommitted.length > 0) {
      throw new OperationError(`cannot shift the offsets of ${topic} partition ${uncommitted.join(', ')}: the group has no committed offset there`, {
        hint: 'move them with --to-earliest, --to-latest or --to-datetime instead',
      });
    }
  }
  return [...partitions]
    .sort((a, b) => a.partition - b.partition)
    .map((bounds) => {
      const current = committed.get(bounds.partition);
      const target = resolvePosition(position, bounds, current);
      return { topic, partition: bounds.partition, current, target, change: current === undefined ? undefined : target - current };
    });
}

/**
 * What `tail --offset` could not do as asked: an offset past a partition's end or before its
 * start is clamped by resolvePosition; this says where reading starts instead.
 */
export function offsetClampNotes(flag: string, offset: number, partitions: readonly PartitionBounds[]): string[] {
  const wanted = (b: PartitionBounds) => (offset < 0 ? b.high + offset : offset);
  const past = partitions.filter((b) => wanted(b) > b.high);
  const before = partitions.filter((b) => wanted(b) < b.low);
  const list = (items: PartitionBounds[], at: (b: PartitionBounds) => number) => items.map((b) => `${b.partition} (${at(b)})`).join(', ');
  const notes: string[] = [];
  if (past.length > 0) notes.push(`${flag} ${offset} is past the end of partition ${list(past, (b) => b.high)}: starting at the end, where the next message will be`);
  if (before.length > 0) notes.push(`${flag} ${offset} is before the oldest message of partition ${list(before, (b) => b.low)}: starting at the oldest message`);
  return notes;
}
