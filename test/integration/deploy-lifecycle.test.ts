import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readLocalClusterState, stopComponent } from '../../src/adapters/runtime/localCluster.js';
import { isAlive } from '../../src/adapters/runtime/supervisor.js';
import type { CheckResult } from '../../src/core/cluster/health.js';
import { iotmsg, iotmsgBin } from '../support/cli.js';
import { freePortBlock, testPortBase } from '../support/cluster.js';
import { withAdmin } from '../support/kafka.js';
import { uniqueName } from '../support/names.js';

/**
 * The lifecycle of a local deployment as a platform engineer lives it: a broker dies and
 * `deploy` brings back only that one; two deploys race; a restart with data is judged once
 * its replicas caught up; a crashed broker is noticed at once.
 */

interface DeployJson {
  bootstrapServers: string[];
  schemaRegistryUrl: string;
  started: string[];
  alreadyRunning: string[];
  stopWith: string;
  health?: { healthy: boolean; checks: CheckResult[] };
}

const PORT_BASE = testPortBase();

async function pids(stateDir: string): Promise<Record<string, number>> {
  const state = await readLocalClusterState(stateDir);
  return Object.fromEntries((state?.components ?? []).map((c) => [c.name, c.pid]));
}

/** Running, not merely a zombie nobody reaped yet (the CLI that started it has exited). */
const alive = (pid: number) => isAlive(pid);

describe('deploy of a prod cluster that is partly running', () => {
  let stateDir: string;
  let deployArgs: string[];
  let bootstrapServers: string[];
  const topic = uniqueName('lifecycle');

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'iotmsg-lifecycle-prod-'));
    const base = await freePortBlock(7, PORT_BASE + 600);
    // A lifecycle drill with a plain client: the secured prod listeners have their own tests.
    deployArgs = ['deploy', '--env', 'prod', '--plaintext', '--runtime', 'local', '--state-dir', stateDir, '--broker-port', String(base), '--controller-port', String(base + 3), '--registry-port', String(base + 6), '-o', 'json'];
    const up = await iotmsg(deployArgs, { timeoutMs: 240_000 });
    expect(up.exitCode, up.stderr).toBe(0);
    bootstrapServers = (JSON.parse(up.stdout) as DeployJson).bootstrapServers;
    await withAdmin(bootstrapServers, (admin) =>
      admin.createTopics({ topics: [{ topic, numPartitions: 24, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }], waitForLeaders: false }),
    );
    const health = await iotmsg(['health', '-b', bootstrapServers.join(','), '--expect-brokers', '3', '--no-registry', '--wait', '60s'], { cwd: stateDir });
    expect(health.exitCode, health.stdout).toBe(0);
  }, 300_000);

  afterAll(async () => {
    if (process.env.IOTMSG_KEEP_STACK === '1') return;
    await iotmsg(['deploy', 'down', '--state-dir', stateDir, '--volumes']);
  });

  it('starts only the stopped broker, says so, keeps the others and the data, and judges health once the replicas caught up', async () => {
    await stopComponent(stateDir, 'kafka-2');
    // Written while kafka-2 is down: it has to fetch all of it before it is back in sync.
    const producer = new Kafka({ clientId: 'iotmsg-test', brokers: [bootstrapServers[0]!], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const count = 48_000;
    try {
      for (let batch = 0; batch < 12; batch++) {
        await producer.send({ topic, acks: -1, messages: Array.from({ length: count / 12 }, (_, i) => ({ key: `device-${batch}-${i}`, value: 'x'.repeat(200) })) });
      }
    } finally {
      await producer.disconnect();
    }
    const before = await pids(stateDir);

    const again = await iotmsg([...deployArgs, '--health-check'], { timeoutMs: 240_000 });
    expect(again.exitCode, again.stderr + again.stdout).toBe(0);
    const deployed = JSON.parse(again.stdout) as DeployJson;
    expect(deployed.started).toEqual(['kafka-2']);
    expect(deployed.alreadyRunning).toEqual(['kafka-1', 'kafka-3', 'schema-registry']);
    const after = await pids(stateDir);
    for (const name of ['kafka-1', 'kafka-3', 'schema-registry']) expect(after[name], name).toBe(before[name]);
    expect(after['kafka-2']).not.toBe(before['kafka-2']);
    expect(alive(after['kafka-2']!)).toBe(true);
    // Judged after kafka-2 caught up: every partition back at 3 in-sync replicas.
    expect(deployed.health!.healthy, JSON.stringify(deployed.health!.checks)).toBe(true);
    expect(deployed.health!.checks.find((c) => c.id === 'under-replicated')!.status).toBe('ok');
    const offsets = await withAdmin(bootstrapServers, (admin) => admin.fetchTopicOffsets(topic));
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(count);

    const table = await iotmsg(deployArgs.slice(0, -2));
    expect(table.exitCode, table.stderr).toBe(0);
    expect(table.stdout).toContain('nothing to start; already running, left as they were: kafka-1, kafka-2, kafka-3, schema-registry');
  }, 300_000);

  it('refuses a deploy of the running cluster on other ports, naming them, and leaves it alone', async () => {
    const before = await pids(stateDir);
    const moved = deployArgs.map((arg, i) => (deployArgs[i - 1] === '--broker-port' ? String(Number(arg) + 50) : arg));
    const result = await iotmsg(moved);
    expect(result.exitCode).toBe(64);
    const port = Number(deployArgs[deployArgs.indexOf('--broker-port') + 1]);
    expect(result.stderr.split('\n')[0]).toBe(`error: the prod cluster in ${stateDir} is running on other ports: --broker-port ${port + 50} asked, ${port} running`);
    expect(await pids(stateDir)).toEqual(before);
  });

  it('health notices a broker that crashed at once, before the controller fences it', async () => {
    await stopComponent(stateDir, 'kafka-3', { kill: true });
    try {
      const failing = await iotmsg(['health', '-b', bootstrapServers.join(','), '--expect-brokers', '3', '--no-registry', '-o', 'json'], { cwd: stateDir });
      expect(failing.exitCode, failing.stderr).toBe(3);
      const brokers = (JSON.parse(failing.stdout) as { checks: CheckResult[] }).checks.find((c) => c.id === 'brokers')!;
      expect(brokers.status).toBe('failed');
      expect(brokers.brokers).toEqual([3]);
      // Either still registered and not answering, or already fenced: both name broker 3.
      expect(brokers.summary).toMatch(/broker 3 \(127\.0\.0\.1:\d+\) does not answer: connection refused|missing broker 3/);
    } finally {
      const back = await iotmsg(deployArgs, { timeoutMs: 240_000 });
      expect(back.exitCode, back.stderr).toBe(0);
      expect((JSON.parse(back.stdout) as DeployJson).started).toEqual(['kafka-3']);
    }
  }, 300_000);
});

describe('deploy of a dev cluster', () => {
  const dev = inject('devCluster');
  const stateDirs: string[] = [];
  afterAll(async () => {
    for (const dir of stateDirs) await iotmsg(['deploy', 'down', '--state-dir', dir, '--volumes']);
  });

  async function devArgs(): Promise<string[]> {
    const stateDir = await mkdtemp(join(tmpdir(), 'iotmsg-lifecycle-dev-'));
    stateDirs.push(stateDir);
    const base = await freePortBlock(3, PORT_BASE + 700);
    return ['deploy', '--env', 'dev', '--runtime', 'local', '--state-dir', stateDir, '--broker-port', String(base), '--controller-port', String(base + 1), '--registry-port', String(base + 2)];
  }

  it('lets a second deploy of the same state directory say that another deploy (pid) runs, and leaves the first alone', async () => {
    const args = await devArgs();
    const stateDir = args[args.indexOf('--state-dir') + 1]!;
    const first = execa('node', [iotmsgBin, ...args, '-o', 'json'], { reject: false, env: { NO_COLOR: '1' } });
    // Once the first holds the lock (its JVMs are starting), the second one tries.
    const deadline = Date.now() + 60_000;
    while (Object.keys(await pids(stateDir).catch(() => ({}))).length === 0 && Date.now() < deadline) await sleep(100);
    const second = await iotmsg([...args, '-o', 'json']);
    expect(second.exitCode).toBe(69);
    expect(second.stderr.split('\n')[0]).toBe(`error: another deploy (pid ${first.pid}) is running on ${stateDir}`);
    const result = await first;
    expect(result.exitCode, result.stderr).toBe(0);
    const running = await pids(stateDir);
    expect(Object.keys(running)).toEqual(['kafka-1', 'schema-registry']);
    expect(Object.values(running).every(alive)).toBe(true);
  }, 240_000);

  it('prints its summary once, on stdout, with a "stop with" command that stops it', async () => {
    const args = await devArgs();
    const up = await iotmsg([...args, '--no-registry']);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stderr).toBe('');
    expect(up.stdout.match(/dev cluster is up/g)).toHaveLength(1);
    const stopWith = /^stop with\s+(.*)$/m.exec(up.stdout)![1]!;
    expect(stopWith).toBe(`iotmsg deploy down --env dev --state-dir ${args[args.indexOf('--state-dir') + 1]}`);
    const before = await pids(args[args.indexOf('--state-dir') + 1]!);
    // The profile's default heap, 1 GB, as the JVM was given it.
    const jvmArgs = (await readFile(`/proc/${before['kafka-1']}/cmdline`, 'utf8')).split('\0');
    expect(jvmArgs.filter((arg) => arg.startsWith('-Xmx'))).toEqual(['-Xmx1024m']);
    const down = await iotmsg(stopWith.split(' ').slice(1));
    expect(down.exitCode, down.stderr).toBe(0);
    expect(down.stdout).toBe('✓ dev: stopped kafka-1');
    expect(alive(before['kafka-1']!)).toBe(false);
  }, 120_000);

  it('still prints where the cluster runs when --apply fails, and exits with the failure', async () => {
    const args = await devArgs();
    const project = await mkdtemp(join(tmpdir(), 'iotmsg-lifecycle-project-'));
    // Valid offline, refused by a 1-broker cluster: replication 3.
    await writeFile(join(project, 'topics.yaml'), `environments:\n  dev: {}\ntopics:\n  - name: ${uniqueName('rf3')}\n    replicationFactor: 3\n`);
    const up = await iotmsg([...args, '--no-registry', '--apply'], { cwd: project });
    await rm(project, { recursive: true, force: true });
    expect(up.exitCode).not.toBe(0);
    expect(up.stdout).toContain('dev cluster is up');
    expect(up.stdout).toMatch(/^bootstrap servers\s+127\.0\.0\.1:\d+$/m);
    expect(up.stdout).toMatch(/^stop with\s+iotmsg deploy down --env dev --state-dir /m);
    expect(up.stderr).toMatch(/^error: /m);
  }, 120_000);

  it.each([
    ['--broker-heap', ['--broker-heap', '64m'], {}],
    ['IOTMSG_BROKER_HEAP', [], { IOTMSG_BROKER_HEAP: '64m' }],
  ])('names an OutOfMemoryError as the cause when a broker given too small a heap by %s dies while starting', async (_source, flags, env) => {
    const args = await devArgs();
    const up = await iotmsg([...args, '--no-registry', ...flags], { env });
    expect(up.exitCode).toBe(69);
    const [message, hint] = up.stderr.split('\n');
    expect(message).toBe('error: kafka-1 exited while starting: out of memory (java.lang.OutOfMemoryError: Java heap space)');
    expect(hint).toMatch(/^hint: its heap \(64 MB\) is too small: give it more with --broker-heap/);
    const state = await readLocalClusterState(args[args.indexOf('--state-dir') + 1]!);
    expect(state).toBeUndefined();
  }, 120_000);

  it('a saved plan whose create the broker refuses prints no "created 0 topics" before the error', async () => {
    const project = await mkdtemp(join(tmpdir(), 'iotmsg-lifecycle-plan-'));
    const name = uniqueName('neg-partitions');
    await writeFile(join(project, 'topics.yaml'), `environments:\n  dev:\n    brokers: [${dev.bootstrapServers.join(', ')}]\ntopics:\n  - name: ${name}\n`);
    const plan = await iotmsg(['topics', 'plan', '--env', 'dev', '--out', 'plan.json'], { cwd: project });
    expect(plan.exitCode, plan.stderr).toBe(0);
    await writeFile(join(project, 'plan.json'), (await readFile(join(project, 'plan.json'), 'utf8')).replace(/"partitions": \d+/, '"partitions": -3'));
    const apply = await iotmsg(['topics', 'apply', 'plan.json', '--yes'], { cwd: project });
    await rm(project, { recursive: true, force: true });
    expect(apply.exitCode).not.toBe(0);
    expect(apply.stderr).toMatch(/^error: /m);
    expect(apply.stderr).not.toContain('created 0 topics');
    expect(apply.stderr).not.toContain('✓');
  });
});
