import { execa } from 'execa';
import { describe, expect, inject, it } from 'vitest';
import { iotmsg, iotmsgBin } from '../support/cli.js';
import { withAdmin } from '../support/kafka.js';
import { ndjson, RunningIotmsg } from '../support/messagesCli.js';
import { createTopic } from '../support/messagesKafka.js';
import { uniqueName } from '../support/names.js';
import kafkajs from 'kafkajs';
import type { TailRecord } from '../../src/render/messages.js';

const cluster = inject('devCluster');
const brokers = cluster.bootstrapServers;
const connection = ['-b', brokers.join(','), '--schema-registry', cluster.schemaRegistryUrl!];

const groups = () => withAdmin(brokers, async (admin) => (await admin.listGroups()).groups.map((g) => g.groupId));

async function write(topic: string, messages: kafkajs.Message[]): Promise<void> {
  const kafka = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING });
  // Idempotent: a send retried on a busy machine must not store the messages twice.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

async function tail(args: string[]): Promise<{ records: TailRecord[]; stderr: string }> {
  const result = await iotmsg(['tail', ...args, ...connection]);
  expect(result.exitCode, result.stderr).toBe(0);
  return { records: ndjson<TailRecord>(result.stdout), stderr: result.stderr };
}

describe('tail without a group', () => {
  it('leaves no consumer group behind, even when killed', async () => {
    const topic = uniqueName('tail-nogroup');
    await createTopic(brokers, topic, 3);
    await write(topic, [{ value: 'a', partition: 0 }, { value: 'b', partition: 2 }]);
    const before = await groups();
    expect((await tail([topic, '--from-beginning', '--exit-at-end'])).records).toHaveLength(2);
    const follower = new RunningIotmsg(['tail', topic, '--from-beginning', ...connection]);
    await follower.waitFor('stdout', (text) => text.split('\n').filter(Boolean).length >= 2);
    follower.child.kill('SIGKILL');
    await follower.child;
    expect((await groups()).filter((g) => !before.includes(g))).toEqual([]);
  });

  it('ends at once, exit 0 and nothing on stderr, when the reader of its pipe goes away', async () => {
    const topic = uniqueName('tail-head');
    await createTopic(brokers, topic, 2);
    // More than a pipe holds: tail is still writing when head has its three lines.
    for (let round = 0; round < 4; round++) await write(topic, Array.from({ length: 5_000 }, (_, i) => ({ value: `${round}-${i}-${'x'.repeat(100)}` })));
    const script = `node ${iotmsgBin} tail ${topic} --from-beginning --format '%s' ${connection.join(' ')} | head -3; echo "tail=\${PIPESTATUS[0]}" >&2`;
    const result = await execa('bash', ['-c', script], { reject: false, timeout: 20_000, env: { NO_COLOR: '1' } });
    expect(result.timedOut).toBe(false);
    expect(result.stdout.split('\n')).toHaveLength(3);
    expect(result.stderr.trim()).toBe('tail=0');
  });

  it('ends within a short grace on SIGTERM, with its summary', async () => {
    const topic = uniqueName('tail-term');
    await createTopic(brokers, topic, 1);
    await write(topic, [{ value: 'one' }]);
    const follower = new RunningIotmsg(['tail', topic, '--from-beginning', ...connection]);
    await follower.waitFor('stdout', (text) => text.includes('one'));
    follower.child.kill('SIGTERM');
    const ended = await follower.child;
    expect(ended.exitCode).toBe(0);
    expect(ended.stderr).toMatch(/stopped: 1 message\(s\) from 1 partition/);
  });

  it('says where it starts when --offset is past the end', async () => {
    const topic = uniqueName('tail-past');
    await createTopic(brokers, topic, 2);
    await write(topic, [{ value: 'a', partition: 0 }, { value: 'b', partition: 0 }]);
    const { records, stderr } = await tail([topic, '--offset', '999999', '--exit-at-end']);
    expect(records).toEqual([]);
    expect(stderr).toContain('--offset 999999 is past the end of partition 0 (2), 1 (0): starting at the end');
  });

  it('reads 12 partitions with interleaved timestamps right with --since, --offset -N, --partition, --max and --grep', async () => {
    const topic = uniqueName('tail-twelve');
    await createTopic(brokers, topic, 12);
    const base = Date.now() - 60 * 60_000;
    // Message i goes to partition i % 12 with time base + i minutes: every partition spans the whole hour.
    const messages = Array.from({ length: 60 }, (_, i) => ({ value: `m${i}${i % 7 === 0 ? '-seven' : ''}`, partition: i % 12, timestamp: String(base + i * 60_000) }));
    await write(topic, messages);
    const all = (await tail([topic, '--from-beginning', '--exit-at-end'])).records;
    expect(all.map((r) => r.value).sort()).toEqual(messages.map((m) => m.value).sort());
    for (const record of all) expect(record.timestamp).toBe(new Date(Number(messages.find((m) => m.value === record.value)!.timestamp)).toISOString());

    const since = (await tail([topic, '--since', new Date(base + 30 * 60_000).toISOString(), '--exit-at-end'])).records;
    expect(since.map((r) => r.value).sort()).toEqual(messages.filter((_, i) => i >= 30).map((m) => m.value).sort());
    const lastTwo = (await tail([topic, '--offset', '-2', '--exit-at-end'])).records;
    expect(lastTwo).toHaveLength(24);
    expect(lastTwo.every((r) => Number(r.offset) >= 3)).toBe(true);
    const five = (await tail([topic, '--partition', '5', '--from-beginning', '--exit-at-end'])).records;
    expect(five.map((r) => r.value)).toEqual(['m5', 'm17', 'm29', 'm41', 'm53']);
    expect((await tail([topic, '--from-beginning', '--max', '7'])).records).toHaveLength(7);
    const sevens = (await tail([topic, '--from-beginning', '--exit-at-end', '--grep', 'seven$'])).records;
    expect(sevens.map((r) => r.value).sort()).toEqual(messages.filter((_, i) => i % 7 === 0).map((m) => m.value).sort());
  });

  it('reads a transactional topic as read_committed does: committed transactions only', async () => {
    const topic = uniqueName('tail-txn');
    await createTopic(brokers, topic, 2);
    const kafka = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING });
    const producer = kafka.producer({ transactionalId: uniqueName('txn'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (const [name, commit] of [['first', true], ['dropped', false], ['second', true], ['dropped-too', false]] as const) {
        const transaction = await producer.transaction();
        await transaction.send({ topic, messages: [0, 1].flatMap((partition) => [{ value: `${name}-${partition}-a`, partition }, { value: `${name}-${partition}-b`, partition }]) });
        await (commit ? transaction.commit() : transaction.abort());
      }
    } finally {
      await producer.disconnect();
    }
    const shown = (await tail([topic, '--from-beginning', '--exit-at-end'])).records.map((r) => r.value).sort();
    expect(shown).toEqual(['first-0-a', 'first-0-b', 'first-1-a', 'first-1-b', 'second-0-a', 'second-0-b', 'second-1-a', 'second-1-b']);
  });
});
