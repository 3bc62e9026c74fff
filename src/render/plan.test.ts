import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { computePlan, withRejections, type ObservedTopic, type PlanDocument, type TopicSpec } from '../core/topics/index.js';
import { configValueText, renderApplied, renderPlan } from './plan.js';

const style = new Chalk({ level: 0 });
const at = { line: 1, column: 1 };
const spec = (name: string, partitions: number, configs: Record<string, string> = {}, dlqOf?: string): TopicSpec => ({
  name,
  partitions,
  replicationFactor: 1,
  configs,
  source: at,
  ...(dlqOf === undefined ? {} : { dlqOf }),
});
const observed = (name: string, partitions: number, overrides: Record<string, string> = {}): ObservedTopic => ({
  name,
  partitions,
  replicationFactor: 1,
  internal: false,
  assignment: Array.from({ length: partitions }, () => [1]),
  configs: Object.fromEntries(Object.entries(overrides).map(([k, value]) => [k, { value, source: 'dynamic' as const, isDefault: false }])),
});

function documentFor(desired: TopicSpec[], cluster: ObservedTopic[], prune = false): PlanDocument {
  return {
    format: 'iotmsg-topics-plan',
    formatVersion: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    environment: 'dev',
    projectFile: 'topics.yaml',
    prune,
    cluster: { clusterId: 'c1', bootstrapServers: ['localhost:9092'], fingerprint: 'sha256:0' },
    plan: computePlan(desired, cluster, { prune, protectedTopics: [], brokers: [] }),
  };
}

describe('renderPlan', () => {
  it('shows creates, grouped updates old → new, blocked changes with their remedy, deletes and a summary', () => {
    const document = documentFor(
      [spec('new', 2, { 'retention.ms': '86400000' }), spec('new.dlq', 1, {}, 'new'), spec('grown', 4, { 'retention.ms': '259200000' }), spec('shrunk', 1)],
      [observed('grown', 2, { 'retention.ms': '604800000', 'segment.ms': '3600000' }), observed('shrunk', 3), observed('stray', 1)],
      true,
    );
    document.plan = withRejections(document.plan, [{ topic: 'new', action: 'create', reason: 'the broker refused it: policy' }]);
    expect(renderPlan(document, style).split('\n')).toEqual([
      'Changes for environment "dev", localhost:9092:',
      '',
      '  + new  2 partitions, replication 1',
      '      retention.ms: 86400000 (1d)',
      '      ! create: the broker refused it: policy',
      '  + new.dlq  (dlq of new)  1 partition, replication 1',
      '  ~ grown',
      '      ~ partitions: 2 → 4',
      '      ~ retention.ms: 604800000 (7d) → 259200000 (3d)',
      '      - segment.ms: 3600000 (1h)  (override removed: the broker default applies)',
      '  ! shrunk',
      '      ! Kafka cannot reduce partitions (3 → 1)',
      '        → set partitions: 3 in the file, or recreate the topic (losing its data)',
      '  - stray  1 partition, replication 1',
      '',
      'Plan: 2 to create, 1 to update, 1 to delete; 1 blocked, 1 refused by the broker. 0 unchanged, 0 unmanaged.',
    ]);
  });

  it('says there is nothing to do, and names unmanaged topics', () => {
    const document = documentFor([spec('a', 1)], [observed('a', 1), observed('other', 1)]);
    expect(renderPlan(document, style)).toBe(
      'No changes. The cluster matches topics.yaml (environment "dev", localhost:9092): 1 topic up to date.\nNot in topics.yaml (left alone; --prune deletes them): other',
    );
    expect(renderApplied({ plan: document, applied: null }, style)).toBe('No changes. 1 topic(s) already match topics.yaml.');
  });
});

describe('configValueText', () => {
  it('adds the exact human form of durations and sizes only', () => {
    expect(configValueText('retention.ms', '604800000')).toBe('604800000 (7d)');
    expect(configValueText('segment.bytes', '536870912')).toBe('536870912 (512MiB)');
    expect(configValueText('retention.ms', '1001')).toBe('1001');
    expect(configValueText('min.insync.replicas', '2')).toBe('2');
  });
});
