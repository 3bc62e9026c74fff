import type { Admin, GroupDescription } from 'kafkajs';
import { OperationError } from '../../core/errors.js';
import type { AccessNeed } from './errors.js';
import type { KafkaSession } from './session.js';
import { Wire } from './wire.js';

export interface GroupMember {
  memberId: string;
  clientId: string;
  host: string;
  assignments: { topic: string; partitions: number[] }[];
}

export interface ConsumerGroup {
  group: string;
  /** Stable, Empty, PreparingRebalance, CompletingRebalance, Dead, Unknown. */
  state: string;
  protocolType: string;
  /** The assignor, e.g. "RoundRobinAssigner"; empty when the group has no members. */
  protocol: string;
  members: GroupMember[];
}

/** Committed offsets by topic, then partition. */
export type CommittedOffsets = Map<string, Map<number, number>>;

/** States in which no member holds partitions, so offsets may be changed from outside. */
const INACTIVE_STATES = new Set(['Empty', 'Dead']);

export function isActive(group: ConsumerGroup): boolean {
  return !INACTIVE_STATES.has(group.state) || group.members.length > 0;
}

/** Why `action` must wait while the group has members: the broker would refuse it anyway. */
export function activeGroupRefusal(group: ConsumerGroup, action: string): string {
  return `group "${group.group}" is ${group.state.toLowerCase()} with ${group.members.length} member(s): ${action} only while it has none`;
}

export function unknownGroup(group: string): OperationError {
  return new OperationError(`consumer group "${group}" does not exist`, { hint: 'list groups with "iotmsg groups list"' });
}

/** Consumer group operations on a session's admin connection. */
export class ConsumerGroups {
  private readonly admin: Admin;

  constructor(private readonly session: KafkaSession) {
    this.admin = session.admin;
  }

  /** The groups' ids alone: one request, for shell completion. */
  async names(): Promise<string[]> {
    const { groups } = await this.session.run('list consumer groups', () => this.admin.listGroups());
    return groups.map((g) => g.groupId).sort();
  }

  async list(): Promise<ConsumerGroup[]> {
    const { groups } = await this.session.run('list consumer groups', () => this.admin.listGroups());
    if (groups.length === 0) return [];
    const described = await this.describeMany(groups.map((g) => g.groupId));
    return described.sort((a, b) => a.group.localeCompare(b.group));
  }

  /** The group as the coordinator sees it; a group it does not know is reported Dead with no members. */
  async state(group: string): Promise<ConsumerGroup> {
    const [description] = await this.describeMany([group]);
    return description ?? { group, state: 'Dead', protocolType: '', protocol: '', members: [] };
  }

  /** Like state, but undefined when the broker knows nothing of the group: no members and no committed offsets. */
  async find(group: string): Promise<ConsumerGroup | undefined> {
    const description = await this.state(group);
    if (description.state === 'Dead' && (await this.committed(group)).size === 0) return undefined;
    return description;
  }

  async describe(group: string): Promise<ConsumerGroup> {
    const found = await this.find(group);
    if (found === undefined) throw unknownGroup(group);
    return found;
  }

  /** Deletes the groups and their committed offsets in one request; the broker refuses a group with members. */
  async delete(groups: readonly string[]): Promise<void> {
    const names = groups.join('", "');
    await this.session.run(`delete consumer group(s) "${names}"`, () => this.admin.deleteGroups([...groups]).catch((e: unknown) => this.coordinatorRefusal(groups[0]!, e)), undefined, {
      operation: 'DELETE',
      resource: `group "${names}"`,
    });
  }

  async committed(group: string, topics?: string[]): Promise<CommittedOffsets> {
    const offsets = await this.session.run(`read the committed offsets of group "${group}"`, () => this.admin.fetchOffsets({ groupId: group, topics }).catch((e: unknown) => this.coordinatorRefusal(group, e)), undefined, {
      operation: 'DESCRIBE',
      resource: `group "${group}"`,
    });
    const result: CommittedOffsets = new Map();
    for (const { topic, partitions } of offsets) {
      const byPartition = new Map<number, number>();
      // -1: nothing committed for that partition.
      for (const p of partitions) if (Number(p.offset) >= 0) byPartition.set(p.partition, Number(p.offset));
      if (byPartition.size > 0 || topics?.includes(topic)) result.set(topic, byPartition);
    }
    return result;
  }

  /** Commits offsets for the group; the broker refuses while the group has members. */
  async setOffsets(group: string, topic: string, offsets: readonly { partition: number; offset: number }[]): Promise<void> {
    await this.session.run(
      `set the offsets of group "${group}" on topic "${topic}"`,
      () => this.admin.setOffsets({ groupId: group, topic, partitions: offsets.map((o) => ({ partition: o.partition, offset: String(o.offset) })) }).catch((e: unknown) => this.coordinatorRefusal(group, e)),
      undefined,
      { operation: 'READ', resource: `group "${group}"` },
    );
  }

  /** KafkaJS words every FindCoordinator refusal as "Failed to find group coordinator": ask once more to learn why (an ACL, usually). */
  private async coordinatorRefusal(group: string, error: unknown): Promise<never> {
    if ((error as Error).name !== 'KafkaJSGroupCoordinatorNotFound') throw error;
    const wire = await Wire.open(this.session.kafka);
    try {
      await wire.findGroupCoordinator(group);
    } finally {
      await wire.close();
    }
    throw error;
  }

  private async describeMany(groupIds: string[]): Promise<ConsumerGroup[]> {
    const { AssignerProtocol } = (await import('kafkajs')).default;
    const needs: AccessNeed = { operation: 'DESCRIBE', resource: groupIds.length === 1 ? `group "${groupIds[0]}"` : 'the groups' };
    const { groups } = await this.session.run('describe consumer groups', () => this.admin.describeGroups(groupIds).catch((e: unknown) => this.coordinatorRefusal(groupIds[0]!, e)), undefined, needs);
    return groups.map((g: GroupDescription) => ({
      group: g.groupId,
      state: g.state,
      protocolType: g.protocolType,
      protocol: g.protocol,
      members: g.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost,
        assignments: g.protocolType === 'consumer' ? decodeAssignment(AssignerProtocol.MemberAssignment.decode, m.memberAssignment) : [],
      })),
    }));
  }
}

function decodeAssignment(
  decode: (buffer: Buffer) => { assignment: Record<string, number[]> } | null,
  buffer: Buffer,
): { topic: string; partitions: number[] }[] {
  try {
    const decoded = buffer.length > 0 ? decode(buffer) : null;
    return Object.entries(decoded?.assignment ?? {}).map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }));
  } catch {
    // A member of another protocol's making: its assignment is not ours to read.
    return [];
  }
}
