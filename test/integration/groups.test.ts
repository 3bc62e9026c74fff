import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { withAdmin } from '../support/kafka.js';
import { createTopic } from '../support/messagesKafka.js';
import { uniqueName } from '../support/names.js';

const cluster = inject('devCluster');
const brokers = cluster.bootstrapServers;
const connection = ['-b', brokers.join(',')];

/** A real KafkaJS consumer of `group` that reads and commits up to `upTo[partition]`, then leaves. */
async function consumeAndCommit(group: string, topic: string, upTo: Record<number, number>): Promise<void> {
  const consumer = new Kafka({ clientId: 'lag-test', brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: group });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve) => {
    const pending = new Set(Object.keys(upTo).map(Number));
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const next = Number(message.offset) + 1;
        if (next > (upTo[partition] ?? 0)) return;
        await consumer.commitOffsets([{ topic, partition, offset: String(next) }]);
        if (next === upTo[partition]) pending.delete(partition);
        if (pending.size === 0) resolve();
      },
    });
  });
  await consumer.disconnect();
}

async function joined(group: string, topic: string): Promise<Consumer> {
  const consumer = new Kafka({ clientId: 'active-member', brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: group });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  const join = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  // It reads without committing, so the offsets the test checks stay where they were.
  await consumer.run({ autoCommit: false, eachMessage: async () => {} });
  await join;
  return consumer;
}

async function committed(group: string, topic: string): Promise<string[]> {
  const [offsets] = await withAdmin(brokers, (admin) => admin.fetchOffsets({ groupId: group, topics: [topic] }));
  return offsets!.partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset);
}

interface Described {
  group: string;
  state: string;
  members: { clientId: string; assignments: { topic: string; partitions: number[] }[] }[];
  partitions: { topic: string; partition: number; committed?: number; logEnd: number; lag?: number; owner?: string }[];
  totalLag: number;
}

describe('consumer groups', () => {
  let topic: string;
  let group: string;
  let behind: string;

  beforeAll(async () => {
    topic = uniqueName('grp-topic');
    group = uniqueName('grp-part');
    behind = uniqueName('grp-behind');
    await createTopic(brokers, topic, 2);
    for (const partition of [0, 1]) {
      const input = Array.from({ length: 50 }, (_, i) => `m-${partition}-${i}`).join('\n');
      const produced = await iotmsg(['produce', topic, '-p', String(partition), ...connection], { input });
      expect(produced.exitCode).toBe(0);
    }
    await consumeAndCommit(group, topic, { 0: 30, 1: 10 });
    await consumeAndCommit(behind, topic, { 0: 1, 1: 1 });
  });

  it('describes a group that consumed part of a topic: committed offset, log end and lag per partition', async () => {
    const { exitCode, stdout } = await iotmsg(['groups', 'describe', group, ...connection, '-o', 'json']);
    expect(exitCode).toBe(0);
    const described = JSON.parse(stdout) as Described;
    expect(described).toMatchObject({ group, state: 'Empty', members: [], totalLag: 60 });
    expect(described.partitions.map(({ topic: t, partition, committed: c, logEnd, lag }) => ({ t, partition, c, logEnd, lag }))).toEqual([
      { t: topic, partition: 0, c: 30, logEnd: 50, lag: 20 },
      { t: topic, partition: 1, c: 10, logEnd: 50, lag: 40 },
    ]);
    const table = await iotmsg(['groups', 'describe', group, ...connection]);
    expect(table.stdout).toMatch(/total lag\s+60/);
  });

  it('describes several groups at once, and every group when none is named', async () => {
    const both = await iotmsg(['groups', 'describe', group, behind, ...connection, '-o', 'json']);
    expect(both.exitCode, both.stderr).toBe(0);
    expect((JSON.parse(both.stdout) as Described[]).map((d) => [d.group, d.totalLag])).toEqual([
      [group, 60],
      [behind, 98],
    ]);
    const all = await iotmsg(['groups', 'describe', ...connection, '-o', 'json']);
    expect(all.exitCode, all.stderr).toBe(0);
    const every = JSON.parse(all.stdout) as Described[];
    expect(every.map((d) => d.group)).toEqual(expect.arrayContaining([group, behind]));
    expect(every.find((d) => d.group === behind)?.totalLag).toBe(98);
  });

  it('lists groups and ranks them by lag', async () => {
    const list = JSON.parse((await iotmsg(['groups', 'list', ...connection, '-o', 'json'])).stdout) as { group: string; state: string }[];
    expect(list).toContainEqual(expect.objectContaining({ group, state: 'Empty' }));
    const { exitCode, stdout } = await iotmsg(['groups', 'lag', ...connection, '-o', 'json']);
    expect(exitCode).toBe(0);
    const lags = JSON.parse(stdout) as { group: string; lag: number; topics: string[] }[];
    const ours = lags.filter((l) => l.group === group || l.group === behind);
    expect(ours).toEqual([
      expect.objectContaining({ group: behind, lag: 98, topics: [topic] }),
      expect.objectContaining({ group, lag: 60, topics: [topic] }),
    ]);
    expect(lags.map((l) => l.lag)).toEqual([...lags.map((l) => l.lag)].sort((a, b) => b - a));
  });

  it('shows an offset reset without --execute and changes nothing', async () => {
    const { exitCode, stdout, stderr } = await iotmsg(['groups', 'reset-offsets', group, '--topic', topic, '--to-earliest', ...connection, '-o', 'json']);
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      group,
      topic,
      executed: false,
      changes: [
        { topic, partition: 0, current: 30, target: 0, change: -30 },
        { topic, partition: 1, current: 10, target: 0, change: -10 },
      ],
    });
    expect(stderr).toContain('pass --execute');
    expect(await committed(group, topic)).toEqual(['30', '10']);
  });

  it('moves the offsets with --execute: shift, earliest, datetime and latest', async () => {
    const shift = await iotmsg(['groups', 'reset-offsets', group, '--topic', topic, '--shift-by', '-5', '--execute', ...connection]);
    expect(shift.exitCode).toBe(0);
    expect(await committed(group, topic)).toEqual(['25', '5']);
    await iotmsg(['groups', 'reset-offsets', group, '--topic', topic, '--to-earliest', '--execute', ...connection]);
    expect(await committed(group, topic)).toEqual(['0', '0']);
    await iotmsg(['groups', 'reset-offsets', group, '--topic', topic, '--to-datetime', new Date(Date.now() + 3_600_000).toISOString(), '--execute', ...connection]);
    expect(await committed(group, topic)).toEqual(['50', '50']);
    await iotmsg(['groups', 'reset-offsets', group, '--topic', topic, '--to-datetime', '2000-01-01T00:00:00Z', '--execute', ...connection]);
    expect(await committed(group, topic)).toEqual(['0', '0']);
    await iotmsg(['groups', 'reset-offsets', group, '--topic', topic, '--to-latest', '--execute', ...connection]);
    expect(await committed(group, topic)).toEqual(['50', '50']);
  });

  it('refuses to reset a group that has active members, and describes its members', async () => {
    const active = uniqueName('grp-active');
    await consumeAndCommit(active, topic, { 0: 3, 1: 3 });
    const member = await joined(active, topic);
    try {
      const described = JSON.parse((await iotmsg(['groups', 'describe', active, ...connection, '-o', 'json'])).stdout) as Described;
      expect(described.state).toBe('Stable');
      expect(described.members).toEqual([expect.objectContaining({ clientId: 'active-member', assignments: [{ topic, partitions: [0, 1] }] })]);
      expect(described.partitions.every((p) => p.owner === 'active-member')).toBe(true);

      const refused = await iotmsg(['groups', 'reset-offsets', active, '--topic', topic, '--to-earliest', '--execute', ...connection]);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain(`error: group "${active}" is stable with 1 member(s): offsets can be reset only while it has none`);
      expect(await committed(active, topic)).toEqual(['3', '3']);
    } finally {
      await member.disconnect();
    }
  });

  it('refuses to shift partitions the group never committed, and changes nothing', async () => {
    const partial = uniqueName('grp-partial');
    await consumeAndCommit(partial, topic, { 0: 20 });
    const refused = await iotmsg(['groups', 'reset-offsets', partial, '--topic', topic, '--shift-by', '-5', '--execute', ...connection]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(
      `error: cannot shift the offsets of ${topic} partition 1: the group has no committed offset there\nhint: move them with --to-earliest, --to-latest or --to-datetime instead`,
    );
    expect(await committed(partial, topic)).toEqual(['20', '-1']);
  });

  it('refuses to reset a group the broker does not know unless --create says to create it', async () => {
    const mistyped = uniqueName('grp-typo');
    const refused = await iotmsg(['groups', 'reset-offsets', mistyped, '--topic', topic, '--to-earliest', '--execute', ...connection]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(
      `error: consumer group "${mistyped}" does not exist\nhint: check the name with "iotmsg groups list"; pass --create to create it at these offsets`,
    );
    const listed = JSON.parse((await iotmsg(['groups', 'list', ...connection, '-o', 'json'])).stdout) as { group: string }[];
    expect(listed.map((g) => g.group)).not.toContain(mistyped);

    const dryRun = await iotmsg(['groups', 'reset-offsets', mistyped, '--topic', topic, '--to-earliest', ...connection]);
    expect(dryRun.exitCode).toBe(0);
    expect(dryRun.stderr).toContain(`consumer group "${mistyped}" does not exist`);

    const created = await iotmsg(['groups', 'reset-offsets', mistyped, '--topic', topic, '--to-latest', '--create', '--execute', ...connection]);
    expect(created.exitCode, created.stderr).toBe(0);
    expect(await committed(mistyped, topic)).toEqual(['50', '50']);
  });

  it('deletes an empty group after confirmation, and refuses one with members', async () => {
    const old = uniqueName('grp-old');
    await consumeAndCommit(old, topic, { 0: 2, 1: 2 });
    const unconfirmed = await iotmsg(['groups', 'delete', old, ...connection]);
    expect(unconfirmed.exitCode).toBe(64);
    expect(unconfirmed.stderr).toContain('pass --yes');
    expect(await committed(old, topic)).toEqual(['2', '2']);

    // All or none: one unknown name and nothing is deleted.
    const typo = await iotmsg(['groups', 'delete', old, `${old}-typo`, '--yes', ...connection]);
    expect(typo.exitCode).toBe(1);
    expect(typo.stderr).toContain(`consumer group "${old}-typo" does not exist`);
    expect(await committed(old, topic)).toEqual(['2', '2']);

    const other = uniqueName('grp-old2');
    await consumeAndCommit(other, topic, { 0: 1, 1: 1 });
    const deleted = await iotmsg(['groups', 'delete', old, other, '--yes', ...connection]);
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`deleted consumer group(s) ${old}, ${other}`);
    expect(await committed(other, topic)).toEqual(['-1', '-1']);
    const described = await iotmsg(['groups', 'describe', old, ...connection]);
    expect(described.stderr).toContain(`consumer group "${old}" does not exist`);

    const busy = uniqueName('grp-busy');
    await consumeAndCommit(busy, topic, { 0: 1, 1: 1 });
    const member = await joined(busy, topic);
    try {
      const refused = await iotmsg(['groups', 'delete', busy, '--yes', ...connection]);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain(`error: group "${busy}" is stable with 1 member(s): it can be deleted only while it has none`);
    } finally {
      await member.disconnect();
    }
    expect(await committed(busy, topic)).toEqual(['1', '1']);
  });

  it('says so for a group that does not exist', async () => {
    const { exitCode, stderr } = await iotmsg(['groups', 'describe', uniqueName('grp-none'), ...connection]);
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/consumer group "grp-none-\w+" does not exist/);
  });
});
