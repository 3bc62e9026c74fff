/**
 * A plan as a document (`topics plan --out plan.json`, and `--output json`):
 * versioned, and carrying a fingerprint of the cluster state it was computed
 * from, so that apply can refuse a plan the cluster has moved away from
 * (terraform's planfile and its stale-plan check).
 */
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import { normaliseConfigValue } from './configValues.js';
import { compareNames, type ObservedTopic, type TopicAction, type TopicPlan } from './plan.js';

export const PLAN_FORMAT = 'iotmsg-topics-plan';
export const PLAN_FORMAT_VERSION = 1;

export interface PlannedCluster {
  clusterId: string;
  bootstrapServers: string[];
  /** sha256 of the planned topics' state as the cluster reported it. */
  fingerprint: string;
}

export interface PlanDocument {
  format: typeof PLAN_FORMAT;
  formatVersion: typeof PLAN_FORMAT_VERSION;
  createdAt: string;
  /** The topics.yaml environment planned for (undefined for a file without environments). */
  environment: string | undefined;
  projectFile: string;
  prune: boolean;
  cluster: PlannedCluster;
  plan: TopicPlan;
}

/** The topics a plan depends on: those it compares with the file, and those it deletes. */
export interface PlanScope {
  compared: string[];
  deleted: string[];
}

export function planScope(plan: TopicPlan): PlanScope {
  const compared = new Set(plan.unchanged);
  const deleted = new Set<string>();
  for (const change of plan.changes) (change.action === 'delete' ? deleted : compared).add(change.topic);
  return { compared: [...compared].sort(compareNames), deleted: [...deleted].sort(compareNames) };
}

/**
 * What the plan saw, reduced to what it depends on: for compared topics their
 * existence, partitions, replication and dynamic overrides; for deleted ones
 * their existence and shape. Topics outside the scope may change freely.
 */
export function clusterFingerprint(clusterId: string, observed: readonly ObservedTopic[], scope: PlanScope): string {
  const byName = new Map(observed.map((topic) => [topic.name, topic]));
  // Replicas count, not just their number: a saved plan's moves name brokers.
  const shape = (topic: ObservedTopic): [number, number, number[][]] => [topic.partitions, topic.replicationFactor, topic.assignment];
  const compared = scope.compared.map((name) => {
    const topic = byName.get(name);
    if (topic === undefined) return [name, null];
    const overrides = Object.entries(topic.configs)
      .filter(([, config]) => config.source === 'dynamic')
      .map(([config, { value }]): [string, string] => [config, normaliseConfigValue(config, value)])
      .sort(([a], [b]) => compareNames(a, b));
    return [name, ...shape(topic), overrides];
  });
  const deleted = scope.deleted.map((name) => {
    const topic = byName.get(name);
    return topic === undefined ? [name, null] : [name, ...shape(topic)];
  });
  const canonical = JSON.stringify({ clusterId, compared, deleted });
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

const ACTIONS: readonly TopicAction[] = ['create', 'add-partitions', 'update-configs', 'change-replication', 'replication-mismatch', 'partition-decrease', 'delete'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Each check answers where a value does not have the shape this version writes, or undefined:
// every field apply reads is checked, so an edited plan is refused instead of applied with a
// broker default standing in for a field that was removed.
type Check = (value: unknown, where: string) => string | undefined;

const text: Check = (value, where) => (typeof value === 'string' ? undefined : `${where} must be a string`);
const flag: Check = (value, where) => (typeof value === 'boolean' ? undefined : `${where} must be true or false`);
const count: Check = (value, where) => (Number.isSafeInteger(value) && (value as number) >= 1 ? undefined : `${where} must be a whole number of 1 or more`);
const index: Check = (value, where) => (Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : `${where} must be a whole number of 0 or more`);
const textOrNull: Check = (value, where) => (value === null ? undefined : text(value, where));
const optional =
  (check: Check): Check =>
  (value, where) =>
    value === undefined ? undefined : check(value, where);
const list =
  (check: Check): Check =>
  (value, where) =>
    Array.isArray(value) ? value.map((item, i) => check(item, `${where}[${i}]`)).find((p) => p !== undefined) : `${where} must be a list`;
const record =
  (fields: Record<string, Check>): Check =>
  (value, where) =>
    isRecord(value) ? Object.entries(fields).map(([name, check]) => check(value[name], where === '' ? name : `${where}.${name}`)).find((p) => p !== undefined) : `${where} is missing or not an object`;
const textMap: Check = (value, where) =>
  isRecord(value) ? Object.entries(value).map(([name, v]) => text(v, `${where}.${name}`)).find((p) => p !== undefined) : `${where} is missing or not an object`;
const position = record({ line: count, column: count });
const schemaRef = optional(record({ schema: optional(text), subject: optional(text), compatibility: optional(text), source: position }));

const spec = record({
  name: text,
  partitions: count,
  replicationFactor: count,
  configs: textMap,
  dlqOf: optional(text),
  description: optional(text),
  owner: optional(text),
  keySchema: schemaRef,
  valueSchema: schemaRef,
  source: position,
});
const configChange: Check = (value, where) =>
  isRecord(value) && value.op === 'delete'
    ? record({ name: text, from: text })(value, where)
    : isRecord(value) && value.op === 'set'
      ? record({ name: text, from: textOrNull, to: text })(value, where)
      : `${where}.op must be "set" or "delete"`;
const blocked = { from: count, to: count, reason: text, remedy: text };
const replicaMove = record({ partition: index, from: list(index), to: list(index) });
const CHANGE_FIELDS: Record<TopicAction, Record<string, Check>> = {
  create: { spec },
  'add-partitions': { from: count, to: count },
  'update-configs': { configs: list(configChange) },
  'change-replication': { from: count, to: count, moves: list(replicaMove) },
  'replication-mismatch': blocked,
  'partition-decrease': blocked,
  delete: { partitions: count, replicationFactor: count },
};
const change: Check = (value, where) => {
  if (!isRecord(value) || typeof value.topic !== 'string' || !ACTIONS.includes(value.action as TopicAction)) return `${where} is not a topic change`;
  const problem = record(CHANGE_FIELDS[value.action as TopicAction])(value, where);
  if (problem !== undefined) return problem;
  if (value.action === 'create' && (value.spec as { name: string }).name !== value.topic) return `${where} creates "${value.topic}" with the spec of another topic`;
  if (value.action === 'add-partitions' && (value.to as number) <= (value.from as number)) return `${where} does not add partitions`;
  if (value.action === 'change-replication') {
    const wrong = (value.moves as { to: number[] }[]).findIndex((move) => move.to.length !== value.to || new Set(move.to).size !== move.to.length);
    if (wrong >= 0) return `${where}.moves[${wrong}].to is not ${String(value.to)} distinct brokers`;
  }
  return undefined;
};
const planDocument = record({
  cluster: record({ clusterId: text, bootstrapServers: list(text), fingerprint: text }),
  prune: flag,
  environment: optional(text),
  plan: record({ changes: list(change), unchanged: list(text), unmanaged: list(text), appliable: flag }),
});

/** Reads a saved plan, refusing other formats, other versions and damaged files. */
export function readPlanDocument(text: string, file: string): PlanDocument {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not JSON: ${(error as Error).message}`, { hint: 'save a plan with "iotmsg topics plan --out <file>"' });
  }
  if (!isRecord(document) || document.format !== PLAN_FORMAT) {
    throw new InputError(`${file} is not an iotmsg topics plan`, { hint: 'save a plan with "iotmsg topics plan --out <file>"' });
  }
  if (document.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new InputError(`${file} is a version ${String(document.formatVersion)} plan; this iotmsg reads version ${PLAN_FORMAT_VERSION}`, {
      hint: 'make the plan again with this version of iotmsg',
    });
  }
  const problem = planDocument(document, '');
  if (problem !== undefined) throw new InputError(`${file} is damaged: ${problem}`, { hint: 'make the plan again with "iotmsg topics plan --out"' });
  return document as unknown as PlanDocument;
}
