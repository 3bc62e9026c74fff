import { inject, describe, expect, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { withAdmin } from '../support/kafka.js';
import { uniqueName } from '../support/names.js';

const cluster = inject('devCluster');
const bootstrap = cluster.bootstrapServers.join(',');

describe('iotmsg CLI shell', () => {
  it('lists only the commands that work', async () => {
    const { exitCode, stdout } = await iotmsg(['--help']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('topics');
    expect(stdout).toContain('deploy');
    expect(stdout).toContain('config');
  });

  it('fails on an unknown option with the usage exit code', async () => {
    const { exitCode, stderr } = await iotmsg(['topics', 'list', '--frobnicate']);
    expect(exitCode).toBe(64);
    expect(stderr).toContain("unknown option '--frobnicate'");
  });

  it('fails within 10 s on an unreachable cluster, with one line naming the address', async () => {
    const { exitCode, stderr, durationMs } = await iotmsg(['topics', 'list', '-b', 'localhost:1']);
    expect(exitCode).toBe(69);
    expect(durationMs).toBeLessThan(10_000);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe('error: cannot reach Kafka at localhost:1: connection refused');
    expect(lines[1]).toMatch(/^hint: /);
    expect(lines).toHaveLength(2);
  });

  it('gives up after --timeout when the broker address does not answer Kafka', async () => {
    // The registry port speaks HTTP, not Kafka: the connection opens but no answer comes.
    const registryPort = new URL(cluster.schemaRegistryUrl!).port;
    const { exitCode, stderr, durationMs } = await iotmsg(['topics', 'list', '-b', `127.0.0.1:${registryPort}`, '--timeout', '2s']);
    expect(exitCode).toBe(69);
    expect(durationMs).toBeLessThan(8_000);
    expect(stderr.split('\n')[0]).toContain(`127.0.0.1:${registryPort}`);
  });

  it('shows a stack trace only with --verbose', async () => {
    const quiet = await iotmsg(['topics', 'list', '-b', 'localhost:1']);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const verbose = await iotmsg(['topics', 'list', '-b', 'localhost:1', '--verbose']);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('lists the topics the broker reports, as JSON', async () => {
    const topic = uniqueName('e2e-list');
    await withAdmin(cluster.bootstrapServers, (admin) => admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true }));
    const { exitCode, stdout } = await iotmsg(['topics', 'list', '-b', bootstrap, '-o', 'json']);
    expect(exitCode).toBe(0);
    const topics = JSON.parse(stdout) as { name: string; partitions: number; replicationFactor: number; underReplicated: number }[];
    expect(topics.find((t) => t.name === topic)).toEqual({ name: topic, partitions: 3, replicationFactor: 1, underReplicated: 0, offline: 0, internal: false, dlq: false });
    expect(topics.some((t) => t.name.startsWith('__'))).toBe(false);
  });

  it('shows resolved settings with their origin and secrets redacted', async () => {
    const { exitCode, stdout } = await iotmsg(['config', 'show', '-o', 'json', '--client-id', 'cli-test'], {
      env: { KAFKA_BROKERS: 'k1:9092,k2:9092', KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'svc', KAFKA_SASL_PASSWORD: 'hunter2' },
    });
    expect(exitCode).toBe(0);
    expect(stdout).not.toContain('hunter2');
    const shown = JSON.parse(stdout) as { settings: { brokers: string[]; clientId: string; sasl: { password: string } }; origins: Record<string, { source: string; from: string }> };
    expect(shown.settings.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(shown.origins.brokers).toEqual({ source: 'env', from: 'KAFKA_BROKERS' });
    expect(shown.origins.clientId).toEqual({ source: 'flag', from: '--client-id' });
    expect(shown.settings.sasl.password).toBe('********');
  });

  it('prints YAML with --output yaml', async () => {
    const { exitCode, stdout } = await iotmsg(['config', 'show', '-o', 'yaml', '-b', 'a:1']);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^settings:\n/);
    expect(stdout).toContain('- a:1');
  });
});
