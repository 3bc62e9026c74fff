import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { iotmsg, iotmsgBin } from '../support/cli.js';
import { freePortBlock, testPortBase } from '../support/cluster.js';
import { withAdmin } from '../support/kafka.js';
import { processesOf } from '../support/processes.js';

/** Retries `work` for up to 15 s while it fails (metadata still propagating between brokers). */
async function eventually<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(200);
    }
  }
}

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const stateDirs: string[] = [];
async function newStateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iotmsg-runtime-'));
  stateDirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const dir of stateDirs.splice(0)) {
    await iotmsg(['deploy', 'down', '--state-dir', dir, '--volumes']);
    await rm(dir, { recursive: true, force: true });
  }
});

function deployArgs(env: string, stateDir: string, base: number, brokers: number): string[] {
  return ['deploy', '--env', env, '--state-dir', stateDir, '--broker-port', String(base), '--controller-port', String(base + brokers), '--registry-port', String(base + 2 * brokers), '-o', 'json'];
}

describe('iotmsg deploy --runtime local', () => {
  it('brings up dev as 1 broker + registry and deploy down leaves no process behind', async () => {
    const stateDir = await newStateDir();
    const base = await freePortBlock(3, testPortBase() + 300);
    const up = await iotmsg(deployArgs('dev', stateDir, base, 1));
    expect(up.stderr).toBe('');
    expect(up.exitCode).toBe(0);
    const state = JSON.parse(up.stdout) as { bootstrapServers: string[]; schemaRegistryUrl: string };

    const cluster = await withAdmin(state.bootstrapServers, (admin) => admin.describeCluster());
    expect(cluster.brokers.map((b) => b.port)).toEqual([base]);
    const subjects = await fetch(`${state.schemaRegistryUrl}/subjects`);
    expect(subjects.status).toBe(200);
    expect(await subjects.json()).toEqual([]);
    const compatibility = (await (await fetch(`${state.schemaRegistryUrl}/config`)).json()) as { compatibilityLevel: string };
    expect(compatibility.compatibilityLevel).toBe('BACKWARD');
    expect(processesOf(stateDir)).toHaveLength(2);

    const status = await iotmsg(['deploy', 'status', '--state-dir', stateDir, '-o', 'json']);
    expect(status.exitCode).toBe(0);
    expect((JSON.parse(status.stdout) as { components: { running: boolean }[] }).components.map((c) => c.running)).toEqual([true, true]);

    const down = await iotmsg(['deploy', 'down', '--state-dir', stateDir, '-o', 'json']);
    expect(down.exitCode).toBe(0);
    expect((JSON.parse(down.stdout) as { stopped: string[] }).stopped).toEqual(['kafka-1', 'schema-registry']);
    expect(processesOf(stateDir)).toEqual([]);
    expect(existsSync(join(stateDir, 'data', 'kafka-1'))).toBe(true);
  });

  it('brings up prod as 3 brokers with RF 3, min ISR 2, no unclean election and no auto-created topics', async () => {
    const stateDir = await newStateDir();
    const base = await freePortBlock(7, testPortBase() + 400);
    // Plain KafkaJS checks the settings below; security-runtime.test.ts covers the secured default.
    const up = await iotmsg([...deployArgs('prod', stateDir, base, 3), '--plaintext']);
    expect(up.exitCode).toBe(0);
    const { bootstrapServers } = JSON.parse(up.stdout) as { bootstrapServers: string[] };
    expect(bootstrapServers).toHaveLength(3);

    await withAdmin(bootstrapServers, async (admin) => {
      expect((await admin.describeCluster()).brokers.map((b) => b.nodeId)).toEqual([1, 2, 3]);
      // Created without a replication factor: the broker default applies.
      await admin.createTopics({ topics: [{ topic: 'defaults-probe', numPartitions: 2 }], waitForLeaders: false });
      // Right after a create, the broker asked may not have the topic's metadata yet.
      const configs = await eventually(() => admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'defaults-probe' }] }));
      const value = (name: string) => configs.resources[0]!.configEntries.find((e) => e.configName === name)?.configValue;
      expect(value('min.insync.replicas')).toBe('2');
      expect(value('unclean.leader.election.enable')).toBe('false');
      const brokerConfigs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 4, name: '1' }] });
      const broker = (name: string) => brokerConfigs.resources[0]!.configEntries.find((e) => e.configName === name)?.configValue;
      expect(broker('default.replication.factor')).toBe('3');
      expect(broker('auto.create.topics.enable')).toBe('false');
    });

    const down = await iotmsg(['deploy', 'down', '--state-dir', stateDir]);
    expect(down.exitCode).toBe(0);
    expect(down.stdout).toContain('prod: stopped kafka-1, kafka-2, kafka-3, schema-registry');
    expect(processesOf(stateDir)).toEqual([]);
  });

  it('refuses to start on a port that is taken, naming the port, and starts nothing', async () => {
    const stateDir = await newStateDir();
    const base = await freePortBlock(3, testPortBase() + 500);
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(base + 2, '127.0.0.1', resolve));
    try {
      const up = await iotmsg(deployArgs('dev', stateDir, base, 1));
      expect(up.exitCode).toBe(69);
      expect(up.stderr.split('\n')[0]).toBe(`error: port ${base + 2} on 127.0.0.1 is already in use, so the dev cluster cannot start`);
      expect(processesOf(stateDir)).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('stops what it started when a component fails half-way, and names it and its log', async () => {
    const stateDir = await newStateDir();
    const base = await freePortBlock(3, testPortBase() + 600);
    expect((await iotmsg(deployArgs('dev', stateDir, base, 1))).exitCode).toBe(0);
    expect((await iotmsg(['deploy', 'down', '--state-dir', stateDir])).exitCode).toBe(0);
    // The data now claims another node id: the broker starts, then refuses the data.
    const meta = join(stateDir, 'data', 'kafka-1', 'meta.properties');
    writeFileSync(meta, readFileSync(meta, 'utf8').replace(/^node\.id=\d+$/m, 'node.id=99'));

    const up = await iotmsg(deployArgs('dev', stateDir, base, 1));
    expect(up.exitCode).toBe(69);
    const [message, hint] = up.stderr.split('\n');
    expect(message).toMatch(/^error: kafka-1 exited while starting: .*node.id/i);
    expect(hint).toBe(`hint: full log: ${join(stateDir, 'logs', 'kafka-1.log')}`);
    expect(processesOf(stateDir)).toEqual([]);
  });

  it('stops the JVMs it started when interrupted with Ctrl-C half-way', async () => {
    const stateDir = await newStateDir();
    const base = await freePortBlock(3, testPortBase() + 700);
    const deploy = execa('node', [iotmsgBin, ...deployArgs('dev', stateDir, base, 1)], { reject: false });
    const deadline = Date.now() + 60_000;
    while (processesOf(stateDir).length < 2 && Date.now() < deadline) await sleep(100);
    expect(processesOf(stateDir)).toHaveLength(2);
    deploy.kill('SIGINT');
    const result = await deploy;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain('error: interrupted while waiting for');
    expect(processesOf(stateDir)).toEqual([]);
  });

  it("deploy --apply gives a ready platform: the repository's own topics and schemas (the README quick start)", async () => {
    const stateDir = await newStateDir();
    const base = await freePortBlock(3, testPortBase() + 800);
    const up = await iotmsg([...deployArgs('dev', stateDir, base, 1), '--apply'], { cwd: REPO_ROOT });
    expect(up.exitCode).toBe(0);
    const deployed = JSON.parse(up.stdout) as { bootstrapServers: string[]; schemaRegistryUrl: string; applied: unknown };
    expect(deployed.applied).toEqual({ topics: 0, schemas: 0 });

    const topics = await withAdmin(deployed.bootstrapServers, (admin) => admin.listTopics());
    for (const name of ['sensor-data', 'sensor-data.dlq', 'sensor-data.dlq.poison', 'device-events', 'audit-logs', 'telemetry.raw', 'telemetry.clean']) {
      expect(topics).toContain(name);
    }
    const subjects = (await (await fetch(`${deployed.schemaRegistryUrl}/subjects`)).json()) as string[];
    expect(subjects.sort()).toEqual(['device-events-value', 'sensor-data-value']);

    const plan = await iotmsg(['plan', '--detailed-exitcode', '-b', deployed.bootstrapServers.join(','), '--schema-registry', deployed.schemaRegistryUrl], { cwd: REPO_ROOT });
    expect(plan.exitCode).toBe(0);
  });
});
