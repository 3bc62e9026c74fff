import { execa } from 'execa';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { restartComponent, stopComponent } from '../../src/adapters/runtime/localCluster.js';
import type { CheckResult } from '../../src/core/cluster/health.js';
import { iotmsg, iotmsgBin } from '../support/cli.js';
import { freePortBlock, testPortBase } from '../support/cluster.js';
import { withAdmin } from '../support/kafka.js';
import { RunningIotmsg } from '../support/messagesCli.js';
import { uniqueName } from '../support/names.js';

interface HealthJson {
  healthy: boolean;
  checks: CheckResult[];
}

const byId = (report: HealthJson) => Object.fromEntries(report.checks.map((c) => [c.id, c]));

/** Waits until the cluster's metadata, as KafkaJS reads it, lists exactly these broker ids. */
async function waitForBrokers(bootstrapServers: string[], expected: number[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: number[] = [];
  while (Date.now() < deadline) {
    seen = await withAdmin(bootstrapServers, async (admin) => (await admin.describeCluster()).brokers.map((b) => b.nodeId).sort());
    if (seen.join() === expected.join()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the cluster still lists brokers ${seen.join(', ')} after ${timeoutMs} ms; expected ${expected.join(', ')}`);
}
const PORT_BASE = testPortBase();

describe('iotmsg health against the dev cluster', () => {
  const dev = inject('devCluster');
  const target = ['-b', dev.bootstrapServers.join(','), '--schema-registry', dev.schemaRegistryUrl!, '--env', 'dev'];
  let emptyDir: string;
  beforeAll(async () => {
    emptyDir = await mkdtemp(join(tmpdir(), 'iotmsg-health-'));
  });

  it('reports every check of a healthy cluster as a row and exits 0', async () => {
    const result = await iotmsg(['health', ...target, '-o', 'json'], { cwd: emptyDir });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as HealthJson;
    expect(report.healthy).toBe(true);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['brokers', 'ok'],
      ['quorum', 'ok'],
      ['offline-partitions', 'ok'],
      ['under-replicated', 'ok'],
      ['min-isr', 'ok'],
      ['registry', 'ok'],
      ['topics', 'skipped'],
    ]);
    expect(byId(report).brokers!.summary).toBe('1 of 1 registered (1)');
    expect(byId(report).quorum!.summary).toMatch(/^leader 1 \(epoch \d+\); voters 1$/);
  });

  it('fails with exit 3 when the registry does not answer, naming its URL, and shows the table', async () => {
    const closed = await freePortBlock(1, PORT_BASE + 900);
    const result = await iotmsg(['health', '-b', dev.bootstrapServers.join(','), '--schema-registry', `http://127.0.0.1:${closed}`, '--env', 'dev'], { cwd: emptyDir });
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stdout).toMatch(new RegExp(`^failed\\s+schema registry answers\\s+http://127\\.0\\.0\\.1:${closed}: connection refused$`, 'm'));
    expect(result.stdout).toMatch(/^✗ unhealthy: 1 of 7 checks failed/m);
  });

  it('fails when fewer brokers are registered than expected', async () => {
    const result = await iotmsg(['health', ...target, '--expect-brokers', '2', '-o', 'json'], { cwd: emptyDir });
    expect(result.exitCode, result.stderr).toBe(3);
    expect(byId(JSON.parse(result.stdout) as HealthJson).brokers).toMatchObject({ status: 'failed', summary: '1 of 2 registered' });
  });

  it('exits 69 with one line when no broker can be reached', async () => {
    const result = await iotmsg(['health', '-b', '127.0.0.1:1', '--timeout', '3s'], { cwd: emptyDir });
    expect(result.exitCode, result.stderr).toBe(69);
    expect(result.stderr.split('\n')[0]).toBe('error: cannot reach Kafka at 127.0.0.1:1: connection refused');
    expect(result.stdout).toBe('');
  });

  it('checks that the topics of the chosen topics.yaml environment exist', async () => {
    const present = uniqueName('health-present');
    await withAdmin(dev.bootstrapServers, (admin) => admin.createTopics({ topics: [{ topic: present, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: false }));
    const dir = await mkdtemp(join(tmpdir(), 'iotmsg-health-project-'));
    await writeFile(
      join(dir, 'topics.yaml'),
      `environments:\n  dev:\n    brokers: [${dev.bootstrapServers.join(', ')}]\n    schemaRegistry: ${dev.schemaRegistryUrl}\ntopics:\n  - name: ${present}\n  - name: ${present}-missing\n`,
    );
    const result = await iotmsg(['health', '-o', 'json'], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(3);
    expect(byId(JSON.parse(result.stdout) as HealthJson).topics).toMatchObject({
      status: 'failed',
      summary: `1 of 2 topics of topics.yaml (dev) missing: ${present}-missing`,
      topics: [`${present}-missing`],
    });
  });
});

describe('a 3-broker cluster losing a broker', () => {
  let stateDir: string;
  let projectDir: string;
  let bootstrapServers: string[];
  let deployOutput: { health: HealthJson; bootstrapServers: string[]; schemaRegistryUrl: string };
  const topic = uniqueName('broker-loss');

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'iotmsg-cluster-prod-'));
    const base = await freePortBlock(7, PORT_BASE + 200);
    const up = await iotmsg(
      ['deploy', '--env', 'prod', '--runtime', 'local', '--state-dir', stateDir, '--broker-port', String(base), '--controller-port', String(base + 3), '--registry-port', String(base + 6), '--plaintext', '--health-check', '-o', 'json'],
      { timeoutMs: 240_000 },
    );
    expect(up.stderr).toBe('');
    expect(up.exitCode, up.stderr).toBe(0);
    deployOutput = JSON.parse(up.stdout) as typeof deployOutput;
    bootstrapServers = deployOutput.bootstrapServers;
    // A project whose prod environment is this cluster and declares the drill's topic.
    projectDir = await mkdtemp(join(tmpdir(), 'iotmsg-cluster-project-'));
    await writeFile(
      join(projectDir, 'topics.yaml'),
      `environments:\n  prod:\n    brokers: [${bootstrapServers.join(', ')}]\n    schemaRegistry: ${deployOutput.schemaRegistryUrl}\ntopics:\n  - name: ${topic}\n    partitions: 3\n    replicationFactor: 3\n`,
    );
  });

  afterAll(async () => {
    if (process.env.IOTMSG_KEEP_STACK === '1') return;
    await iotmsg(['deploy', 'down', '--state-dir', stateDir, '--volumes']);
    await rm(projectDir, { recursive: true, force: true });
  });

  it('deploy --health-check found every broker, a quorum leader and the registry', () => {
    expect(deployOutput.health.healthy).toBe(true);
    const checks = byId(deployOutput.health);
    expect(checks.brokers!.summary).toBe('3 of 3 registered (1, 2, 3)');
    expect(checks.quorum!.summary).toMatch(/^leader [123] \(epoch \d+\); voters 1, 2, 3$/);
    expect(checks.registry!.status).toBe('ok');
    expect(checks.topics!.status).toBe('skipped');
  });

  it('fails health within seconds naming the stopped broker, keeps taking acks=all writes, and is healthy again after a restart', async () => {
    await withAdmin(bootstrapServers, (admin) =>
      admin.createTopics({
        topics: [{ topic, numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }],
        // KafkaJS's own wait for leaders can fail on a busy machine; health --wait below is the wait.
        waitForLeaders: false,
      }),
    );
    const healthy = await iotmsg(['health', '-e', 'prod', '--wait', '30s', '-o', 'json'], { cwd: projectDir });
    expect(healthy.exitCode, healthy.stderr).toBe(0);

    await stopComponent(stateDir, 'kafka-2');
    try {
      const failing = await iotmsg(['health', '-e', 'prod', '-o', 'json'], { cwd: projectDir });
      expect(failing.exitCode, failing.stderr).toBe(3);
      expect(failing.durationMs).toBeLessThan(10_000);
      // Right after the stop, the broker answering metadata may not yet have applied the fencing:
      // broker 2 is then still registered but refuses connections. Either way health names it.
      const first = byId(JSON.parse(failing.stdout) as HealthJson);
      expect(first.brokers).toMatchObject({ status: 'failed', brokers: [2] });
      expect(first.brokers!.summary).toMatch(/^2 of 3 registered; missing broker 2$|^3 of 3 registered; broker 2 \(127\.0\.0\.1:\d+\) does not answer: connection refused$/);

      // Once an independent client sees broker 2 fenced, the replicas' state is settled too.
      await waitForBrokers(bootstrapServers, [1, 3]);
      const settled = await iotmsg(['health', '-e', 'prod', '-o', 'json'], { cwd: projectDir });
      expect(settled.exitCode, settled.stderr).toBe(3);
      const checks = byId(JSON.parse(settled.stdout) as HealthJson);
      expect(checks.brokers).toMatchObject({ status: 'failed', summary: '2 of 3 registered; missing broker 2', brokers: [2] });
      expect(checks['under-replicated']).toMatchObject({ status: 'failed', topics: [topic] });
      expect(checks['under-replicated']!.partitions!.map((p) => [p.partition, p.isr.includes(2)])).toEqual([
        [0, false],
        [1, false],
        [2, false],
      ]);
      expect(checks['under-replicated']!.summary).toContain(`${topic}-0 (not in sync: 2)`);
      // Two of three replicas in sync is still min.insync.replicas 2: no partition is below it.
      expect(checks['min-isr']!.status).toBe('ok');
      expect(checks['offline-partitions']!.status).toBe('ok');

      const producer = new Kafka({ clientId: 'iotmsg-test', brokers: bootstrapServers, logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
      try {
        const acks = await producer.send({ topic, acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ key: `device-${i}`, value: `reading ${i}` })) });
        expect(acks.every((a) => a.errorCode === 0)).toBe(true);
      } finally {
        await producer.disconnect();
      }
      const offsets = await withAdmin(bootstrapServers, (admin) => admin.fetchTopicOffsets(topic));
      expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(30);
    } finally {
      // Back to three brokers even when a check above failed: the tests after this one need them.
      await restartComponent(stateDir, 'kafka-2');
    }
    const recovered = await iotmsg(['health', '-e', 'prod', '--wait', '60s', '-o', 'json'], { cwd: projectDir, timeoutMs: 90_000 });
    expect(recovered.exitCode, recovered.stderr).toBe(0);
    const after = JSON.parse(recovered.stdout) as HealthJson;
    expect(after.healthy).toBe(true);
    expect(byId(after).topics!.summary).toBe('all 1 topic of topics.yaml (prod) exist');
  }, 180_000);

  /** Waits until every broker knows every partition of a topic, led and fully in sync; answers partition 0's leader. */
  async function leaderOnceInSync(name: string, partitions: number): Promise<number> {
    const partitionsSeenBy = (broker: string) =>
      withAdmin([broker], async (admin) => (await admin.fetchTopicMetadata({ topics: [name] })).topics[0]!.partitions).catch(() => []);
    for (let tries = 0; ; tries++) {
      const views = await Promise.all(bootstrapServers.map(partitionsSeenBy));
      const ready = views.every((seen) => seen.length === partitions && seen.every((p) => p.leader >= 0 && p.isr.length === 3));
      if (ready) return views[0]!.find((p) => p.partitionId === 0)!.leader;
      if (tries > 60) throw new Error(`the partitions of ${name} did not all get a leader and 3 in-sync replicas`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  it('iotmsg tail follows a topic through its leader stopping, says so once, and shows every message once', async () => {
    const followed = uniqueName('tail-failover');
    await withAdmin(bootstrapServers, (admin) =>
      admin.createTopics({ topics: [{ topic: followed, numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }], waitForLeaders: false }),
    );
    const leaderOf0 = await leaderOnceInSync(followed, 3);
    const producer = new Kafka({ clientId: 'iotmsg-test', brokers: bootstrapServers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const send = (from: number) => producer.send({ topic: followed, acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ value: `m${from + i}`, partition: i % 3 })) });
    const values = (text: string) => text.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { value: string }).value);
    try {
      await send(0);
      const follower = new RunningIotmsg(['tail', followed, '-e', 'prod', '--from-beginning'], projectDir);
      await follower.waitFor('stdout', (text) => values(text).length >= 30);
      await stopComponent(stateDir, `kafka-${leaderOf0}`);
      try {
        await send(30);
        await follower.waitFor('stdout', (text) => values(text).length >= 60, 60_000);
        await follower.waitFor('stderr', (text) => text.includes('changed'));
      } finally {
        follower.child.kill('SIGINT');
        await restartComponent(stateDir, `kafka-${leaderOf0}`);
      }
      const ended = await follower.child;
      expect(ended.exitCode, ended.stderr).toBe(0);
      expect(values(ended.stdout).sort()).toEqual(Array.from({ length: 60 }, (_, i) => `m${i}`).sort());
      expect(ended.stderr.match(/the leaders of topic .* changed/g)).toHaveLength(1);
    } finally {
      await producer.disconnect();
    }
  }, 150_000);

  it('iotmsg produce rides out a leader stopping mid-run: every message is written exactly once', async () => {
    const moving = uniqueName('leader-move');
    await withAdmin(bootstrapServers, (admin) =>
      admin.createTopics({ topics: [{ topic: moving, numPartitions: 6, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }], waitForLeaders: false }),
    );
    const leaderOf0 = await leaderOnceInSync(moving, 6);

    const count = 12_000;
    const schema = fileURLToPath(new URL('../../schemas/sensor-data.avsc', import.meta.url));
    const producing = execa(
      'node',
      [iotmsgBin, 'produce', moving, '-e', 'prod', '--schema', schema, '--subject', `${moving}-value`, '--generate', String(count), '--seed', '3', '--rate', '3000', '-o', 'json'],
      { cwd: projectDir, reject: false, env: { NO_COLOR: '1' } },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await stopComponent(stateDir, `kafka-${leaderOf0}`);
    const produced = await producing;
    await restartComponent(stateDir, `kafka-${leaderOf0}`);

    expect(produced.exitCode, produced.stderr).toBe(0);
    expect((JSON.parse(produced.stdout) as { acknowledged: number }).acknowledged).toBe(count);
    // Retried batches carry their sequence numbers: the brokers keep each message once.
    const offsets = await withAdmin(bootstrapServers, (admin) => admin.fetchTopicOffsets(moving));
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(count);
    const moved = await withAdmin(bootstrapServers, async (admin) => (await admin.fetchTopicMetadata({ topics: [moving] })).topics[0]!.partitions.find((p) => p.partitionId === 0)!.leader);
    expect(moved).not.toBe(-1);
  }, 120_000);

  it('shows status and logs of the local deployment', async () => {
    const status = await iotmsg(['deploy', 'status', '--state-dir', stateDir, '-o', 'json']);
    expect(status.exitCode, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { runtime: string; components: { name: string; running: boolean }[] }).components.map((c) => [c.name, c.running])).toEqual([
      ['kafka-1', true],
      ['kafka-2', true],
      ['kafka-3', true],
      ['schema-registry', true],
    ]);

    const one = await iotmsg(['deploy', 'logs', 'kafka-1', '--state-dir', stateDir, '--tail', '3']);
    expect(one.exitCode, one.stderr).toBe(0);
    expect(one.stdout.trimEnd().split('\n')).toHaveLength(3);

    const all = await iotmsg(['deploy', 'logs', '--state-dir', stateDir, '--tail', '1']);
    expect(all.stdout.trimEnd().split('\n').map((l) => l.split(' | ')[0]!.trim())).toEqual(['kafka-1', 'kafka-2', 'kafka-3', 'schema-registry']);

    const unknown = await iotmsg(['deploy', 'logs', 'kafka-9', '--state-dir', stateDir]);
    expect(unknown.exitCode, unknown.stderr).toBe(64);
    expect(unknown.stderr).toBe('error: no service named "kafka-9"\nhint: services with logs: kafka-1, kafka-2, kafka-3, schema-registry');
  });

  it('follows a log until Ctrl-C', async () => {
    const follower = execa('node', [iotmsgBin, 'deploy', 'logs', 'kafka-3', '--state-dir', stateDir, '--tail', '0', '--follow'], { reject: false });
    let seen = '';
    follower.stdout.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    const marker = uniqueName('follow-marker');
    // Written until it shows: lines written before the follower took its starting offset are not followed.
    const deadline = Date.now() + 15_000;
    while (!seen.includes(marker) && Date.now() < deadline) {
      await appendFile(join(stateDir, 'logs', 'kafka-3.log'), `${marker}\n`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    follower.kill('SIGINT');
    const result = await follower;
    expect(seen).toContain(`${marker}\n`);
    expect(result.exitCode, result.stderr).toBe(130);
  });
});
