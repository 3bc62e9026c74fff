import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { kcat } from '../support/kcat.js';
import { withAdmin } from '../support/kafka.js';
import { createTopic } from '../support/messagesKafka.js';
import { uniqueName } from '../support/names.js';

const brokers = inject('devCluster').bootstrapServers;
const connection = ['-b', brokers.join(',')];

/** What kcat, an independent client, still reads from the topic. */
async function remaining(topic: string): Promise<string[]> {
  const read = await kcat(['-C', '-b', brokers.join(','), '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p:%s\n']);
  expect(read.exitCode, read.stderr).toBe(0);
  return read.stdout.split('\n').filter((l) => l !== '').sort();
}

async function lowOffsets(topic: string): Promise<string[]> {
  const offsets = await withAdmin(brokers, (admin) => admin.fetchTopicOffsets(topic));
  return offsets.sort((a, b) => a.partition - b.partition).map((o) => o.low);
}

describe('topics truncate', () => {
  let topic: string;
  let outside: string;

  beforeAll(async () => {
    topic = uniqueName('truncate');
    outside = await mkdtemp(join(tmpdir(), 'iotmsg-truncate-'));
    await createTopic(brokers, topic, 2);
    for (const partition of [0, 1]) {
      const produced = await iotmsg(['produce', topic, '-p', String(partition), ...connection], { input: Array.from({ length: 6 }, (_, i) => `m${i}`).join('\n') });
      expect(produced.exitCode, produced.stderr).toBe(0);
    }
  });

  afterAll(async () => {
    await rm(outside, { recursive: true, force: true });
  });

  it('deletes records below an offset in every partition, only after confirmation', async () => {
    const unconfirmed = await iotmsg(['topics', 'truncate', topic, '--before', '4', ...connection], { cwd: outside });
    expect(unconfirmed.exitCode).toBe(64);
    expect(await lowOffsets(topic)).toEqual(['0', '0']);

    const truncated = await iotmsg(['topics', 'truncate', topic, '--before', '4', '--yes', ...connection, '-o', 'json'], { cwd: outside });
    expect(truncated.exitCode, truncated.stderr).toBe(0);
    expect(JSON.parse(truncated.stdout)).toEqual({
      topic,
      deleted: 8,
      partitions: [
        { partition: 0, low: 0, newLow: 4, deleted: 4 },
        { partition: 1, low: 0, newLow: 4, deleted: 4 },
      ],
    });
    expect(await remaining(topic)).toEqual(['0:m4', '0:m5', '1:m4', '1:m5']);

    const again = await iotmsg(['topics', 'truncate', topic, '--before', '2', '--yes', ...connection], { cwd: outside });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('nothing to delete');
  });

  it('deletes everything older than a time, and refuses a protected topic however the brokers were given', async () => {
    const project = join(outside, 'project');
    await mkdir(project);
    await writeFile(join(project, 'topics.yaml'), `protectedTopics: [${topic}]\nenvironments:\n  dev:\n    brokers: [${brokers.join(', ')}]\ntopics: []\n`);
    for (const args of [['-e', 'dev'], connection]) {
      const refused = await iotmsg(['topics', 'truncate', topic, '--before', 'end', '--yes', ...args], { cwd: project });
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toMatch(/refusing to truncate|name it with --env/);
    }
    expect(await remaining(topic)).toHaveLength(4);

    const future = new Date(Date.now() + 3_600_000).toISOString();
    const emptied = await iotmsg(['topics', 'truncate', topic, '--before', future, '--yes', ...connection], { cwd: outside });
    expect(emptied.exitCode, emptied.stderr).toBe(0);
    expect(await remaining(topic)).toEqual([]);
    expect(await lowOffsets(topic)).toEqual(['6', '6']);

    const bad = await iotmsg(['topics', 'truncate', topic, '--before', 'yesterday', ...connection], { cwd: outside });
    expect(bad.exitCode).toBe(64);
  });
});
