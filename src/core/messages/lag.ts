/** Consumer lag as Kafka's own tools count it: log end offset minus committed offset. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** undefined: the group has committed nothing there. */
  committed: number | undefined;
  logStart: number;
  logEnd: number;
  /** undefined without a committed offset: the group has not started on the partition. */
  lag: number | undefined;
  /** The member that owns the partition, when the group is running. */
  owner?: string;
}

export function partitionLag(committed: number | undefined, logEnd: number): number | undefined {
  return committed === undefined ? undefined : Math.max(0, logEnd - committed);
}

export function totalLag(partitions: readonly PartitionLag[]): number {
  return partitions.reduce((sum, p) => sum + (p.lag ?? 0), 0);
}

export interface GroupLagSummary {
  group: string;
  state: string;
  members: number;
  topics: string[];
  partitions: number;
  lag: number;
}

/** Most lag first; ties by name so the order is stable. */
export function sortByLag<T extends { group: string; lag: number }>(groups: readonly T[]): T[] {
  return [...groups].sort((a, b) => b.lag - a.lag || a.group.localeCompare(b.group));
}
