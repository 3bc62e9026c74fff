import { partitionLag, sortByLag } from '../messages/lag.js';

/**
 * What `dlq list` shows of each dead-letter topic: its messages, their age, and how far the
 * groups that read it are behind. The count is high watermark minus log start, as Kafka's own
 * tools count it: on a compacted or transactional topic it is an upper bound.
 */

export interface DlqSibling {
  name: string;
  /** The topic whose dead letters it holds. */
  parent: string;
}

export interface DlqPartition {
  partition: number;
  low: number;
  high: number;
  /** Timestamps of the first and last record; undefined when the partition is empty. */
  oldestMs: number | undefined;
  newestMs: number | undefined;
}

/** Committed offsets by group, then topic, then partition. */
export type GroupOffsets = ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<number, number>>>;

export interface DlqGroupLag {
  group: string;
  lag: number;
}

export interface DlqRow {
  name: string;
  parent: string;
  status: 'present' | 'missing';
  /** null for a topic missing on the cluster. */
  messages: number | null;
  partitions: number | null;
  /** ISO times of the oldest and newest record; null when there is none. */
  oldest: string | null;
  newest: string | null;
  /** The groups with committed offsets on the topic, most lag first. */
  groups: DlqGroupLag[];
}

/** One row per sibling; `logs` lacks the topics missing on the cluster. Most messages first, then by name. */
export function summarizeDlqs(siblings: readonly DlqSibling[], logs: ReadonlyMap<string, readonly DlqPartition[]>, committed: GroupOffsets): DlqRow[] {
  const rows = siblings.map((sibling): DlqRow => {
    const partitions = logs.get(sibling.name);
    if (partitions === undefined) return { ...sibling, status: 'missing', messages: null, partitions: null, oldest: null, newest: null, groups: [] };
    return {
      ...sibling,
      status: 'present',
      messages: partitions.reduce((sum, p) => sum + Math.max(0, p.high - p.low), 0),
      partitions: partitions.length,
      oldest: timeText(edge(partitions.map((p) => p.oldestMs), Math.min)),
      newest: timeText(edge(partitions.map((p) => p.newestMs), Math.max)),
      groups: groupLags(sibling.name, partitions, committed),
    };
  });
  return rows.sort((a, b) => (b.messages ?? -1) - (a.messages ?? -1) || a.name.localeCompare(b.name));
}

/** Whether any dead-letter topic holds a message (`--fail-if-not-empty`). */
export function holdsMessages(rows: readonly DlqRow[]): boolean {
  return rows.some((r) => (r.messages ?? 0) > 0);
}

function groupLags(topic: string, partitions: readonly DlqPartition[], committed: GroupOffsets): DlqGroupLag[] {
  const lags: DlqGroupLag[] = [];
  for (const [group, topics] of committed) {
    const offsets = topics.get(topic);
    if (offsets === undefined || offsets.size === 0) continue;
    // A partition the group never committed on is not lag yet, as in `groups lag`.
    lags.push({ group, lag: partitions.reduce((sum, p) => sum + (partitionLag(offsets.get(p.partition), p.high) ?? 0), 0) });
  }
  return sortByLag(lags);
}

/** Records without a timestamp carry -1. */
function edge(times: readonly (number | undefined)[], pick: (...values: number[]) => number): number | undefined {
  const known = times.filter((t): t is number => t !== undefined && t >= 0);
  return known.length === 0 ? undefined : pick(...known);
}

function timeText(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}
