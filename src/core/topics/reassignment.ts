/**
 * Where the replicas of a topic go when its replication factor changes: as few moves as
 * possible (existing replicas stay, the preferred leader always), new replicas on racks the
 * partition does not use yet, then on the brokers holding the fewest replicas. Pure.
 */

export interface BrokerPlacement {
  nodeId: number;
  rack: string | null;
}

/** One partition's replicas before and after; `to` keeps the order of `from` for the replicas that stay. */
export interface ReplicaMove {
  partition: number;
  from: number[];
  to: number[];
}

export type ReplicationChange = { moves: ReplicaMove[] } | { blocked: string };

/** Replicas per broker, over every partition given (the whole cluster, for balance). */
export function replicaLoad(assignments: Iterable<readonly (readonly number[])[]>): Map<number, number> {
  const load = new Map<number, number>();
  for (const partitions of assignments) for (const replicas of partitions) for (const id of replicas) load.set(id, (load.get(id) ?? 0) + 1);
  return load;
}

/** Lexicographic comparison of sort keys. */
function byKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * The moves that give every partition `replicationFactor` replicas. `load` is updated with
 * the moves, so the topics of one plan, placed one after the other, spread over the cluster.
 */
export function changeReplication(
  assignment: readonly (readonly number[])[],
  replicationFactor: number,
  brokers: readonly BrokerPlacement[],
  load: Map<number, number>,
): ReplicationChange {
  if (replicationFactor > brokers.length) {
    return { blocked: `replication factor ${replicationFactor} needs ${replicationFactor} brokers, the cluster has ${brokers.length}` };
  }
  const rackOf = new Map(brokers.map((b) => [b.nodeId, b.rack]));
  const known = new Set(brokers.map((b) => b.nodeId));
  const moves: ReplicaMove[] = [];
  assignment.forEach((current, partition) => {
    const to = [...current];
    const racks = (ids: readonly number[]): (string | null)[] => ids.map((id) => rackOf.get(id) ?? null);
    while (to.length < replicationFactor) {
      const used = new Set(racks(to).filter((r) => r !== null));
      const candidates = [...known].filter((id) => !to.includes(id));
      // A rack not used by this partition first, then the least loaded broker, then the lowest id.
      const rankForAdding = (id: number): number[] => {
        const rack = rackOf.get(id) ?? null;
        return [rack !== null && used.has(rack) ? 1 : 0, load.get(id) ?? 0, id];
      };
      const [pick] = candidates.sort((a, b) => byKeys(rankForAdding(a), rankForAdding(b)));
      to.push(pick!);
      load.set(pick!, (load.get(pick!) ?? 0) + 1);
    }
    while (to.length > replicationFactor) {
      // Never the preferred leader; first a replica on a broker that left the cluster, then one
      // sharing its rack with another replica, then the most loaded broker, then the last listed.
      const rackCount = (rack: string | null): number => racks(to).filter((r) => r !== null && r === rack).length;
      const rankForRemoving = (index: number): number[] => {
        const id = to[index]!;
        return [known.has(id) ? 0 : 1, rackCount(rackOf.get(id) ?? null) > 1 ? 1 : 0, load.get(id) ?? 0, index];
      };
      const indexes = to.map((_, i) => i).slice(1);
      const [drop] = indexes.sort((a, b) => byKeys(rankForRemoving(b), rankForRemoving(a)));
      const [removed] = to.splice(drop!, 1);
      load.set(removed!, (load.get(removed!) ?? 1) - 1);
    }
    if (to.length !== current.length || to.some((id, i) => id !== current[i])) moves.push({ partition, from: [...current], to });
  });
  return { moves };
}

/** The replication throttle of a set of moves, as kafka-reassign-partitions sets it. */
export interface ReplicationThrottle {
  /** Per topic, its throttled-replica lists ("partition:broker,..."). */
  topics: { topic: string; leaderReplicas: string; followerReplicas: string }[];
  /** Every broker a move reads from or writes to: each gets the rate. */
  brokers: number[];
}

/**
 * Leaders are throttled on the replicas a partition has now (any of them may be serving the
 * copy), followers on the replicas it gains: only the moves' traffic is slowed, not the
 * replication the partitions already had.
 */
export function replicationThrottle(moves: readonly { topic: string; partition: number; from: readonly number[]; to: readonly number[] }[]): ReplicationThrottle {
  const byTopic = new Map<string, { leader: string[]; follower: string[] }>();
  const brokers = new Set<number>();
  for (const move of moves) {
    const lists = byTopic.get(move.topic) ?? { leader: [], follower: [] };
    byTopic.set(move.topic, lists);
    for (const id of move.from) lists.leader.push(`${move.partition}:${id}`);
    for (const id of move.to.filter((id) => !move.from.includes(id))) lists.follower.push(`${move.partition}:${id}`);
    for (const id of [...move.from, ...move.to]) brokers.add(id);
  }
  return {
    topics: [...byTopic].map(([topic, lists]) => ({ topic, leaderReplicas: lists.leader.join(','), followerReplicas: lists.follower.join(',') })),
    brokers: [...brokers].sort((a, b) => a - b),
  };
}
