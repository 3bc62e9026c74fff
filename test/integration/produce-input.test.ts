import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { kcat } from '../support/kcat.js';
import { createTopic, endOffsets } from '../support/messagesKafka.js';
import { uniqueName } from '../support/names.js';

const cluster = inject('devCluster');
const brokers = cluster.bootstrapServers;
const connection = ['-b', brokers.join(','), '--schema-registry', cluster.schemaRegistryUrl!];

/** What an independent client reads: partition, key, headers and value of every message, NULL for absent ones. */
async function readWithKcat(topic: string): Promise<string[]> {
  const read = await kcat(['-C', '-b', brokers.join(','), '-t', topic, '-e', '-q', '-Z', '-f', '%p|%k|%h|%s\n']);
  expect(read.exitCode, read.stderr).toBe(0);
  return read.stdout.trimEnd().split('\n').sort();
}

describe('produce input with keys, headers and partitions per line', () => {
  it('splits each line at the -K delimiter into key and value, as kcat -K does', async () => {
    const topic = uniqueName('in-keyed');
    await createTopic(brokers, topic, 3);
    const input = 'dev-1:{"v":1}\ndev-2:{"v":2}\ndev-1:{"v":3,"note":"a:b"}\n';
    const produced = await iotmsg(['produce', topic, '--format', 'json', '-K', ':', ...connection, '-o', 'json'], { input });
    expect(produced.exitCode, produced.stderr).toBe(0);

    const read = await readWithKcat(topic);
    const partitionOf = (key: string) => new Set(read.filter((line) => line.split('|')[1] === key).map((line) => line.split('|')[0]));
    expect(read.map((line) => line.split('|').slice(1).join('|')).sort()).toEqual(['dev-1||{"v":1}', 'dev-1||{"v":3,"note":"a:b"}', 'dev-2||{"v":2}']);
    // One key, one partition: the key was hashed, not the whole line.
    expect(partitionOf('dev-1').size).toBe(1);

    const tabbed = await iotmsg(['produce', topic, '-K', '\\t', ...connection], { input: 'gw-9\tboot\n' });
    expect(tabbed.exitCode, tabbed.stderr).toBe(0);
    expect(await readWithKcat(topic)).toContainEqual(expect.stringMatching(/^\d\|gw-9\|\|boot$/));
  });

  it('refuses the whole input when a line has no key delimiter, naming the line, and writes nothing', async () => {
    const topic = uniqueName('in-keyed-bad');
    await createTopic(brokers, topic, 1);
    const refused = await iotmsg(['produce', topic, '-K', ':', ...connection], { input: 'a:1\nno delimiter here\nc:3\n' });
    expect(refused.exitCode).toBe(65);
    expect(refused.stderr).toBe('error: stdin line 2: no key delimiter ":" in the line\nhint: 1 of 3 message(s) cannot be written as given; nothing was sent');
    expect(await endOffsets(brokers, topic)).toEqual([0]);

    const withValue = await iotmsg(['produce', topic, '-K', ':', '--value', 'a:1', ...connection]);
    expect(withValue.exitCode).toBe(64);
    expect(withValue.stderr).toBe('error: --key-delimiter reads each line of input, and --value is one value\nhint: give the lines with --input <file> or on stdin');
  });

  it('writes NDJSON envelopes with their own key, headers, partition, and null as a tombstone', async () => {
    const topic = uniqueName('in-envelope');
    await createTopic(brokers, topic, 3);
    const input = [
      { key: 'dev-1', value: { v: 1 }, headers: { source: 'gw-7', trace: 'x' }, partition: 2 },
      { key: 'dev-2', value: { v: 2 } },
      { key: 'dev-1', value: null, partition: 2 },
      { value: 'plain' },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n');
    const produced = await iotmsg(['produce', topic, '--format', 'json', '--envelope', '-H', 'batch=7', ...connection], { input });
    expect(produced.exitCode, produced.stderr).toBe(0);

    const read = await readWithKcat(topic);
    expect(read.filter((line) => line.startsWith('2|dev-1|'))).toEqual(['2|dev-1|batch=7,source=gw-7,trace=x|{"v":1}', '2|dev-1|batch=7|NULL']);
    expect(read).toContainEqual(expect.stringMatching(/^\d\|dev-2\|batch=7\|\{"v":2\}$/));
    expect(read).toContainEqual(expect.stringMatching(/^\d\|NULL\|batch=7\|"plain"$/));
    expect(read).toHaveLength(4);

    // A flag names one partition for every message: it wins over the envelope's own.
    const pinned = await iotmsg(['produce', topic, '--format', 'json', '--envelope', '-p', '0', ...connection], { input: '{"key":"k","value":1,"partition":2}\n' });
    expect(pinned.exitCode, pinned.stderr).toBe(0);
    expect(await readWithKcat(topic)).toContain('0|k||1');
  });

  it('refuses envelopes that are not envelopes or name a partition the topic lacks, and writes nothing', async () => {
    const topic = uniqueName('in-envelope-bad');
    await createTopic(brokers, topic, 2);
    const input = ['{"key":"a","value":1}', '{"key":"b","vaule":2}', '[1,2]', '{"value":3,"partition":5}', '{"value":4,"headers":{"n":1}}'].join('\n');
    const refused = await iotmsg(['produce', topic, '--format', 'json', '--envelope', ...connection], { input });
    expect(refused.exitCode).toBe(65);
    expect(refused.stderr.split('\n')).toEqual([
      '  stdin line 3: an envelope is a JSON object such as {"key":"k","value":{...}}',
      '  stdin line 4: topic "' + topic + '" has no partition 5 (its partitions are 0 to 1)',
      '  stdin line 5: header "n" is not text',
      'error: stdin line 2: unknown envelope field "vaule" (an envelope has key, value, headers, partition)',
      'hint: 4 of 5 message(s) cannot be written as given; nothing was sent',
    ]);
    expect(await endOffsets(brokers, topic)).toEqual([0, 0]);
  });

  it("writes again what tail -o ndjson printed: keys, headers, partitions and Avro values as they were", async () => {
    const source = uniqueName('in-copy-from');
    const copy = uniqueName('in-copy-to');
    await createTopic(brokers, source, 3);
    await createTopic(brokers, copy, 3);
    const schema = fileURLToPath(new URL('../../schemas/sensor-data.avsc', import.meta.url));
    const avro = ['--schema', schema, '--subject', `${source}-value`];
    const generated = await iotmsg(['produce', source, ...avro, '--generate', '40', '--seed', '11', '-H', 'origin=bench', ...connection]);
    expect(generated.exitCode, generated.stderr).toBe(0);

    const tailed = await iotmsg(['tail', source, '--from-beginning', '--exit-at-end', '-o', 'ndjson', ...connection]);
    expect(tailed.exitCode, tailed.stderr).toBe(0);
    const copied = await iotmsg(['produce', copy, ...avro, '--envelope', ...connection], { input: tailed.stdout });
    expect(copied.exitCode, copied.stderr).toBe(0);

    // Same schema, same subject, so the same schema id: the bytes must be identical too.
    expect(await endOffsets(brokers, copy)).toEqual(await endOffsets(brokers, source));
    expect(await readWithKcat(copy)).toEqual(await readWithKcat(source));
  });
});
