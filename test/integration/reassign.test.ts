import { execa, type ResultPromise } from 'execa';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iotmsg, iotmsgBin } from '../support/cli.js';
import { startTestCluster, stopTestCluster, type TestCluster } from '../support/cluster.js';
import { kafkaTool } from '../support/kafkaTools.js';
import { kcat } from '../support/kcat.js';
import { uniqueName } from '../support/names.js';
import { removeTopicsProjects, rewriteTopics, topicsProject } from '../support/topicsProject.js';

/** Three brokers of our own: replicas can go from one to three and back. */
let cluster: TestCluster;
let bootstrap: string;

beforeAll(async () => {
  cluster = await startTestCluster('prod', false);
  bootstrap = cluster.bootstrapServers.join(',');
});

afterAll(async () => {
  await removeTopicsProjects();
  if (cluster) await stopTestCluster(cluster);
});

function projectYaml(topic: string, partitions: number, replicationFactor: number, protectedTopics: string[] = []): string {
  return [
    'environments:',
    '  prod:',
    `    brokers: [${cluster.bootstrapServers.join(', ')}]`,
    `    protectedTopics: [${protectedTopics.join(', ')}]`,
    'topics:',
    `  - name: ${topic}`,
    `    partitions: ${partitions}`,
    `    replicationFactor: ${replicationFactor}`,
    '',
  ].join('\n');
}

interface PartitionState {
  leader: number;
  replicas: number[];
  isr: number[];
}

/** What Kafka's own kafka-topics says of each partition. */
async function described(topic: string): Promise<PartitionState[]> {
  const result = await kafkaTool('topics', ['--bootstrap-server', bootstrap, '--describe', '--topic', topic]);
  expect(result.exitCode, result.stderr).toBe(0);
  const ids = (text: string): number[] => (text === '' ? [] : text.split(',').map(Number));
  return [...result.stdout.matchAll(/Partition: (\d+)\s+Leader: (-?\d+)\s+Replicas: ([\d,]*)\s+Isr: ([\d,]*)/g)]
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => ({ leader: Number(m[2]), replicas: ids(m[3]!), isr: ids(m[4]!) }));
}

/** Every message of the topic as kcat reads it, key and value, sorted. */
async function messages(topic: string): Promise<string[]> {
  const read = await kcat(['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k=%s\\n']);
  expect(read.exitCode, read.stderr).toBe(0);
  return read.stdout.split('\n').filter(Boolean).sort();
}

async function produce(topic: string, count: number, size: number): Promise<void> {
  const lines = Array.from({ length: count }, (_, i) => `k${i}:${String(i).padStart(size, 'x')}`).join('\n');
  const sent = await kcat(['-b', bootstrap, '-P', '-t', topic, '-K', ':'], { input: `${lines}\n` });
  expect(sent.exitCode, sent.stderr).toBe(0);
}

/** Replication throttled to a crawl with Kafka's own kafka-configs, so that a move stays in flight. */
async function throttle(topic: string, on: boolean): Promise<void> {
  const rates = 'leader.replication.throttled.rate=20000,follower.replication.throttled.rate=20000';
  const replicas = 'leader.replication.throttled.replicas=*,follower.replication.throttled.replicas=*';
  for (const [entity, configs] of [
    [['--entity-type', 'brokers', '--entity-default'], rates],
    [['--entity-type', 'topics', '--entity-name', topic], replicas],
  ] as const) {
    const change = on ? ['--add-config', configs] : ['--delete-config', configs.split(',').map((c) => c.split('=')[0]).join(',')];
    const result = await kafkaTool('configs', ['--bootstrap-server', bootstrap, '--alter', ...entity, ...change]);
    expect(result.exitCode, result.stderr).toBe(0);
  }
}

interface StatusDocument {
  outcome: string;
  moves: { partition: number; from: number[]; to: number[] }[];
}

async function status(topic: string): Promise<StatusDocument> {
  const shown = await iotmsg(['topics', 'reassign', topic, '-b', bootstrap, '-o', 'json']);
  expect(shown.exitCode, shown.stderr).toBe(0);
  return JSON.parse(shown.stdout) as StatusDocument;
}

/** Starts a reassignment in the background and stops it with Ctrl-C once the cluster shows it moving. */
async function interruptedReassign(topic: string, replicationFactor: number, extra: string[] = []): Promise<{ exitCode: number | undefined; stderr: string }> {
  const child: ResultPromise<{ reject: false }> = execa('node', [iotmsgBin, 'topics', 'reassign', topic, '--replication-factor', String(replicationFactor), '--yes', '-b', bootstrap, ...extra], {
    reject: false,
    env: { NO_COLOR: '1' },
  });
  for (let i = 0; i < 100 && (await status(topic)).outcome !== 'moving'; i++) await sleep(200);
  child.kill('SIGINT');
  const result = await child;
  return { exitCode: result.exitCode, stderr: String(result.stderr) };
}

/** The dynamic configs kafka-configs reports for a broker or a topic. */
async function dynamicConfigs(entity: 'brokers' | 'topics', name: string): Promise<Record<string, string>> {
  const result = await kafkaTool('configs', ['--bootstrap-server', bootstrap, '--describe', '--entity-type', entity, '--entity-name', name]);
  expect(result.exitCode, result.stderr).toBe(0);
  return Object.fromEntries([...result.stdout.matchAll(/^\s+([\w.]+)=(\S*) sensitive=/gm)].map((m) => [m[1]!, m[2]!]));
}

describe('replication-factor changes on a 3-broker cluster', () => {
  it('--throttle limits the moves on the brokers involved, a re-run can raise it, and it is removed at the end', async () => {
    const topic = uniqueName('rf-throttle');
    const dir = await topicsProject(projectYaml(topic, 1, 1));
    expect((await iotmsg(['topics', 'apply', '--env', 'prod', '--yes'], { cwd: dir })).exitCode).toBe(0);
    await produce(topic, 3000, 1000);
    const [original] = await described(topic);
    const leader = original!.replicas[0]!;

    expect((await interruptedReassign(topic, 2, ['--throttle', '20KiB/s'])).exitCode).toBe(130);
    const [move] = (await status(topic)).moves;
    const added = move!.to.find((id) => id !== leader)!;
    expect(await dynamicConfigs('topics', topic)).toMatchObject({ 'leader.replication.throttled.replicas': `0:${leader}`, 'follower.replication.throttled.replicas': `0:${added}` });
    for (const id of [leader, added]) {
      expect(await dynamicConfigs('brokers', String(id))).toMatchObject({ 'leader.replication.throttled.rate': '20480', 'follower.replication.throttled.rate': '20480' });
    }

    const raised = await iotmsg(['topics', 'reassign', topic, '--replication-factor', '2', '--throttle', '100MiB/s', '--yes', '-b', bootstrap]);
    expect(raised.exitCode, raised.stderr).toBe(0);
    expect(raised.stderr).toContain(`replication throttled to 100MiB/s on brokers ${[leader, added].sort().join(',')} until the moves are done`);
    expect(raised.stderr).toContain('replication throttle removed');
    const [done] = await described(topic);
    expect([...done!.isr].sort()).toEqual([leader, added].sort());
    expect(Object.keys(await dynamicConfigs('topics', topic)).filter((k) => k.includes('throttled'))).toEqual([]);
    for (const id of [leader, added]) expect(Object.keys(await dynamicConfigs('brokers', String(id))).filter((k) => k.includes('throttled'))).toEqual([]);
  }, 180_000);

  it('goes 1 → 3 → 2 through topics.yaml with the preferred leaders kept and every message intact (read by kcat)', async () => {
    const topic = uniqueName('rf');
    const dir = await topicsProject(projectYaml(topic, 3, 1));
    expect((await iotmsg(['topics', 'apply', '--env', 'prod', '--yes'], { cwd: dir })).exitCode).toBe(0);
    await produce(topic, 600, 100);
    const sent = await messages(topic);
    expect(sent).toHaveLength(600);
    const before = await described(topic);

    await rewriteTopics(dir, projectYaml(topic, 3, 3));
    const plan = await iotmsg(['topics', 'plan', '--env', 'prod', '-o', 'json'], { cwd: dir });
    const planned = JSON.parse(plan.stdout) as { plan: { changes: { action: string; moves: { partition: number; from: number[]; to: number[] }[] }[] } };
    expect(planned.plan.changes.map((c) => c.action)).toEqual(['change-replication']);
    const up = await iotmsg(['topics', 'apply', '--env', 'prod', '--yes'], { cwd: dir });
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stdout).toContain('~ replication: 1 → 3, replicas moved in 3 partitions');
    const grown = await described(topic);
    // Exactly what the plan said, as Kafka's tool sees it; each partition's first replica is its old one.
    expect(grown.map((p) => p.replicas)).toEqual(planned.plan.changes[0]!.moves.map((m) => m.to));
    grown.forEach((p, i) => {
      expect(p.replicas[0]).toBe(before[i]!.replicas[0]);
      expect(new Set(p.replicas).size).toBe(3);
      expect([...p.isr].sort()).toEqual([...p.replicas].sort());
    });
    expect((await iotmsg(['topics', 'plan', '--env', 'prod', '--detailed-exitcode'], { cwd: dir })).exitCode).toBe(0);

    await rewriteTopics(dir, projectYaml(topic, 3, 2));
    const down = await iotmsg(['topics', 'apply', '--env', 'prod', '--yes'], { cwd: dir });
    expect(down.exitCode, down.stderr).toBe(0);
    const shrunk = await described(topic);
    shrunk.forEach((p, i) => {
      expect(p.replicas).toHaveLength(2);
      expect(p.replicas[0]).toBe(before[i]!.replicas[0]);
      expect(grown[i]!.replicas).toEqual(expect.arrayContaining(p.replicas));
    });
    expect(await messages(topic)).toEqual(sent);
  }, 180_000);

  it('topics reassign: Ctrl-C leaves the move in flight, plan and status show it, and apply waits for it to finish', async () => {
    const topic = uniqueName('rf-resume');
    const dir = await topicsProject(projectYaml(topic, 1, 1));
    expect((await iotmsg(['topics', 'apply', '--env', 'prod', '--yes'], { cwd: dir })).exitCode).toBe(0);
    await produce(topic, 3000, 1000);
    const [original] = await described(topic);
    await throttle(topic, true);

    const interrupted = await interruptedReassign(topic, 3);
    expect(interrupted.exitCode).toBe(130);
    expect(interrupted.stderr).toContain(`error: interrupted: the replicas of ${topic} go on moving in the cluster`);
    const moving = await status(topic);
    expect(moving.moves).toEqual([{ partition: 0, from: original!.replicas, to: expect.arrayContaining(original!.replicas) }]);
    expect(moving.moves[0]!.to).toHaveLength(3);

    await rewriteTopics(dir, projectYaml(topic, 1, 3));
    const plan = await iotmsg(['topics', 'plan', '--env', 'prod'], { cwd: dir });
    expect(plan.stdout).toContain('~ replicas of 1 partition moving (a reassignment in flight): apply waits for it');
    await throttle(topic, false);
    const apply = await iotmsg(['topics', 'apply', '--env', 'prod', '--yes'], { cwd: dir });
    expect(apply.exitCode, apply.stderr).toBe(0);
    const [done] = await described(topic);
    expect(done!.replicas).toEqual(moving.moves[0]!.to);
    expect([...done!.isr].sort()).toEqual([...done!.replicas].sort());
    expect((await status(topic)).outcome).toBe('nothing-to-move');
  }, 180_000);

  it('topics reassign --cancel asks first, refuses a protected topic, and puts the partition back on its replicas', async () => {
    const topic = uniqueName('rf-cancel');
    const dir = await topicsProject(projectYaml(topic, 1, 1, [topic]));
    expect((await iotmsg(['topics', 'apply', '--env', 'prod', '--yes'], { cwd: dir })).exitCode).toBe(0);
    await produce(topic, 3000, 1000);
    const [original] = await described(topic);
    await throttle(topic, true);
    expect((await interruptedReassign(topic, 2)).exitCode).toBe(130);

    const guarded = await iotmsg(['topics', 'reassign', topic, '--cancel', '--yes', '--env', 'prod'], { cwd: dir });
    expect(guarded.exitCode).toBe(1);
    expect(guarded.stderr).toContain(`error: refusing to cancel the replica moves of protected topic "${topic}"`);
    await rewriteTopics(dir, projectYaml(topic, 1, 1));
    const unasked = await iotmsg(['topics', 'reassign', topic, '--cancel', '--env', 'prod'], { cwd: dir });
    expect(unasked.exitCode).toBe(64);
    expect(unasked.stderr).toContain('without confirmation: there is no terminal to ask on');
    expect((await status(topic)).outcome).toBe('moving');

    const cancelled = await iotmsg(['topics', 'reassign', topic, '--cancel', '--yes', '--env', 'prod'], { cwd: dir });
    expect(cancelled.exitCode, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toContain(`cancelled the moves of 1 partition(s) of ${topic}`);
    await throttle(topic, false);
    const [after] = await described(topic);
    expect(after!.replicas).toEqual(original!.replicas);
    expect((await status(topic)).outcome).toBe('nothing-to-move');
  }, 180_000);
});
