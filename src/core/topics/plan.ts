/**
 * Desired topics vs the cluster, as data (terraform-style): a closed set of
 * actions, blocked ones carrying a reason and a remedy. Nothing here prints.
 */
import { normaliseConfigValue } from './configValues.js';
import type { TopicSpec } from './model.js';
import { reservedTopicReason } from './names.js';
import { changeReplication, replicaLoad, type BrokerPlacement, type ReplicaMove, type ReplicationChange } from './reassignment.js';

export type ConfigSource = 'default' | 'dynamic' | 'static' | 'other';

export interface ObservedConfig {
  value: string;
  /** Only 'dynamic' (DYNAMIC_TOPIC_CONFIG) values are topic overrides the file owns. */
  source: ConfigSource;
  isDefault: boolean;
}

export interface ObservedTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, ObservedConfig>;
  internal: boolean;
  /** Each partition's replicas, preferred leader first; for a partition moving, where it is going. */
  assignment: number[][];
  /** Partitions whose replicas are being moved (a reassignment in flight). */
  moving?: ReplicaMove[];
}

export type ConfigChange =
  /** `from` is null when the broker does not report the config at all. */
  | { op: 'set'; name: string; from: string | null; to: string }
  /** Removes a dynamic override the file no longer sets; the broker default applies again. */
  | { op: 'delete'; name: string; from: string };

interface BlockedChange {
  blocked: true;
  reason: string;
  remedy: string;
}

export type TopicChange =
  | { action: 'create'; topic: string; spec: TopicSpec }
  | { action: 'add-partitions'; topic: string; from: number; to: number }
  | { action: 'update-configs'; topic: string; configs: ConfigChange[] }
  /** Replicas moved (AlterPartitionReassignments); also a move in flight that apply waits for. */
  | { action: 'change-replication'; topic: string; from: number; to: number; moves: ReplicaMove[] }
  | ({ action: 'replication-mismatch'; topic: string; from: number; to: number } & BlockedChange)
  | ({ action: 'partition-decrease'; topic: string; from: number; to: number } & BlockedChange)
  | { action: 'delete'; topic: string; partitions: number; replicationFactor: number };

export type TopicAction = TopicChange['action'];

export interface PlanSummary {
  create: number;
  addPartitions: number;
  updateConfigs: number;
  changeReplication: number;
  delete: number;
  blocked: number;
  /** Changes the broker refused when asked to validate them. */
  rejected: number;
  unchanged: number;
  unmanaged: number;
}

/** A change the broker refused in a validate-only request: apply would fail on it. */
export interface Rejection {
  topic: string;
  action: TopicAction;
  reason: string;
}

export interface TopicPlan {
  formatVersion: 1;
  /** In desired order, deletes last. */
  changes: TopicChange[];
  /** Desired topics that already match. */
  unchanged: string[];
  /** Topics on the cluster that the file does not declare and the plan leaves alone. */
  unmanaged: string[];
  /** Filled in by withRejections once the broker has checked the changes. */
  rejections: Rejection[];
  summary: PlanSummary;
  /** False when any change is blocked or rejected: apply must refuse the plan. */
  appliable: boolean;
}

export interface PlanOptions {
  prune: boolean;
  protectedTopics: string[];
  /** The cluster's brokers, where replicas can go. */
  brokers: readonly BrokerPlacement[];
}

export function isBlocked(change: TopicChange): change is Extract<TopicChange, BlockedChange> {
  return 'blocked' in change && change.blocked;
}

export function hasChanges(plan: TopicPlan): boolean {
  return plan.changes.length > 0;
}

/** Topics no plan may touch: Kafka's, the registry's, Confluent's. */
export function isInternalTopic(topic: ObservedTopic): boolean {
  return topic.internal || reservedTopicReason(topic.name) !== undefined;
}

/** Code-point order, the same on every machine (localeCompare is not). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function observedConfig(topic: ObservedTopic, name: string): ObservedConfig | undefined {
  return Object.hasOwn(topic.configs, name) ? topic.configs[name] : undefined;
}

/**
 * Topic configs a reassignment sets while it runs and removes at the end (as
 * kafka-reassign-partitions does): a file that does not name them does not own them.
 */
const REASSIGNMENT_THROTTLES = new Set(['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas']);

function configChanges(desired: TopicSpec, observed: ObservedTopic): ConfigChange[] {
  const changes: ConfigChange[] = [];
  for (const [name, to] of Object.entries(desired.configs)) {
    const current = observedConfig(observed, name);
    if (current !== undefined && normaliseConfigValue(name, current.value) === normaliseConfigValue(name, to)) continue;
    changes.push({ op: 'set', name, from: current?.value ?? null, to });
  }
  const overrides = Object.entries(observed.configs)
    .filter(([name, config]) => config.source === 'dynamic' && !Object.hasOwn(desired.configs, name) && !REASSIGNMENT_THROTTLES.has(name))
    .sort(([a], [b]) => compareNames(a, b));
  for (const [name, config] of overrides) changes.push({ op: 'delete', name, from: config.value });
  return changes;
}

/**
 * The moves that give a topic `replicationFactor` replicas, placed by `load`, with the moves in
 * flight they do not redirect: those are waited for, not started again.
 */
export function replicaMoves(observed: ObservedTopic, replicationFactor: number, brokers: readonly BrokerPlacement[], load: Map<number, number>): ReplicationChange {
  const placed = observed.replicationFactor === replicationFactor ? { moves: [] } : changeReplication(observed.assignment, replicationFactor, brokers, load);
  if ('blocked' in placed) return placed;
  const redirected = new Set(placed.moves.map((m) => m.partition));
  const moving = (observed.moving ?? []).filter((m) => !redirected.has(m.partition));
  return { moves: [...placed.moves, ...moving].sort((a, b) => a.partition - b.partition) };
}

/** A replication-factor change (or a move in flight) as a plan change. */
function replicationChange(desired: TopicSpec, observed: ObservedTopic, brokers: readonly BrokerPlacement[], load: Map<number, number>): TopicChange | undefined {
  const topic = desired.name;
  const [from, to] = [observed.replicationFactor, desired.replicationFactor];
  if (from === to && (observed.moving ?? []).length === 0) return undefined;
  const placed = replicaMoves(observed, to, brokers, load);
  if ('blocked' in placed) {
    return { action: 'replication-mismatch', topic, from, to, blocked: true, reason: placed.blocked, remedy: `add brokers, or set replicationFactor: ${from} in the file` };
  }
  return { action: 'change-replication', topic, from, to, moves: placed.moves };
}

function topicChanges(desired: TopicSpec, observed: ObservedTopic, brokers: readonly BrokerPlacement[], load: Map<number, number>): TopicChange[] {
  const topic = desired.name;
  const changes: TopicChange[] = [];
  const replication = replicationChange(desired, observed, brokers, load);
  if (replication !== undefined) changes.push(replication);
  if (desired.partitions < observed.partitions) {
    changes.push({
      action: 'partition-decrease',
      topic,
      from: observed.partitions,
      to: desired.partitions,
      blocked: true,
      reason: `Kafka cannot reduce partitions (${observed.partitions} → ${desired.partitions})`,
      remedy: `set partitions: ${observed.partitions} in the file, or recreate the topic (losing its data)`,
    });
  } else if (desired.partitions > observed.partitions) {
    changes.push({ action: 'add-partitions', topic, from: observed.partitions, to: desired.partitions });
  }
  const configs = configChanges(desired, observed);
  if (configs.length > 0) changes.push({ action: 'update-configs', topic, configs });
  return changes;
}

export function computePlan(desired: TopicSpec[], observed: ObservedTopic[], options: PlanOptions): TopicPlan {
  const observedByName = new Map(observed.map((topic) => [topic.name, topic]));
  const desiredNames = new Set(desired.map((topic) => topic.name));
  const protectedNames = new Set(options.protectedTopics);
  const changes: TopicChange[] = [];
  const unchanged: string[] = [];
  const load = replicaLoad(observed.map((topic) => topic.assignment));
  for (const spec of desired) {
    const current = observedByName.get(spec.name);
    if (current === undefined) {
      changes.push({ action: 'create', topic: spec.name, spec });
      continue;
    }
    const topicDiff = topicChanges(spec, current, options.brokers, load);
    if (topicDiff.length === 0) unchanged.push(spec.name);
    changes.push(...topicDiff);
  }
  const unmanaged: string[] = [];
  const leftovers = observed
    .filter((topic) => !desiredNames.has(topic.name) && !isInternalTopic(topic))
    .sort((a, b) => compareNames(a.name, b.name));
  for (const topic of leftovers) {
    if (options.prune && !protectedNames.has(topic.name)) {
      changes.push({ action: 'delete', topic: topic.name, partitions: topic.partitions, replicationFactor: topic.replicationFactor });
    } else {
      unmanaged.push(topic.name);
    }
  }
  const count = (action: TopicAction): number => changes.filter((change) => change.action === action).length;
  const blocked = changes.filter(isBlocked).length;
  return {
    formatVersion: 1,
    changes,
    unchanged,
    unmanaged,
    rejections: [],
    summary: {
      create: count('create'),
      addPartitions: count('add-partitions'),
      updateConfigs: count('update-configs'),
      changeReplication: count('change-replication'),
      delete: count('delete'),
      blocked,
      rejected: 0,
      unchanged: unchanged.length,
      unmanaged: unmanaged.length,
    },
    appliable: blocked === 0,
  };
}

/** The plan with what the broker's validate-only requests refused; any refusal makes it unappliable. */
export function withRejections(plan: TopicPlan, rejections: readonly Rejection[]): TopicPlan {
  const all = [...plan.rejections, ...rejections];
  return {
    ...plan,
    rejections: all,
    summary: { ...plan.summary, rejected: all.length },
    appliable: plan.appliable && rejections.length === 0,
  };
}

/**
 * The complete set of dynamic overrides a topic has after `changes`. Kafka's
 * (non-incremental) AlterConfigs replaces a topic's whole set, so this is what
 * must be sent for one changed config to leave the others as they are.
 */
export function overridesAfter(current: Readonly<Record<string, ObservedConfig>>, changes: readonly ConfigChange[]): Record<string, string> {
  const overrides = new Map(
    Object.entries(current)
      .filter(([, config]) => config.source === 'dynamic')
      .map(([name, config]): [string, string] => [name, config.value]),
  );
  for (const change of changes) {
    if (change.op === 'set') overrides.set(change.name, change.to);
    else overrides.delete(change.name);
  }
  return Object.fromEntries([...overrides].sort(([a], [b]) => compareNames(a, b)));
}

/** A topic that was meant to be created but turned out to exist with other settings. */
export interface CreationConflict {
  topic: string;
  /** e.g. "it exists with 3 partitions instead of 6" */
  reason: string;
}

/**
 * Topics an apply created, re-read: the broker answers "already exists" for a topic another
 * client created at the same moment, so a create is only done when the topic now on the
 * cluster is the one asked for. Any difference is a conflict.
 */
export function creationConflicts(created: readonly TopicSpec[], observed: readonly ObservedTopic[]): CreationConflict[] {
  const byName = new Map(observed.map((topic) => [topic.name, topic]));
  const conflicts: CreationConflict[] = [];
  for (const spec of created) {
    const topic = byName.get(spec.name);
    if (topic === undefined) continue;
    const differences: string[] = [];
    if (topic.partitions !== spec.partitions) differences.push(`${topic.partitions} partitions instead of ${spec.partitions}`);
    if (topic.replicationFactor !== spec.replicationFactor) differences.push(`replication factor ${topic.replicationFactor} instead of ${spec.replicationFactor}`);
    const configs = configChanges(spec, topic).map((c) => (c.op === 'set' ? `${c.name}=${c.from ?? 'default'} instead of ${c.to}` : `${c.name}=${c.from} not asked for`));
    differences.push(...configs);
    if (differences.length > 0) conflicts.push({ topic: spec.name, reason: `it already exists, created at the same time by another client, with ${differences.join(', ')}` });
  }
  return conflicts;
}

/**
 * The cluster as a plan must see it while replicas move: a moving partition's metadata lists
 * old and new replicas together; it counts as the replicas it is going to.
 */
export function withReassignments(observed: readonly ObservedTopic[], ongoing: readonly { topic: string; partition: number; replicas: number[]; adding: number[]; removing: number[] }[]): ObservedTopic[] {
  const byTopic = new Map<string, typeof ongoing>();
  for (const move of ongoing) byTopic.set(move.topic, [...(byTopic.get(move.topic) ?? []), move]);
  return observed.map((topic) => {
    const moves = byTopic.get(topic.name);
    if (moves === undefined) return topic;
    const assignment = topic.assignment.map((replicas) => [...replicas]);
    const moving: ReplicaMove[] = [];
    for (const move of moves) {
      const to = move.replicas.filter((id) => !move.removing.includes(id));
      assignment[move.partition] = to;
      moving.push({ partition: move.partition, from: move.replicas.filter((id) => !move.adding.includes(id)), to });
    }
    moving.sort((a, b) => a.partition - b.partition);
    return { ...topic, assignment, moving, replicationFactor: Math.max(0, ...assignment.map((replicas) => replicas.length)) };
  });
}
