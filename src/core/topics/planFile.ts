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
  const shape = (topic: ObservedTopic): [number, number] => [topic.partitions, topic.replicationFactor];
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

const ACTIONS: readonly TopicAction[] = ['create', 'add-partitions', 'update-configs', 'replication-mismatch', 'partition-decrease', 'delete'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where a saved plan does not have the shape this version writes, or undefined. */
function planProblem(document: Record<string, unknown>): string | undefined {
  const { cluster, plan } = document;
  if (!isRecord(cluster) || typeof cluster.clusterId !== 'string' || typeof cluster.fingerprint !== 'string') return '"cluster" must hold clusterId and fingerprint';
  if (typeof document.prune !== 'boolean') return '"prune" must be true or false';
  if (!isRecord(plan) || !Array.isArray(plan.changes) || !Array.isArray(plan.unchanged) || !Array.isArray(plan.unmanaged)) {
    return '"plan" must hold changes, unchanged and unmanaged lists';
  }
  for (const [index, change] of plan.changes.entries()) {
    const where = `plan.changes[${index}]`;
    if (!isRecord(change) || typeof change.topic !== 'string' || !ACTIONS.includes(change.action as TopicAction)) return `${where} is not a topic change`;
    if (change.action === 'create' && !(isRecord(change.spec) && typeof change.spec.partitions === 'number' && isRecord(change.spec.configs))) {
      return `${where} creates a topic without its spec`;
    }
    if (change.action === 'add-partitions' && typeof change.to !== 'number') return `${where} adds partitions without a count`;
    if (change.action === 'update-configs' && !Array.isArray(change.configs)) return `${where} updates configs without a list of them`;
  }
  return undefined;
}

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
  const problem = planProblem(document);
  if (problem !== undefined) throw new InputError(`${file} is damaged: ${problem}`, { hint: 'make the plan again with "iotmsg topics plan --out"' });
  return document as unknown as PlanDocument;
}
