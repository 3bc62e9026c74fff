import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { iotmsg, iotmsgBin } from '../support/cli.js';
import { withAdmin } from '../support/kafka.js';
import { uniqueName } from '../support/names.js';
import { createTopicsDirectly, removeTopicsProjects, rewriteTopics, topicNames, topicsProject, topicStates } from '../support/topicsProject.js';

const cluster = inject('devCluster');
const brokers = cluster.bootstrapServers;

afterAll(removeTopicsProjects);

/** A project whose only environment, "test", is the shared dev cluster; `parts` are extra YAML lines. */
function projectYaml(topics: string, parts: { defaults?: string; environment?: string } = {}): string {
  const defaults = parts.defaults === undefined ? '' : `defaults:\n${parts.defaults}`;
  return `${defaults}environments:\n  test:\n    brokers: [${brokers.join(', ')}]\n${parts.environment ?? ''}topics:\n${topics}`;
}

interface PlanJson {
  format: string;
  formatVersion: number;
  environment: string;
  prune: boolean;
  cluster: { clusterId: string; bootstrapServers: string[]; fingerprint: string };
  plan: {
    changes: { action: string; topic: string; [key: string]: unknown }[];
    unchanged: string[];
    unmanaged: string[];
    rejections: { topic: string; action: string; reason: string }[];
    summary: Record<string, number>;
    appliable: boolean;
  };
}

async function planJson(dir: string, ...args: string[]): Promise<{ exitCode: number; document: PlanJson; stderr: string }> {
  const result = await iotmsg(['topics', 'plan', '-o', 'json', ...args], { cwd: dir });
  return { exitCode: result.exitCode, document: JSON.parse(result.stdout) as PlanJson, stderr: result.stderr };
}

const mine = (prefix: string) => (change: { topic: string }) => change.topic.startsWith(prefix);

describe('topics plan and apply against the dev cluster', () => {
  it('creates missing topics with their DLQ siblings in one apply, and a second apply changes nothing', async () => {
    const p = uniqueName('tp-create');
    const dir = await topicsProject(
      projectYaml(`  - name: ${p}.orders\n    partitions: 3\n    configs:\n      retention.ms: 7d\n      compression.type: zstd\n    dlq: true\n`, {
        defaults: '  dlq:\n    partitions: 1\n    configs:\n      retention.ms: 30d\n',
      }),
    );
    const planned = await planJson(dir);
    expect(planned.exitCode).toBe(0);
    const creates = planned.document.plan.changes.filter(mine(p));
    expect(creates.map((c) => [c.action, c.topic, (c.spec as { dlqOf?: string }).dlqOf])).toEqual([
      ['create', `${p}.orders`, undefined],
      ['create', `${p}.orders.dlq`, `${p}.orders`],
      ['create', `${p}.orders.dlq.validation_error`, `${p}.orders`],
      ['create', `${p}.orders.dlq.processing_error`, `${p}.orders`],
      ['create', `${p}.orders.dlq.poison`, `${p}.orders`],
    ]);

    const applied = await iotmsg(['topics', 'apply', '--yes'], { cwd: dir });
    expect(applied.stderr).toContain('created 5 topics');
    expect(applied.exitCode).toBe(0);
    const states = await topicStates(brokers, creates.map((c) => c.topic));
    expect(states.get(`${p}.orders`)).toEqual({ partitions: 3, replicationFactor: 1, overrides: { 'retention.ms': '604800000', 'compression.type': 'zstd' } });
    expect(states.get(`${p}.orders.dlq.poison`)).toEqual({ partitions: 1, replicationFactor: 1, overrides: { 'retention.ms': '2592000000' } });

    const again = await iotmsg(['topics', 'apply', '--yes'], { cwd: dir });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('No changes.');
    expect(again.stderr).not.toContain('created');
  });

  it('adds partitions, changes a config old → new and removes an override the file dropped, keeping the rest', async () => {
    const p = uniqueName('tp-update');
    const topic = `${p}.events`;
    const dir = await topicsProject(projectYaml(`  - name: ${topic}\n    partitions: 3\n    configs:\n      retention.ms: 7d\n      segment.ms: 1h\n      compression.type: zstd\n`));
    expect((await iotmsg(['topics', 'apply', '--yes'], { cwd: dir })).exitCode).toBe(0);

    await rewriteTopics(dir, projectYaml(`  - name: ${topic}\n    partitions: 5\n    configs:\n      retention.ms: 3d\n      compression.type: zstd\n`));
    const planned = await planJson(dir);
    expect(planned.document.plan.changes.filter(mine(p))).toEqual([
      { action: 'add-partitions', topic, from: 3, to: 5 },
      {
        action: 'update-configs',
        topic,
        configs: [
          { op: 'set', name: 'retention.ms', from: '604800000', to: '259200000' },
          { op: 'delete', name: 'segment.ms', from: '3600000' },
        ],
      },
    ]);
    const human = await iotmsg(['topics', 'plan', '--detailed-exitcode'], { cwd: dir });
    expect(human.exitCode).toBe(2);
    expect(human.stdout).toContain(`  ~ ${topic}\n      ~ partitions: 3 → 5\n      ~ retention.ms: 604800000 (7d) → 259200000 (3d)\n      - segment.ms: 3600000 (1h)`);

    const applied = await iotmsg(['topics', 'apply', '--yes'], { cwd: dir });
    expect(applied.exitCode).toBe(0);
    expect((await topicStates(brokers, [topic])).get(topic)).toEqual({
      partitions: 5,
      replicationFactor: 1,
      overrides: { 'retention.ms': '259200000', 'compression.type': 'zstd' },
    });
    expect((await iotmsg(['topics', 'plan', '--detailed-exitcode'], { cwd: dir })).exitCode).toBe(0);
  });

  it('blocks a partition decrease with what to do, and apply then changes nothing at all', async () => {
    const p = uniqueName('tp-shrink');
    const topic = `${p}.metrics`;
    const dir = await topicsProject(projectYaml(`  - name: ${topic}\n    partitions: 3\n    configs:\n      retention.ms: 1d\n`));
    expect((await iotmsg(['topics', 'apply', '--yes'], { cwd: dir })).exitCode).toBe(0);
    await rewriteTopics(dir, projectYaml(`  - name: ${topic}\n    partitions: 2\n    configs:\n      retention.ms: 2d\n  - name: ${p}.new\n`));

    const plan = await iotmsg(['topics', 'plan', '--detailed-exitcode'], { cwd: dir });
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toContain(`  ! ${topic}\n      ! Kafka cannot reduce partitions (3 → 2)\n        → set partitions: 3 in the file, or recreate the topic (losing its data)`);
    expect(plan.stderr).toBe('error: the plan cannot be applied: 1 blocked change(s)\nhint: see the "!" lines of the plan for the reason and what to do');

    const apply = await iotmsg(['topics', 'apply', '--yes'], { cwd: dir });
    expect(apply.exitCode).toBe(1);
    const states = await topicStates(brokers, [topic, `${p}.new`]);
    expect(states.get(topic)).toEqual({ partitions: 3, replicationFactor: 1, overrides: { 'retention.ms': '86400000' } });
    expect(states.has(`${p}.new`)).toBe(false);
  });

  it('reports replication the cluster cannot give: a mismatch with its remedy, and a create the broker refuses on validateOnly', async () => {
    const p = uniqueName('tp-rf');
    const dir = await topicsProject(projectYaml(`  - name: ${p}.single\n`));
    expect((await iotmsg(['topics', 'apply', '--yes'], { cwd: dir })).exitCode).toBe(0);
    await rewriteTopics(dir, projectYaml(`  - name: ${p}.single\n    replicationFactor: 2\n  - name: ${p}.triple\n    replicationFactor: 3\n`));

    const { exitCode, document, stderr } = await planJson(dir, '--detailed-exitcode');
    expect(exitCode).toBe(1);
    expect(document.plan.appliable).toBe(false);
    expect(document.plan.changes.filter(mine(p))).toEqual([
      expect.objectContaining({
        action: 'replication-mismatch',
        topic: `${p}.single`,
        from: 1,
        to: 2,
        blocked: true,
        reason: 'replication factor 2 needs 2 brokers, the cluster has 1',
        remedy: 'add brokers, or set replicationFactor: 1 in the file',
      }),
      expect.objectContaining({ action: 'create', topic: `${p}.triple` }),
    ]);
    expect(document.plan.rejections).toEqual([
      { topic: `${p}.triple`, action: 'create', reason: 'the broker refused it: replication factor 3 needs 3 brokers, the cluster has 1' },
    ]);
    expect(stderr).toContain('error: the plan cannot be applied: 1 blocked change(s) and 1 change(s) refused by the broker');
    expect(await topicNames(brokers)).not.toContain(`${p}.triple`);
  });

  it('lists topics the file does not declare as unmanaged and never touches them', async () => {
    const p = uniqueName('tp-unmanaged');
    await createTopicsDirectly(brokers, [{ topic: `${p}.stray`, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '1000' }] }]);
    const dir = await topicsProject(projectYaml(`  - name: ${p}.kept\n`));
    const { document } = await planJson(dir);
    expect(document.plan.unmanaged).toContain(`${p}.stray`);
    expect(document.plan.changes.filter(mine(p))).toEqual([expect.objectContaining({ action: 'create', topic: `${p}.kept` })]);
    const human = await iotmsg(['topics', 'plan'], { cwd: dir });
    expect(human.stdout).toMatch(/Not in .*topics\.yaml \(left alone; --prune deletes them\): /);

    expect((await iotmsg(['topics', 'apply', '--yes'], { cwd: dir })).exitCode).toBe(0);
    expect((await topicStates(brokers, [`${p}.stray`])).get(`${p}.stray`)).toEqual({ partitions: 2, replicationFactor: 1, overrides: { 'retention.ms': '1000' } });
  });

  it('refuses to apply without a terminal and without --yes, says why, and changes nothing', async () => {
    const p = uniqueName('tp-notty');
    const dir = await topicsProject(projectYaml(`  - name: ${p}.a\n`));
    const result = await iotmsg(['topics', 'apply'], { cwd: dir });
    expect(result.exitCode).toBe(64);
    expect(result.stderr).toContain(`error: refusing to apply these 1 change(s) to ${brokers.join(',')} without confirmation: there is no terminal to ask on\nhint: pass --yes to confirm in scripts and CI`);
    expect(await topicNames(brokers)).not.toContain(`${p}.a`);
  });

  it('gives a machine-readable plan with a format version and a cluster fingerprint, and detailed exit codes 0/2/1', async () => {
    const p = uniqueName('tp-json');
    const dir = await topicsProject(projectYaml(`  - name: ${p}.a\n    partitions: 2\n`));
    const changes = await planJson(dir, '--detailed-exitcode');
    expect(changes.exitCode).toBe(2);
    expect(Object.keys(changes.document).sort()).toEqual(['cluster', 'createdAt', 'environment', 'format', 'formatVersion', 'plan', 'projectFile', 'prune']);
    expect(changes.document).toMatchObject({ format: 'iotmsg-topics-plan', formatVersion: 1, environment: 'test', prune: false, cluster: { bootstrapServers: brokers } });
    expect(changes.document.cluster.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Object.keys(changes.document.plan).sort()).toEqual(['appliable', 'changes', 'formatVersion', 'rejections', 'summary', 'unchanged', 'unmanaged']);
    expect(changes.document.plan.summary).toMatchObject({ create: 1, addPartitions: 0, updateConfigs: 0, delete: 0, blocked: 0, rejected: 0, unchanged: 0 });

    expect((await iotmsg(['topics', 'apply', '--yes'], { cwd: dir })).exitCode).toBe(0);
    const none = await planJson(dir, '--detailed-exitcode');
    expect(none.exitCode).toBe(0);
    expect(none.document.plan.unchanged).toEqual([`${p}.a`]);

    await rewriteTopics(dir, projectYaml(`  - name: ${p}.a\n    partitions: 1\n`));
    expect((await planJson(dir, '--detailed-exitcode')).exitCode).toBe(1);
    // Without --detailed-exitcode, pending changes are a success.
    await rewriteTopics(dir, projectYaml(`  - name: ${p}.a\n    partitions: 3\n`));
    expect((await planJson(dir)).exitCode).toBe(0);
  });
});

describe('saved plans', () => {
  it('applies exactly the saved plan, even after topics.yaml changed', async () => {
    const p = uniqueName('tp-saved');
    const dir = await topicsProject(projectYaml(`  - name: ${p}.a\n    configs:\n      retention.ms: 1d\n`));
    const saved = await iotmsg(['topics', 'plan', '--out', 'plan.json'], { cwd: dir });
    expect(saved.exitCode).toBe(0);
    expect(saved.stderr).toContain('saved the plan to plan.json');
    await rewriteTopics(dir, projectYaml(`  - name: ${p}.a\n    configs:\n      retention.ms: 2d\n  - name: ${p}.b\n`));

    const applied = await iotmsg(['topics', 'apply', 'plan.json', '--yes', '-o', 'json'], { cwd: dir });
    expect(applied.exitCode).toBe(0);
    expect((JSON.parse(applied.stdout) as { applied: { created: string[] } }).applied.created).toEqual([`${p}.a`]);
    const states = await topicStates(brokers, [`${p}.a`, `${p}.b`]);
    expect(states.get(`${p}.a`)?.overrides).toEqual({ 'retention.ms': '86400000' });
    expect(states.has(`${p}.b`)).toBe(false);
  });

  it('rejects a plan whose topics changed on the cluster since it was made, and changes nothing', async () => {
    const p = uniqueName('tp-stale');
    const topic = `${p}.a`;
    const dir = await topicsProject(projectYaml(`  - name: ${topic}\n    configs:\n      retention.ms: 1d\n`));
    expect((await iotmsg(['topics', 'apply', '--yes'], { cwd: dir })).exitCode).toBe(0);
    await rewriteTopics(dir, projectYaml(`  - name: ${topic}\n    configs:\n      retention.ms: 2d\n`));
    expect((await iotmsg(['topics', 'plan', '--out', 'plan.json'], { cwd: dir })).exitCode).toBe(0);
    await withAdmin(brokers, (admin) => admin.createPartitions({ topicPartitions: [{ topic, count: 2 }] }));

    const stale = await iotmsg(['topics', 'apply', 'plan.json', '--yes'], { cwd: dir });
    expect(stale.exitCode).toBe(1);
    expect(stale.stderr).toBe(
      'error: plan.json is stale: the topics it plans for changed on the cluster since it was made\nhint: make a new plan with "iotmsg topics plan --out" and review it',
    );
    expect((await topicStates(brokers, [topic])).get(topic)?.overrides).toEqual({ 'retention.ms': '86400000' });
  });

  it('refuses plan files of another format version or another cluster', async () => {
    const p = uniqueName('tp-version');
    const dir = await topicsProject(projectYaml(`  - name: ${p}.a\n`));
    expect((await iotmsg(['topics', 'plan', '--out', 'plan.json'], { cwd: dir })).exitCode).toBe(0);
    const document = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as { formatVersion: number; cluster: { clusterId: string } };

    await writeFile(join(dir, 'v2.json'), JSON.stringify({ ...document, formatVersion: 2 }));
    const version = await iotmsg(['topics', 'apply', 'v2.json', '--yes'], { cwd: dir });
    expect(version.exitCode).toBe(65);
    expect(version.stderr.split('\n')[0]).toBe('error: v2.json is a version 2 plan; this iotmsg reads version 1');

    await writeFile(join(dir, 'other.json'), JSON.stringify({ ...document, cluster: { ...document.cluster, clusterId: 'another-cluster' } }));
    const other = await iotmsg(['topics', 'apply', 'other.json', '--yes'], { cwd: dir });
    expect(other.exitCode).toBe(1);
    expect(other.stderr.split('\n')[0]).toBe(`error: other.json was planned for cluster another-cluster, this is cluster ${document.cluster.clusterId}`);
    expect(await topicNames(brokers)).not.toContain(`${p}.a`);
  });
});

describe('create-iot-topics', () => {
  it('creates only the missing topics and DLQs for --env and leaves existing ones as they are', async () => {
    const p = uniqueName('tp-seed');
    await createTopicsDirectly(brokers, [{ topic: `${p}.telemetry`, numPartitions: 1 }]);
    const dir = await topicsProject(
      projectYaml(`  - name: ${p}.telemetry\n    partitions: 4\n    configs:\n      retention.ms: 1d\n    dlq:\n      suffixes: [dlq]\n  - name: ${p}.alerts\n    partitions: 2\n`),
    );
    const first = await iotmsg(['create-iot-topics', '--env', 'test', '-o', 'json'], { cwd: dir });
    expect(first.exitCode).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ environment: 'test', created: [`${p}.telemetry.dlq`, `${p}.alerts`], existing: [`${p}.telemetry`], failed: [] });
    const states = await topicStates(brokers, [`${p}.telemetry`, `${p}.alerts`]);
    expect(states.get(`${p}.telemetry`)).toEqual({ partitions: 1, replicationFactor: 1, overrides: {} });
    expect(states.get(`${p}.alerts`)?.partitions).toBe(2);

    const second = await iotmsg(['create-iot-topics', '--env', 'test'], { cwd: dir });
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain('created 0 topic(s) for environment "test"');
    expect(second.stdout).toContain(`already existed (left as they are): ${p}.telemetry, ${p}.telemetry.dlq, ${p}.alerts`);
  });
});

describe('imperative topic commands', () => {
  it('describes partitions with leader/replicas/ISR and offsets, configs with their source, and DLQ siblings', async () => {
    const p = uniqueName('tp-describe');
    const topic = `${p}.readings`;
    const dir = await topicsProject(projectYaml(`  - name: ${topic}\n    partitions: 2\n    configs:\n      retention.ms: 1d\n    dlq:\n      suffixes: [dlq]\n`));
    expect((await iotmsg(['topics', 'apply', '--yes'], { cwd: dir })).exitCode).toBe(0);
    const { Kafka, logLevel } = await import('kafkajs');
    const producer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'a', partition: 1 }, { value: 'b', partition: 1 }, { value: 'c', partition: 0 }] });
    await producer.disconnect();

    const result = await iotmsg(['topics', 'describe', topic, '-b', brokers.join(','), '-o', 'json']);
    expect(result.exitCode).toBe(0);
    const described = JSON.parse(result.stdout) as {
      partitions: { partition: number; leader: number; replicas: number[]; isr: number[]; earliestOffset: string; latestOffset: string }[];
      configs: { name: string; value: string; source: string }[];
      dlqSiblings: string[];
      dlqOf?: string;
    };
    expect(described.partitions).toEqual([
      { partition: 0, leader: 1, replicas: [1], isr: [1], offlineReplicas: [], earliestOffset: '0', latestOffset: '1' },
      { partition: 1, leader: 1, replicas: [1], isr: [1], offlineReplicas: [], earliestOffset: '0', latestOffset: '2' },
    ]);
    expect(described.configs.find((c) => c.name === 'retention.ms')).toEqual({ name: 'retention.ms', value: '86400000', source: 'dynamic', readOnly: false });
    expect(described.configs.find((c) => c.name === 'segment.bytes')?.source).toBe('default');
    expect(described.dlqSiblings).toEqual([`${topic}.dlq`]);

    const sibling = await iotmsg(['topics', 'describe', `${topic}.dlq`, '-b', brokers.join(','), '-o', 'json']);
    expect((JSON.parse(sibling.stdout) as { dlqOf: string }).dlqOf).toBe(topic);
    const human = await iotmsg(['topics', 'describe', topic, '-b', brokers.join(',')]);
    expect(human.stdout).toMatch(/retention\.ms\s+86400000 \(1d\)\s+dynamic/);
  });

  it('says in one line that an unknown topic does not exist, with a hint', async () => {
    const p = uniqueName('tp-unknown');
    await createTopicsDirectly(brokers, [{ topic: `${p}.sensor-data` }]);
    for (const command of [['describe'], ['alter', '--partitions', '3'], ['delete', '--yes']]) {
      const [verb, ...rest] = command;
      // Outside any project: the repository's own topics.yaml would make delete refuse an unnamed cluster.
      const result = await iotmsg(['topics', verb!, `${p}.sensor-dat`, ...rest, '-b', brokers.join(',')], { cwd: tmpdir() });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(`error: topic "${p}.sensor-dat" does not exist\nhint: did you mean "${p}.sensor-data"?`);
    }
  });

  it('alters one config, removes another and adds partitions while keeping every other override', async () => {
    const p = uniqueName('tp-alter');
    const topic = `${p}.logs`;
    const dir = await topicsProject(projectYaml(`  - name: ${topic}\n    partitions: 2\n    configs:\n      retention.ms: 7d\n      segment.ms: 1h\n      compression.type: lz4\n      cleanup.policy: delete\n`));
    expect((await iotmsg(['topics', 'apply', '--yes'], { cwd: dir })).exitCode).toBe(0);
    const alter = (...args: string[]) => iotmsg(['topics', 'alter', topic, ...args], { cwd: dir });

    const changed = await alter('--config', 'retention.ms=12h', '--partitions', '4');
    expect(changed.exitCode).toBe(0);
    expect(changed.stdout).toContain('~ retention.ms: 604800000 (7d) → 43200000 (12h)');
    expect((await topicStates(brokers, [topic])).get(topic)).toEqual({
      partitions: 4,
      replicationFactor: 1,
      overrides: { 'retention.ms': '43200000', 'segment.ms': '3600000', 'compression.type': 'lz4', 'cleanup.policy': 'delete' },
    });

    expect((await alter('--delete-config', 'segment.ms', '--config', 'max.message.bytes=2MiB')).exitCode).toBe(0);
    expect((await topicStates(brokers, [topic])).get(topic)?.overrides).toEqual({
      'retention.ms': '43200000',
      'compression.type': 'lz4',
      'cleanup.policy': 'delete',
      'max.message.bytes': '2097152',
    });

    const shrink = await alter('--partitions', '3');
    expect(shrink.exitCode).toBe(1);
    expect(shrink.stderr.split('\n')[0]).toBe(`error: cannot reduce "${topic}" from 4 to 3 partitions: Kafka only adds partitions`);
    const typo = await alter('--config', 'retention.msx=1d');
    expect(typo.exitCode).toBe(64);
    expect(typo.stderr).toBe('error: unknown topic config "retention.msx"\nhint: did you mean "retention.ms"?');

    // The file still says 7d and 1h: the plan puts them back and drops the extra override.
    const { document } = await planJson(dir);
    expect(document.plan.changes).toEqual([
      { action: 'partition-decrease', topic, from: 4, to: 2, blocked: true, reason: 'Kafka cannot reduce partitions (4 → 2)', remedy: 'set partitions: 4 in the file, or recreate the topic (losing its data)' },
      {
        action: 'update-configs',
        topic,
        configs: [
          { op: 'set', name: 'retention.ms', from: '43200000', to: '604800000' },
          { op: 'set', name: 'segment.ms', from: '604800000', to: '3600000' },
          { op: 'delete', name: 'max.message.bytes', from: '2097152' },
        ],
      },
    ]);
  });

  it('deletes topics only after confirmation, and never protected or internal ones', async () => {
    const p = uniqueName('tp-delete');
    const dir = await topicsProject(projectYaml(`  - name: ${p}.a\n  - name: ${p}.b\n  - name: ${p}.audit\n`, { environment: `    protectedTopics: [${p}.audit]\n` }));
    expect((await iotmsg(['topics', 'apply', '--yes'], { cwd: dir })).exitCode).toBe(0);

    const unconfirmed = await iotmsg(['topics', 'delete', `${p}.a`, `${p}.b`], { cwd: dir });
    expect(unconfirmed.exitCode).toBe(64);
    expect(unconfirmed.stderr.split('\n')[0]).toBe(`error: refusing to DELETE 2 topic(s) and all their messages (${p}.a, ${p}.b) without confirmation: there is no terminal to ask on`);
    const protectedOne = await iotmsg(['topics', 'delete', `${p}.a`, `${p}.audit`, '--yes'], { cwd: dir });
    expect(protectedOne.exitCode).toBe(1);
    expect(protectedOne.stderr).toBe(`error: refusing to delete protected topic "${p}.audit"\nhint: it is listed in protectedTopics in topics.yaml (of the file or of this environment)`);
    const internal = await iotmsg(['topics', 'delete', '__consumer_offsets', '--yes'], { cwd: dir });
    expect(internal.exitCode).toBe(1);
    expect(internal.stderr).toBe('error: refusing to delete internal topic "__consumer_offsets"\nhint: names starting with "__" are reserved for Kafka\'s internal topics');
    expect(await topicNames(brokers)).toEqual(expect.arrayContaining([`${p}.a`, `${p}.b`, `${p}.audit`]));

    const deleted = await iotmsg(['topics', 'delete', `${p}.a`, `${p}.b`, '--yes'], { cwd: dir });
    expect(deleted.exitCode).toBe(0);
    expect(deleted.stdout).toBe(`✓ deleted 2 topic(s): ${p}.a, ${p}.b`);
    const left = await topicNames(brokers);
    expect(left).not.toContain(`${p}.a`);
    expect(left).toContain(`${p}.audit`);
  });
});

describe('topics export', () => {
  it('writes the cluster as a topics.yaml with DLQs folded under their parent; planning it against the same cluster shows no changes', async () => {
    const p = uniqueName('tp-export');
    const dir = await topicsProject(
      projectYaml(
        `  - name: ${p}.sensor\n    partitions: 3\n    configs:\n      retention.ms: 7d\n      max.message.bytes: 1MiB\n    dlq:\n      partitions: 1\n      configs:\n        retention.ms: 30d\n  - name: ${p}.plain\n    partitions: 2\n`,
      ),
    );
    expect((await iotmsg(['topics', 'apply', '--yes'], { cwd: dir })).exitCode).toBe(0);

    const exported = await iotmsg(['topics', 'export', '--env', 'test', '--out', 'exported.yaml'], { cwd: dir });
    expect(exported.exitCode).toBe(0);
    const text = await readFile(join(dir, 'exported.yaml'), 'utf8');
    const file = parse(text) as { topics: { name: string; partitions?: number; configs?: Record<string, unknown>; dlq?: unknown }[] };
    expect(file.topics.find((t) => t.name === `${p}.sensor`)).toEqual({
      name: `${p}.sensor`,
      partitions: 3,
      configs: { 'max.message.bytes': '1MiB', 'retention.ms': '7d' },
      dlq: { partitions: 1, configs: { 'retention.ms': '30d' } },
    });
    expect(file.topics.some((t) => t.name.startsWith(`${p}.sensor.dlq`))).toBe(false);

    const plan = await iotmsg(['topics', 'plan', '-f', 'exported.yaml', '--detailed-exitcode'], { cwd: dir });
    expect(plan.stderr).toBe('');
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toMatch(/^No changes\./);

    const stdout = await iotmsg(['topics', 'export', '-b', brokers.join(',')]);
    expect(stdout.stdout).toContain(`- name: ${p}.plain`);
  });
});

describe('interrupting apply', () => {
  it('stops between batches on Ctrl-C, says what was and was not done, and a re-run converges', async () => {
    const p = uniqueName('tp-sigint');
    // Enough topics that the create batch is still running when the signal arrives.
    const topics = Array.from({ length: 800 }, (_, i) => `  - name: ${p}.t${i}\n`).join('');
    const dir = await topicsProject(projectYaml(`${topics}  - name: ${p}.existing\n    configs:\n      retention.ms: 2d\n`));
    await createTopicsDirectly(brokers, [{ topic: `${p}.existing` }]);

    const child = execa('node', [iotmsgBin, 'topics', 'apply', '--yes'], { cwd: dir, reject: false, env: { NO_COLOR: '1' } });
    child.stdout?.once('data', () => child.kill('SIGINT'));
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toMatch(/error: interrupted after (nothing|created \d+ topics); not done: (create 800 topics, )?update the configs of 1 topic\n/);
    expect(result.stderr).toContain('hint: run "iotmsg topics plan" to see what is left; "iotmsg topics apply" finishes the job');

    const rerun = await iotmsg(['topics', 'apply', '--yes'], { cwd: dir });
    expect(rerun.exitCode).toBe(0);
    expect((await iotmsg(['topics', 'plan', '--detailed-exitcode'], { cwd: dir })).exitCode).toBe(0);
    await withAdmin(brokers, async (admin) => {
      const names = (await admin.listTopics()).filter((n) => n.startsWith(p));
      await admin.deleteTopics({ topics: names, timeout: 30_000 });
    });
  });
});
