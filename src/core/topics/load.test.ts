import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadTopicsFile } from './load.js';
import type { Project, TopicSpec } from './model.js';
import { resolveEnvironment } from './resolve.js';

const shippedFile = fileURLToPath(new URL('../../../topics.yaml', import.meta.url));

function load(text: string): Project {
  const { project, diagnostics } = loadTopicsFile(text, 'topics.yaml');
  expect(diagnostics).toEqual([]);
  if (project === undefined) throw new Error('no project');
  return project;
}

function topic(topics: TopicSpec[], name: string): TopicSpec {
  const found = topics.find((t) => t.name === name);
  if (found === undefined) throw new Error(`no topic ${name}`);
  return found;
}

const twoEnvironments = `
defaults:
  partitions: 3
  replicationFactor: 1
  configs:
    retention.ms: 7d
    cleanup.policy: delete
environments:
  dev:
    brokers: [localhost:9092]
    schemaRegistry: http://localhost:8081
  prod:
    brokers: [localhost:19092, localhost:19093, localhost:19094]
    replicationFactor: 3
    partitions: 6
    configs:
      min.insync.replicas: 2
      retention.ms: 14d
    protectedTopics: [audit-logs]
topics:
  - name: sensor-data
    partitions: 12
    configs:
      retention.ms: 1d
  - name: audit-logs
    replicationFactor: 2
    configs:
      min.insync.replicas: 1
`;

describe('the shipped topics.yaml', () => {
  const text = readFileSync(shippedFile, 'utf8');

  it('validates clean', () => {
    const { project, diagnostics } = loadTopicsFile(text, 'topics.yaml');
    expect(diagnostics).toEqual([]);
    expect(project).toBeDefined();
  });

  it('declares the platform topics, dev and prod', () => {
    const project = load(text);
    expect(project.topics.map((t) => t.name)).toEqual([
      'sensor-data',
      'device-events',
      'system-logs',
      'user-activity',
      'notifications',
      'metrics',
      'audit-logs',
      'telemetry.raw',
      'telemetry.clean',
    ]);
    const dev = resolveEnvironment(project, 'dev');
    const prod = resolveEnvironment(project, 'prod');
    expect(dev.brokers).toEqual(['localhost:9092']);
    expect(prod.brokers).toEqual(['localhost:19092', 'localhost:19093', 'localhost:19094']);
    expect(dev.schemaRegistry).toBe('http://localhost:8081/apis/ccompat/v7');
    expect(dev.topics.every((t) => t.replicationFactor === 1)).toBe(true);
    expect(prod.topics.every((t) => t.replicationFactor === 3 && t.configs['min.insync.replicas'] === '2')).toBe(true);
    expect(topic(prod.topics, 'sensor-data').valueSchema).toMatchObject({ schema: 'schemas/sensor-data.avsc' });
    expect(topic(prod.topics, 'device-events').valueSchema).toMatchObject({ schema: 'schemas/device-event.avsc' });
    expect(dev.topics.map((t) => [t.name, t.partitions])).toEqual(prod.topics.map((t) => [t.name, t.partitions]));
  });
});

describe('environment overlay', () => {
  const project = load(twoEnvironments);

  it('applies defaults < environment < topic', () => {
    const dev = resolveEnvironment(project, 'dev');
    const prod = resolveEnvironment(project, 'prod');
    expect(topic(dev.topics, 'sensor-data')).toMatchObject({
      partitions: 12,
      replicationFactor: 1,
      configs: { 'retention.ms': '86400000', 'cleanup.policy': 'delete' },
    });
    expect(topic(prod.topics, 'sensor-data')).toMatchObject({
      partitions: 12,
      replicationFactor: 3,
      configs: { 'retention.ms': '86400000', 'cleanup.policy': 'delete', 'min.insync.replicas': '2' },
    });
    expect(topic(prod.topics, 'audit-logs')).toMatchObject({
      partitions: 6,
      replicationFactor: 2,
      configs: { 'retention.ms': '1209600000', 'min.insync.replicas': '1' },
    });
    expect(topic(dev.topics, 'audit-logs').partitions).toBe(3);
  });

  it('carries connection settings and protected topics', () => {
    expect(resolveEnvironment(project, 'dev')).toMatchObject({
      name: 'dev',
      brokers: ['localhost:9092'],
      schemaRegistry: 'http://localhost:8081',
      protectedTopics: [],
    });
    expect(resolveEnvironment(project, 'prod')).toMatchObject({ schemaRegistry: undefined, protectedTopics: ['audit-logs'] });
  });

  it('keeps positions for every topic', () => {
    const prod = resolveEnvironment(project, 'prod');
    expect(topic(prod.topics, 'sensor-data').source).toEqual({ line: 21, column: 5 });
    expect(topic(prod.topics, 'audit-logs').source).toEqual({ line: 25, column: 5 });
  });

  it('refuses an unknown environment with a hint', () => {
    expect(() => resolveEnvironment(project, 'prd')).toThrow(ConfigError);
    expect(() => resolveEnvironment(project, 'prd')).toThrow(expect.objectContaining({ hint: 'did you mean "prod"?' }));
    expect(() => resolveEnvironment(project, 'staging')).toThrow(
      expect.objectContaining({ message: 'unknown environment "staging"', hint: 'environments in topics.yaml: dev, prod' }),
    );
    expect(() => resolveEnvironment(project, 'toString')).toThrow(ConfigError);
  });

  it('checks min.insync.replicas against each environment separately', () => {
    const { diagnostics } = loadTopicsFile(
      twoEnvironments.replace('replicationFactor: 2\n', 'replicationFactor: 2\n    partitions: 1\n').replace('min.insync.replicas: 1', 'min.insync.replicas: 3'),
      'topics.yaml',
    );
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '29:7 min.insync.replicas 3 exceeds the replication factor 2 of topic "audit-logs" in environment "dev"',
      '29:7 min.insync.replicas 3 exceeds the replication factor 2 of topic "audit-logs" in environment "prod"',
    ]);
  });
});

describe('DLQ siblings', () => {
  const file = `
defaults:
  partitions: 6
  dlq:
    partitions: 1
    configs:
      retention.ms: 30d
environments:
  dev:
    brokers: [localhost:9092]
    replicationFactor: 1
  prod:
    brokers: [localhost:19092]
    replicationFactor: 3
topics:
  - name: sensor-data
    owner: ingestion
    configs:
      retention.ms: 7d
      compression.type: zstd
    dlq: true
  - name: metrics
  - name: telemetry.raw
    dlq:
      suffixes: [dlq.poison]
      partitions: 2
      replicationFactor: 2
      configs:
        max.message.bytes: 2MiB
`;

  it('expands the default suffixes right after the parent, in file order', () => {
    const dev = resolveEnvironment(load(file), 'dev');
    expect(dev.topics.map((t) => t.name)).toEqual([
      'sensor-data',
      'sensor-data.dlq',
      'sensor-data.dlq.validation_error',
      'sensor-data.dlq.processing_error',
      'sensor-data.dlq.poison',
      'metrics',
      'telemetry.raw',
      'telemetry.raw.dlq.poison',
    ]);
  });

  it('gives siblings their own partitions, replication and configs, not the parent\'s', () => {
    const prod = resolveEnvironment(load(file), 'prod');
    expect(topic(prod.topics, 'sensor-data.dlq')).toEqual({
      name: 'sensor-data.dlq',
      partitions: 1,
      replicationFactor: 3,
      configs: { 'retention.ms': '2592000000' },
      dlqOf: 'sensor-data',
      owner: 'ingestion',
      source: { line: 21, column: 10 },
    });
    expect(topic(prod.topics, 'telemetry.raw.dlq.poison')).toMatchObject({
      partitions: 2,
      replicationFactor: 2,
      configs: { 'retention.ms': '2592000000', 'max.message.bytes': '2097152' },
      dlqOf: 'telemetry.raw',
    });
  });

  it('can be on for every topic, and off for one', () => {
    const project = load(`
defaults:
  dlq:
    enabled: true
    suffixes: [dlq]
environments:
  local:
    brokers: [localhost:9092]
topics:
  - name: a
  - name: b
    dlq: false
  - name: c
    dlq:
      suffixes: [retry, dlq]
`);
    const topics = resolveEnvironment(project, 'local').topics;
    expect(topics.map((t) => [t.name, t.dlqOf])).toEqual([
      ['a', undefined],
      ['a.dlq', 'a'],
      ['b', undefined],
      ['c', undefined],
      ['c.retry', 'c'],
      ['c.dlq', 'c'],
    ]);
    expect(topics.every((t) => t.partitions === 1 && t.replicationFactor === 1)).toBe(true);
  });
});

describe('loading', () => {
  it('accepts anchors and aliases', () => {
    const project = load(`
defaults:
  configs: &common
    compression.type: zstd
    retention.ms: 3d
topics:
  - name: a
    configs: *common
`);
    expect(project.topics[0]?.configs['retention.ms']?.value).toBe('259200000');
  });

  it('turns YAML scalars into Kafka strings', () => {
    const project = load(`
topics:
  - name: a
    configs:
      min.insync.replicas: 1
      preallocate: true
      min.cleanable.dirty.ratio: 0.25
      cleanup.policy: [compact, delete]
      retention.ms: -1
      flush.messages: 9223372036854775807
`);
    const configs = Object.fromEntries(Object.entries(project.topics[0]?.configs ?? {}).map(([k, v]) => [k, v.value]));
    expect(configs).toEqual({
      'min.insync.replicas': '1',
      preallocate: 'true',
      'min.cleanable.dirty.ratio': '0.25',
      'cleanup.policy': 'compact,delete',
      'retention.ms': '-1',
      'flush.messages': '9223372036854775807',
    });
  });

  it('reads schema references in both shapes', () => {
    const project = load(`
topics:
  - name: a
    keySchema: schemas/key.avsc
    valueSchema:
      subject: a-value
      compatibility: FULL_TRANSITIVE
`);
    expect(project.topics[0]?.keySchema).toEqual({ schema: 'schemas/key.avsc', source: { line: 4, column: 16 } });
    expect(project.topics[0]?.valueSchema).toEqual({ subject: 'a-value', compatibility: 'FULL_TRANSITIVE', source: { line: 6, column: 7 } });
  });

  it('keeps the project when there are only warnings', () => {
    const { project, diagnostics } = loadTopicsFile(
      'topics:\n  - name: a\n    configs:\n      message.downconversion.enable: false\n',
      'topics.yaml',
    );
    expect(project).toBeDefined();
    expect(diagnostics).toMatchObject([{ severity: 'warning', code: 'deprecated-config', line: 4, column: 7 }]);
  });

  it('checks min.insync.replicas against defaults when there are no environments', () => {
    const { diagnostics } = loadTopicsFile('topics:\n  - name: a\n    configs:\n      min.insync.replicas: 2\n', 'topics.yaml');
    expect(diagnostics.map((d) => d.message)).toEqual(['min.insync.replicas 2 exceeds the replication factor 1 of topic "a"']);
  });

  // Speed is measured by bench/topics.mjs, not here.
  it('validates 1,000 topics with DLQs', () => {
    const topics = Array.from(
      { length: 1000 },
      (_, i) => `  - name: device.${i}.readings\n    partitions: ${(i % 12) + 1}\n    configs:\n      retention.ms: ${i + 1}d\n      cleanup.policy: [compact, delete]\n    dlq: true\n`,
    ).join('');
    const text = `environments:\n  dev:\n    brokers: [localhost:9092]\n  prod:\n    brokers: [localhost:19092]\n    replicationFactor: 3\n    configs:\n      min.insync.replicas: 2\ntopics:\n${topics}`;
    const { project, diagnostics } = loadTopicsFile(text, 'topics.yaml');
    const resolved = project && resolveEnvironment(project, 'prod');
    expect(diagnostics).toEqual([]);
    expect(resolved?.topics).toHaveLength(5000);
  });
});
