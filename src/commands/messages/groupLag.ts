import type { KafkaSession } from '../../adapters/kafka/session.js';
import type { ConsumerGroup, ConsumerGroups } from '../../adapters/kafka/groups.js';
import { partitionLag, type PartitionBounds, type PartitionLag } from '../../core/messages/index.js';

/** Log offsets per topic, read once per command however many groups consume the topic. */
export type BoundsReader = (topic: string) => Promise<PartitionBounds[]>;

export async function boundsReader(session: KafkaSession): Promise<BoundsReader> {
  const { topicBounds } = await import('../../adapters/kafka/consumer.js');
  const cache = new Map<string, Promise<PartitionBounds[]>>();
  return (topic) => {
    let bounds = cache.get(topic);
    if (!bounds) cache.set(topic, (bounds = topicBounds(session, topic)));
    return bounds;
  };
}

/** Every partition of every topic the group has committed to or is assigned: offsets, log end, lag and owner. */
export async function groupPartitions(groups: ConsumerGroups, group: ConsumerGroup, bounds: BoundsReader): Promise<PartitionLag[]> {
  const committed = await groups.committed(group.group);
  const owners = new Map<string, string>();
  for (const member of group.members) {
    for (const { topic, partitions } of member.assignments) for (const p of partitions) owners.set(`${topic}:${p}`, member.clientId || member.memberId);
  }
  const topics = [...new Set([...committed.keys(), ...group.members.flatMap((m) => m.assignments.map((a) => a.topic))])].sort();
  const rows: PartitionLag[] = [];
  for (const topic of topics) {
    for (const b of await bounds(topic)) {
      const offset = committed.get(topic)?.get(b.partition);
      const owner = owners.get(`${topic}:${b.partition}`);
      rows.push({ topic, partition: b.partition, committed: offset, logStart: b.low, logEnd: b.high, lag: partitionLag(offset, b.high), ...(owner ? { owner } : {}) });
    }
  }
  return rows;
}
