import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportProject } from './export.js';
import { loadTopicsFile } from './load.js';
import type { TopicSpec } from './model.js';
import { computePlan, type ObservedConfig, type ObservedTopic } from './plan.js';
import { resolveEnvironment } from './resolve.js';

function observed(name: string, partitions: number, replicationFactor: number, overrides: Record<string, string> = {}): ObservedTopic {
  const configs: Record<string, ObservedConfig> = {
    'segment.bytes': { value: '1073741824', source: 'default', isDefault: true },
    'message.max.bytes': { value: '1048588', source: 'static', isDefault: false },
  };
  for (const [key, value] of Object.entries(overrides)) configs[key] = { value, source: 'dynamic', isDefault: false };
  return { name, partitions, replicationFactor, configs, internal: false, assignment: Array.from({ length: partitions }, () => [1]) };
}

/** What the cluster looks like after applying `topics`: every file config is a dynamic override. */
function applied(topics: TopicSpec[]): ObservedTopic[] {
  return topics.map((t) => observed(t.name, t.partitions, t.replicationFactor, t.configs));
}

function roundTrip(cluster: ObservedTopic[]): { text: string; changes: number } {
  const text = exportProject(cluster, { environment: 'local', brokers: ['localhost:9092'] });
  const { project, diagnostics } = loadTopicsFile(text, 'exported.yaml');
  expect(diagnostics).toEqual([]);
  if (project === undefined) throw new Error(text);
  const desired = resolveEnvironment(project, 'local').topics;
  const plan = computePlan(desired, cluster, { prune: true, protectedTopics: [], brokers: [] });
  return { text, changes: plan.changes.length };
}

const dlqSuffixes = ['dlq', 'dlq.validation_error', 'dlq.processing_error', 'dlq.poison'];

describe('exportProject', () => {
  it('writes only dynamic overrides, in human units, with DLQs folded under their parent', () => {
    const cluster = [
      observed('sensor-data', 12, 3, { 'retention.ms': '604800000', 'compression.type': 'zstd', 'max.message.bytes': '1048576' }),
      ...dlqSuffixes.map((suffix) => observed(`sensor-data.${suffix}`, 3, 3, { 'retention.ms': '2592000000' })),
      observed('metrics', 6, 3, { 'cleanup.policy': 'compact,delete', preallocate: 'true', 'min.cleanable.dirty.ratio': '0.25' }),
      observed('audit-logs', 6, 3, { 'retention.ms': '-1', 'flush.ms': '9223372036854775807' }),
      observed('devices', 6, 3),
      observed('devices.dlq', 6, 3),
      { ...observed('__consumer_offsets', 50, 3), internal: true },
      observed('_schemas', 1, 3),
    ];
    expect(exportProject(cluster, { environment: 'prod', brokers: ['localhost:19092'], schemaRegistry: 'http://localhost:8081' }))
      .toBe(`# Exported from the cluster by iotmsg. Only dynamic topic overrides are listed;
# anything else is the broker default.

defaults:
  partitions: 6
environments:
  prod:
    brokers:
      - localhost:19092
    schemaRegistry: http://localhost:8081
    replicationFactor: 3
topics:
  - name: audit-logs
    configs:
      flush.ms: "9223372036854775807"
      retention.ms: -1
  - name: devices
    dlq:
      suffixes:
        - dlq
  - name: metrics
    configs:
      cleanup.policy: compact,delete
      min.cleanable.dirty.ratio: 0.25
      preallocate: true
  - name: sensor-data
    partitions: 12
    configs:
      compression.type: zstd
      max.message.bytes: 1MiB
      retention.ms: 7d
    dlq:
      partitions: 3
      configs:
        retention.ms: 30d
`);
  });

  it('round-trips: export, load, resolve and plan against the same cluster gives no changes', () => {
    const cluster = [
      observed('sensor-data', 12, 3, { 'retention.ms': '604800000', 'segment.bytes': '536870912' }),
      ...dlqSuffixes.map((suffix) => observed(`sensor-data.${suffix}`, 1, 3, { 'retention.ms': '2592000000' })),
      observed('odd', 2, 1, { 'cleanup.policy': 'delete,compact' }),
      observed('odd.dlq', 1, 3),
      observed('odd.dlq.poison', 2, 3, { 'retention.ms': '1' }),
      observed('telemetry.raw', 12, 3),
      observed('telemetry.raw.dlq.poison', 12, 3),
      observed('telemetry_clean', 4, 2, { 'message.timestamp.type': 'LogAppendTime', 'segment.ms': '3600001' }),
    ];
    const { text, changes } = roundTrip(cluster);
    expect(changes).toBe(0);
    // Mixed sibling settings cannot be one dlq block, so those stay separate topics.
    expect(text).toContain('- name: odd.dlq.poison');
    expect(text).not.toContain('- name: telemetry.raw.dlq.poison');
  });

  it('round-trips the shipped topics.yaml as applied to prod', () => {
    const text = readFileSync(fileURLToPath(new URL('../../../topics.yaml', import.meta.url)), 'utf8');
    const { project } = loadTopicsFile(text, 'topics.yaml');
    if (project === undefined) throw new Error('shipped topics.yaml does not load');
    const cluster = applied(resolveEnvironment(project, 'prod').topics);
    const exported = roundTrip(cluster);
    expect(exported.changes).toBe(0);
    // Shared by every topic and DLQ, so written once.
    expect(exported.text).toContain('defaults:\n  partitions: 6\n  configs:\n    cleanup.policy: delete\n    min.insync.replicas: 2\n');
    expect(exported.text.match(/min\.insync\.replicas/g)).toHaveLength(1);
    expect(exported.text).toContain('  - name: sensor-data\n');
    expect(exported.text).not.toContain('- name: sensor-data.dlq');
  });

  it('notes configs it cannot export instead of writing them', () => {
    const text = exportProject([observed('a', 1, 1, { 'confluent.placement.constraints': '{}', 'retention.ms': '3600000' })], {
      environment: 'local',
    });
    expect(text).toContain('# not exported (not Kafka 3.9 topic configs): confluent.placement.constraints');
    expect(text).toContain('retention.ms: 1h');
    expect(text).not.toContain('confluent.placement.constraints:');
  });

  it('exports an empty cluster as an empty topic list', () => {
    const { project, diagnostics } = loadTopicsFile(exportProject([], { environment: 'local' }), 'x.yaml');
    expect(diagnostics).toEqual([]);
    expect(project?.topics).toEqual([]);
  });
});
