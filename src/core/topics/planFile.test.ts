import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import type { TopicSpec } from './model.js';
import { computePlan, type ObservedConfig, type ObservedTopic } from './plan.js';
import { clusterFingerprint, planScope, readPlanDocument, type PlanDocument } from './planFile.js';

const at = { line: 1, column: 1 };
const dynamic = (value: string): ObservedConfig => ({ value, source: 'dynamic', isDefault: false });
const observed = (name: string, partitions: number, configs: Record<string, ObservedConfig> = {}): ObservedTopic => ({ name, partitions, replicationFactor: 1, configs, internal: false, assignment: Array.from({ length: partitions }, () => [1]) });

const desired: TopicSpec[] = [
  { name: 'a', partitions: 3, replicationFactor: 1, configs: { 'retention.ms': '1000' }, source: at },
  { name: 'b', partitions: 1, replicationFactor: 1, configs: {}, source: at },
];
const cluster = [observed('a', 3, { 'retention.ms': dynamic('2000') }), observed('old', 1), observed('other', 1)];

describe('planScope and clusterFingerprint', () => {
  const plan = computePlan(desired, cluster, { prune: false, protectedTopics: [], brokers: [] });
  const scope = planScope(plan);

  it('scopes the plan to the topics it compares and deletes', () => {
    expect(scope).toEqual({ compared: ['a', 'b'], deleted: [] });
    expect(planScope(computePlan(desired, cluster, { prune: true, protectedTopics: ['other'], brokers: [] }))).toEqual({ compared: ['a', 'b'], deleted: ['old'] });
  });

  it('changes when a planned topic changes, not when an unrelated one does', () => {
    const before = clusterFingerprint('c1', cluster, scope);
    expect(clusterFingerprint('c1', [...cluster, observed('new-unrelated', 1)], scope)).toBe(before);
    expect(clusterFingerprint('c1', [observed('a', 3, { 'retention.ms': dynamic('2000') }), observed('other', 9)], scope)).toBe(before);
    expect(clusterFingerprint('c1', [observed('a', 4, { 'retention.ms': dynamic('2000') })], scope)).not.toBe(before);
    expect(clusterFingerprint('c1', [observed('a', 3, { 'retention.ms': dynamic('3000') })], scope)).not.toBe(before);
    expect(clusterFingerprint('c1', [observed('a', 3, { 'retention.ms': dynamic('2000') }), observed('b', 1)], scope)).not.toBe(before);
    expect(clusterFingerprint('c2', cluster, scope)).not.toBe(before);
    expect(before).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('compares override values as Kafka means them, ignoring broker defaults', () => {
    const spelled = [observed('a', 3, { 'retention.ms': dynamic(' 2000'), 'segment.bytes': { value: '1', source: 'default', isDefault: true } })];
    expect(clusterFingerprint('c1', spelled, scope)).toBe(clusterFingerprint('c1', [observed('a', 3, { 'retention.ms': dynamic('2000') })], scope));
  });
});

describe('readPlanDocument', () => {
  const document: PlanDocument = {
    format: 'iotmsg-topics-plan',
    formatVersion: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    environment: 'dev',
    projectFile: 'topics.yaml',
    prune: false,
    cluster: { clusterId: 'c1', bootstrapServers: ['localhost:9092'], fingerprint: 'sha256:00' },
    plan: computePlan(desired, cluster, { prune: false, protectedTopics: [], brokers: [] }),
  };

  /** The saved document with the create of "b" (changes[1]) edited by hand. */
  const withCreate = (edit: (spec: Record<string, unknown>) => unknown): string => {
    const copy = JSON.parse(JSON.stringify(document)) as { plan: { changes: { spec?: Record<string, unknown> }[] } };
    edit(copy.plan.changes[1]!.spec!);
    return JSON.stringify(copy);
  };

  it('reads what it wrote', () => {
    expect(readPlanDocument(JSON.stringify(document), 'plan.json')).toEqual(document);
  });

  it.each([
    ['{', /^plan\.json is not JSON: /],
    ['{"format": "terraform"}', /^plan\.json is not an iotmsg topics plan$/],
    [JSON.stringify({ ...document, formatVersion: 2 }), /^plan\.json is a version 2 plan; this iotmsg reads version 1$/],
    [JSON.stringify({ ...document, cluster: { clusterId: 'c1' } }), /^plan\.json is damaged: cluster\.bootstrapServers must be a list$/],
    [JSON.stringify({ ...document, plan: { ...document.plan, changes: [{ action: 'rename', topic: 'a' }] } }), /^plan\.json is damaged: plan\.changes\[0\] is not a topic change$/],
    [JSON.stringify({ ...document, plan: { ...document.plan, changes: [{ action: 'create', topic: 'a' }] } }), /^plan\.json is damaged: plan\.changes\[0\]\.spec is missing or not an object$/],
    [withCreate((spec) => delete spec.replicationFactor), /^plan\.json is damaged: plan\.changes\[1\]\.spec\.replicationFactor must be a whole number of 1 or more$/],
    [withCreate((spec) => (spec.partitions = '3')), /^plan\.json is damaged: plan\.changes\[1\]\.spec\.partitions must be a whole number of 1 or more$/],
    [withCreate((spec) => (spec.configs = { 'retention.ms': 1000 })), /^plan\.json is damaged: plan\.changes\[1\]\.spec\.configs\.retention\.ms must be a string$/],
    [withCreate((spec) => (spec.name = 'other')), /^plan\.json is damaged: plan\.changes\[1\] creates "b" with the spec of another topic$/],
    [JSON.stringify({ ...document, plan: { ...document.plan, changes: [{ action: 'delete', topic: 'old', partitions: 1 }] } }), /^plan\.json is damaged: plan\.changes\[0\]\.replicationFactor must be a whole number of 1 or more$/],
    [JSON.stringify({ ...document, plan: { ...document.plan, changes: [{ action: 'add-partitions', topic: 'a', from: 3, to: 3 }] } }), /^plan\.json is damaged: plan\.changes\[0\] does not add partitions$/],
  ])('refuses %s', (text, message) => {
    expect(() => readPlanDocument(text, 'plan.json')).toThrow(InputError);
    expect(() => readPlanDocument(text, 'plan.json')).toThrow(message);
  });
});
