import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { startTestCluster, stopTestCluster, type TestCluster } from '../support/cluster.js';
import { withAdmin } from '../support/kafka.js';
import { uniqueName } from '../support/names.js';
import { createTopicsDirectly, removeTopicsProjects, rewriteTopics, topicNames, topicsProject, topicStates } from '../support/topicsProject.js';

/** Three brokers of our own: replication 3, min.insync.replicas, and prune (which may delete whatever this file made). */
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster('prod', false);
});

afterAll(async () => {
  await removeTopicsProjects();
  if (cluster) await stopTestCluster(cluster);
});

/** The repo's prod environment shape: replication 3, min.insync.replicas 2, a protected topic. */
function prodYaml(topics: string, protectedTopics: string[] = []): string {
  return [
    'environments:',
    '  prod:',
    `    brokers: [${cluster.bootstrapServers.join(', ')}]`,
    '    replicationFactor: 3',
    '    configs:',
    '      min.insync.replicas: 2',
    `    protectedTopics: [${protectedTopics.join(', ')}]`,
    'topics:',
    topics,
  ].join('\n');
}

interface PlanDocument {
  plan: { changes: { action: string; topic: string; [key: string]: unknown }[]; unmanaged: string[]; summary: Record<string, number> };
}

describe('topics plan and apply on a 3-broker cluster', () => {
  it('creates replicated topics, waits for their leaders itself, and a plan right after shows no changes', async () => {
    const p = uniqueName('tp3-create');
    const topics = Array.from({ length: 20 }, (_, i) => `  - name: ${p}.t${i}\n    partitions: 6\n    configs:\n      retention.ms: 1d\n`).join('');
    const dir = await topicsProject(prodYaml(topics));
    const applied = await iotmsg(['topics', 'apply', '--yes'], { cwd: dir });
    expect(applied.stderr).toContain('created 20 topics');
    expect(applied.exitCode).toBe(0);
    const plan = await iotmsg(['topics', 'plan', '--detailed-exitcode'], { cwd: dir });
    expect(plan.exitCode).toBe(0);
    const state = (await topicStates(cluster.bootstrapServers, [`${p}.t0`])).get(`${p}.t0`);
    expect(state).toEqual({ partitions: 6, replicationFactor: 3, overrides: { 'retention.ms': '86400000', 'min.insync.replicas': '2' } });
    const leaders = await withAdmin(cluster.bootstrapServers, async (admin) => (await admin.fetchTopicMetadata({ topics: [`${p}.t19`] })).topics[0]!.partitions);
    expect(leaders.every((partition) => partition.leader >= 0 && partition.isr.length === 3)).toBe(true);
  });

  it('blocks a replication factor above the number of brokers with what to do, and apply refuses the plan', async () => {
    const p = uniqueName('tp3-rf');
    await createTopicsDirectly(cluster.bootstrapServers, [{ topic: `${p}.two`, numPartitions: 2, replicationFactor: 2 }]);
    const dir = await topicsProject(prodYaml(`  - name: ${p}.two\n    partitions: 2\n    replicationFactor: 4\n`));
    const planned = await iotmsg(['topics', 'plan', '-o', 'json', '--detailed-exitcode'], { cwd: dir });
    expect(planned.exitCode).toBe(1);
    const document = JSON.parse(planned.stdout) as PlanDocument;
    // min.insync.replicas 2 equals the brokers' own setting: no config change, only the mismatch.
    expect(document.plan.changes.filter((c) => c.topic === `${p}.two`)).toEqual([
      {
        action: 'replication-mismatch',
        topic: `${p}.two`,
        from: 2,
        to: 4,
        blocked: true,
        reason: 'replication factor 4 needs 4 brokers, the cluster has 3',
        remedy: 'add brokers, or set replicationFactor: 2 in the file',
      },
    ]);

    const applied = await iotmsg(['topics', 'apply', '--yes'], { cwd: dir });
    expect(applied.exitCode).toBe(1);
    expect(applied.stdout).toContain(`  ! ${p}.two\n      ! replication factor 4 needs 4 brokers, the cluster has 3`);
    expect((await topicStates(cluster.bootstrapServers, [`${p}.two`])).get(`${p}.two`)?.replicationFactor).toBe(2);
  });

  it('changes min.insync.replicas from the environment value to a topic value, old → new', async () => {
    const p = uniqueName('tp3-isr');
    const topic = `${p}.payments`;
    const dir = await topicsProject(prodYaml(`  - name: ${topic}\n    partitions: 3\n`));
    expect((await iotmsg(['topics', 'apply', '--yes'], { cwd: dir })).exitCode).toBe(0);
    await rewriteTopics(dir, prodYaml(`  - name: ${topic}\n    partitions: 3\n    configs:\n      min.insync.replicas: 3\n`));
    const planned = JSON.parse((await iotmsg(['topics', 'plan', '-o', 'json'], { cwd: dir })).stdout) as PlanDocument;
    expect(planned.plan.changes).toEqual([{ action: 'update-configs', topic, configs: [{ op: 'set', name: 'min.insync.replicas', from: '2', to: '3' }] }]);
    expect((await iotmsg(['topics', 'apply', '--yes'], { cwd: dir })).exitCode).toBe(0);
    expect((await topicStates(cluster.bootstrapServers, [topic])).get(topic)?.overrides).toEqual({ 'min.insync.replicas': '3' });

    // Above the replication factor, every acks=all write would fail: validate refuses it offline.
    await rewriteTopics(dir, prodYaml(`  - name: ${topic}\n    partitions: 3\n    configs:\n      min.insync.replicas: 4\n`));
    const invalid = await iotmsg(['topics', 'plan'], { cwd: dir });
    expect(invalid.exitCode).toBe(65);
    expect(invalid.stderr.split('\n')[0]).toMatch(/topics\.yaml:\d+:\d+: error: min\.insync\.replicas 4 exceeds the replication factor 3 of topic ".*\.payments" in environment "prod"/);
  });

  it('prunes only with --prune and a confirmation naming the count, never protected topics', async () => {
    const p = uniqueName('tp3-prune');
    const strays = [`${p}.old-a`, `${p}.old-b`];
    await createTopicsDirectly(cluster.bootstrapServers, [...strays, `${p}.audit`].map((topic) => ({ topic, numPartitions: 1, replicationFactor: 3 })));
    const dir = await topicsProject(prodYaml(`  - name: ${p}.kept\n    partitions: 1\n`, [`${p}.audit`]));
    expect((await iotmsg(['topics', 'apply', '--yes'], { cwd: dir })).exitCode).toBe(0);
    expect(await topicNames(cluster.bootstrapServers)).toEqual(expect.arrayContaining([...strays, `${p}.audit`]));

    const planned = JSON.parse((await iotmsg(['topics', 'plan', '--prune', '-o', 'json'], { cwd: dir })).stdout) as PlanDocument;
    const deletes = planned.plan.changes.filter((c) => c.action === 'delete').map((c) => c.topic);
    expect(deletes).toEqual(expect.arrayContaining(strays));
    expect(deletes).not.toContain(`${p}.audit`);
    expect(deletes).not.toContain(`${p}.kept`);
    expect(planned.plan.unmanaged).toContain(`${p}.audit`);

    const unconfirmed = await iotmsg(['topics', 'apply', '--prune'], { cwd: dir });
    expect(unconfirmed.exitCode).toBe(64);
    expect(unconfirmed.stderr).toContain(`deleting ${deletes.length} topic(s)`);
    expect(await topicNames(cluster.bootstrapServers)).toEqual(expect.arrayContaining(strays));

    const pruned = await iotmsg(['topics', 'apply', '--prune', '--yes'], { cwd: dir });
    expect(pruned.exitCode).toBe(0);
    expect(pruned.stderr).toContain(`deleted ${deletes.length} topics`);
    const left = await topicNames(cluster.bootstrapServers);
    for (const stray of strays) expect(left).not.toContain(stray);
    expect(left).toEqual(expect.arrayContaining([`${p}.audit`, `${p}.kept`]));
    expect((await iotmsg(['topics', 'plan', '--prune', '--detailed-exitcode'], { cwd: dir })).exitCode).toBe(0);
  });
});
