import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { kcat } from '../support/kcat.js';
import { withAdmin } from '../support/kafka.js';
import { createTopics } from '../support/messagesKafka.js';
import { uniqueName } from '../support/names.js';
import { removeTopicsProjects, topicsProject } from '../support/topicsProject.js';

const brokers = inject('devCluster').bootstrapServers;
const bootstrap = brokers.join(',');

afterAll(removeTopicsProjects);

interface DlqJson {
  environment: string;
  dlqs: { name: string; parent: string; status: string; messages: number | null; partitions: number | null; oldest: string | null; newest: string | null; groups: { group: string; lag: number }[] }[];
}

function projectYaml(topics: string[]): string {
  return `environments:\n  test:\n    brokers: [${brokers.join(', ')}]\ntopics:\n${topics.map((t) => `  - name: ${t}\n    dlq: true\n`).join('')}`;
}

async function produce(topic: string, partition: number, count: number): Promise<void> {
  const lines = Array.from({ length: count }, (_, i) => `{"error":"bad reading ${i}"}`).join('\n');
  const produced = await iotmsg(['produce', topic, '-p', String(partition), '-b', bootstrap], { input: lines });
  expect(produced.exitCode, produced.stderr).toBe(0);
}

/** End offsets as kcat, an independent client, reports them (-Q at the logical end, -1). */
async function kcatEnd(topic: string, partition: number): Promise<number> {
  const queried = await kcat(['-Q', '-b', bootstrap, '-t', `${topic}:${partition}:-1`]);
  expect(queried.exitCode, queried.stderr).toBe(0);
  const match = /offset (\d+)/.exec(queried.stdout);
  expect(match, queried.stdout).not.toBeNull();
  return Number(match![1]);
}

/** The records' timestamps as kcat reads them from the log start. */
async function kcatTimestamps(topic: string): Promise<number[]> {
  const read = await kcat(['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%T\n']);
  expect(read.exitCode, read.stderr).toBe(0);
  return read.stdout.split('\n').filter((l) => l !== '').map(Number);
}

async function committed(group: string, topic: string): Promise<Map<number, number>> {
  const [found] = await withAdmin(brokers, (admin) => admin.fetchOffsets({ groupId: group, topics: [topic] }));
  return new Map((found?.partitions ?? []).filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, Number(p.offset)]));
}

describe('dlq list', () => {
  let prefix: string;
  let dir: string;
  let quietDir: string;
  let orders: string;
  const kcatGroup = uniqueName('dlq-kcat');
  const adminGroup = uniqueName('dlq-admin');

  beforeAll(async () => {
    prefix = uniqueName('dlq');
    orders = `${prefix}.orders`;
    const quiet = `${prefix}.quiet`;
    dir = await topicsProject(projectYaml([orders]));
    quietDir = await topicsProject(projectYaml([quiet]));
    // The poison sibling of orders is left out: it must show as missing.
    await createTopics(brokers, [`${orders}.dlq`], 2);
    await createTopics(brokers, [orders, `${orders}.dlq.validation_error`, `${orders}.dlq.processing_error`, quiet, ...['', '.validation_error', '.processing_error', '.poison'].map((s) => `${quiet}.dlq${s}`)], 1);
    await produce(`${orders}.dlq`, 0, 5);
    await produce(`${orders}.dlq`, 1, 3);
    // Two runs apart, so that oldest and newest differ within the one partition.
    await produce(`${orders}.dlq.validation_error`, 0, 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await produce(`${orders}.dlq.validation_error`, 0, 1);
    // A log start above 0: the count is high watermark minus log start, the oldest record the first one kept.
    await withAdmin(brokers, async (admin) => {
      await admin.fetchTopicMetadata({ topics: [`${orders}.dlq`] }); // KafkaJS deletes records only of topics it has metadata of
      await admin.deleteTopicRecords({ topic: `${orders}.dlq`, partitions: [{ partition: 1, offset: '1' }] });
    });
    // One group consumes a message with kcat and commits it; another has offsets set on both partitions.
    const consumed = await kcat(['-b', bootstrap, '-G', kcatGroup, '-X', 'auto.offset.reset=earliest', '-c', '1', '-e', '-q', '-f', '%o\n', `${orders}.dlq.validation_error`]);
    expect(consumed.exitCode, consumed.stderr).toBe(0);
    await withAdmin(brokers, (admin) =>
      admin.setOffsets({ groupId: adminGroup, topic: `${orders}.dlq`, partitions: [{ partition: 0, offset: '2' }, { partition: 1, offset: '3' }] }),
    );
  });

  it('lists every sibling with its parent, count, oldest and newest record and the lag of its groups, most messages first; a missing one as missing', async () => {
    const listed = await iotmsg(['dlq', 'list', '-o', 'json'], { cwd: dir });
    expect(listed.exitCode, listed.stderr).toBe(0);
    const { environment, dlqs } = JSON.parse(listed.stdout) as DlqJson;
    expect(environment).toBe('test');
    expect(dlqs.map((d) => [d.name, d.parent, d.status, d.messages])).toEqual([
      [`${orders}.dlq`, orders, 'present', 7],
      [`${orders}.dlq.validation_error`, orders, 'present', 2],
      [`${orders}.dlq.processing_error`, orders, 'present', 0],
      [`${orders}.dlq.poison`, orders, 'missing', null],
    ]);

    // Counts: kcat's end offsets, less the one record deleted from partition 1.
    expect(dlqs[0]!.messages).toBe((await kcatEnd(`${orders}.dlq`, 0)) + (await kcatEnd(`${orders}.dlq`, 1)) - 1);
    expect(dlqs[1]!.messages).toBe(await kcatEnd(`${orders}.dlq.validation_error`, 0));

    for (const row of dlqs.slice(0, 2)) {
      const times = await kcatTimestamps(row.name);
      expect(times).toHaveLength(row.messages!);
      expect(Math.max(...times)).toBeGreaterThan(Math.min(...times));
      expect(row.oldest).toBe(new Date(Math.min(...times)).toISOString());
      expect(row.newest).toBe(new Date(Math.max(...times)).toISOString());
    }
    expect(dlqs[2]).toMatchObject({ oldest: null, newest: null, groups: [] });

    // Lag as the committed offsets give it: high watermark minus committed, per partition.
    const kcatCommitted = await committed(kcatGroup, `${orders}.dlq.validation_error`);
    expect(kcatCommitted).toEqual(new Map([[0, 1]]));
    expect(dlqs[1]!.groups).toEqual([{ group: kcatGroup, lag: 2 - 1 }]);
    const adminCommitted = await committed(adminGroup, `${orders}.dlq`);
    expect(dlqs[0]!.groups).toEqual([{ group: adminGroup, lag: (await kcatEnd(`${orders}.dlq`, 0)) - adminCommitted.get(0)! + (await kcatEnd(`${orders}.dlq`, 1)) - adminCommitted.get(1)! }]);
    expect(dlqs[0]!.groups[0]!.lag).toBe(3);

    const human = await iotmsg(['dlq', 'list'], { cwd: dir });
    expect(human.exitCode, human.stderr).toBe(0);
    const lines = human.stdout.split('\n');
    expect(lines[0]).toMatch(/^DLQ\s+PARENT\s+MESSAGES\s+OLDEST\s+NEWEST\s+GROUPS$/);
    expect(lines[1]).toMatch(new RegExp(`^${orders}\\.dlq\\s+${orders}\\s+7\\s+\\S+\\s+\\S+\\s+${adminGroup} \\(lag 3\\)$`));
    expect(lines[4]).toMatch(new RegExp(`^${orders}\\.dlq\\.poison\\s+${orders}\\s+missing\\s+-\\s+-\\s+-$`));
    expect(lines[5]).toBe('2 of 4 dead-letter topic(s) of environment "test" hold messages; 1 missing on the cluster (create them with "iotmsg create-iot-topics")');
  });

  it('--fail-if-not-empty exits 3 while a DLQ holds messages and 0 when all are empty', async () => {
    const failing = await iotmsg(['dlq', 'list', '--fail-if-not-empty', '-o', 'json'], { cwd: dir });
    expect(failing.exitCode, failing.stderr).toBe(3);
    expect((JSON.parse(failing.stdout) as DlqJson).dlqs).toHaveLength(4);

    const quiet = await iotmsg(['dlq', 'list', '--fail-if-not-empty', '-o', 'json'], { cwd: quietDir });
    expect(quiet.exitCode, quiet.stderr).toBe(0);
    const { dlqs } = JSON.parse(quiet.stdout) as DlqJson;
    expect(dlqs.map((d) => [d.status, d.messages])).toEqual(Array.from({ length: 4 }, () => ['present', 0]));
  });
});
