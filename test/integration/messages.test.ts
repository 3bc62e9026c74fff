import avro from 'avsc';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { withAdmin } from '../support/kafka.js';
import { ndjson, RunningIotmsg } from '../support/messagesCli.js';
import { createTopic, createTopics, endOffsets, readMessages, sensorProject } from '../support/messagesKafka.js';
import { uniqueName } from '../support/names.js';
import { generateMessages } from '../../src/core/messages/index.js';
import { parseSchemaFiles } from '../../src/core/schemas/index.js';
import type { ProduceReport, TailRecord } from '../../src/render/messages.js';

const cluster = inject('devCluster');
const brokers = cluster.bootstrapServers;
const registry = cluster.schemaRegistryUrl!;
const connection = ['-b', brokers.join(','), '--schema-registry', registry];



async function produce(args: string[], options: { input?: string; cwd?: string } = {}): Promise<ProduceReport> {
  const result = await iotmsg(['produce', ...args, ...connection, '-o', 'json'], options);
  expect(result.stderr).not.toContain('error');
  expect(result.exitCode).toBe(0);
  return JSON.parse(result.stdout) as ProduceReport;
}

async function tail(args: string[], cwd?: string): Promise<TailRecord[]> {
  const result = await iotmsg(['tail', ...args, ...connection, '--exit-at-end'], { cwd });
  expect(result.exitCode, result.stderr).toBe(0);
  return ndjson<TailRecord>(result.stdout);
}

async function registrySchema(id: number): Promise<avro.Type> {
  const { schema } = (await (await fetch(`${registry}/schemas/ids/${id}`)).json()) as { schema: string };
  return avro.Type.forSchema(JSON.parse(schema) as avro.Schema, { wrapUnions: 'auto' });
}

/** Decodes the Confluent wire format independently: magic byte, big-endian id, Avro body. */
async function decodeWire(value: Buffer): Promise<{ id: number; value: unknown; type: avro.Type }> {
  expect(value[0]).toBe(0);
  const id = value.readInt32BE(1);
  const type = await registrySchema(id);
  return { id, value: type.fromBuffer(value.subarray(5)), type };
}

const reading = (sensor: string, value: number) => ({ sensor_id: sensor, timestamp: 1714564800000 + Math.round(value * 1000), value, unit: "C" });

describe('produce and tail', () => {
  it('round-trips JSON with a key, headers and a chosen partition', async () => {
    const topic = uniqueName('msg-json');
    await createTopic(brokers, topic, 3);
    const report = await produce([topic, '--format', 'json', '--value', '{"level":"info","msg":"boot"}', '-k', 'gw-7', '-H', 'source=test', '-H', 'trace=a=b', '-p', '2']);
    expect(report.messages).toEqual([{ partition: 2, offset: '0', key: 'gw-7' }]);

    const [raw] = await readMessages(brokers, topic, 1);
    expect(raw).toMatchObject({ partition: 2, offset: 0, headers: { source: 'test', trace: 'a=b' } });
    expect(raw!.key!.toString()).toBe('gw-7');
    expect(JSON.parse(raw!.value!.toString())).toEqual({ level: 'info', msg: 'boot' });

    const [shown] = await tail([topic, '--from-beginning']);
    expect(shown).toEqual({
      topic,
      partition: 2,
      offset: '0',
      timestamp: new Date(raw!.timestamp).toISOString(),
      key: 'gw-7',
      keyFormat: 'text',
      headers: { source: 'test', trace: 'a=b' },
      value: { level: 'info', msg: 'boot' },
      valueFormat: 'json',
    });
  });

  it('writes each stdin line as a string message and bytes from hex, and shows binary as hex', async () => {
    const topic = uniqueName('msg-text');
    await createTopic(brokers, topic, 1);
    const lines = await produce([topic, '--format', 'string'], { input: 'first line\nsecond line\n\nthird line\n' });
    expect(lines.acknowledged).toBe(3);
    const bytes = await produce([topic, '--format', 'bytes', '--value', '00ff10']);
    expect(bytes.messages).toEqual([{ partition: 0, offset: '3', key: null }]);

    const raw = await readMessages(brokers, topic, 4);
    expect(raw.map((m) => m.value!.toString('hex'))).toEqual([...['first line', 'second line', 'third line'].map((t) => Buffer.from(t).toString('hex')), '00ff10']);
    const shown = await tail([topic, '--from-beginning']);
    expect(shown.map((m) => [m.value, m.valueFormat, m.key])).toEqual([
      ['first line', 'text', null],
      ['second line', 'text', null],
      ['third line', 'text', null],
      ['00ff10', 'hex', null],
    ]);
  });

  it('writes Avro in the Confluent wire format with the schema of topics.yaml, and tail decodes it', async () => {
    const topic = uniqueName('msg-avro');
    await createTopic(brokers, topic, 3);
    const project = await sensorProject(brokers.join(','), registry, [topic]);
    const values = [reading('sensor-1', 20.5), { ...reading('sensor-2', 21), location: { lat: 52.37, lon: 4.9, altitude: 3.5 }, metadata: { site: 'ams' } }];
    const report = await produce([topic, '--schema', 'schemas/sensor-data.avsc', '-k', 'device-9'], { cwd: project, input: values.map((v) => JSON.stringify(v)).join('\n') });
    expect(report.format).toBe('avro');
    expect(report.acknowledged).toBe(2);
    const versions = (await (await fetch(`${registry}/subjects/${topic}-value/versions`)).json()) as number[];
    expect(versions).toEqual([1]);

    const raw = await readMessages(brokers, topic, 2);
    const decoded = await Promise.all(raw.sort((a, b) => a.offset - b.offset).map((m) => decodeWire(m.value!)));
    expect(decoded.map((d) => d.id)).toEqual([report.schema!.id, report.schema!.id]);
    expect(JSON.parse(JSON.stringify(decoded.map((d) => d.value)))).toEqual([
      { ...values[0], location: null, metadata: null },
      { ...values[1] },
    ]);

    // Without --schema the subject's latest is used, as registered above.
    const again = await produce([topic, '--value', JSON.stringify(reading('sensor-3', 19))], { cwd: project });
    expect(again.schema!.id).toBe(report.schema!.id);

    const shown = await tail([topic, '--from-beginning'], project);
    expect(shown).toHaveLength(3);
    expect(shown.every((m) => m.valueFormat === 'avro' && m.schemaId === report.schema!.id)).toBe(true);
    expect(shown.map((m) => m.value)).toContainEqual({ ...values[1] });
    expect(shown.map((m) => m.value)).toContainEqual({ ...reading('sensor-3', 19), location: null, metadata: null });
  });

  it('refuses values that do not fit the schema, naming the field path, and writes none of them', async () => {
    const topic = uniqueName('msg-refuse');
    await createTopic(brokers, topic, 3);
    const project = await sensorProject(brokers.join(','), registry, [topic]);
    const input = [
      JSON.stringify(reading('sensor-1', 1)),
      JSON.stringify({ ...reading('sensor-1', 2), location: { lat: 'north', lon: 4 } }),
      JSON.stringify({ ...reading('sensor-1', 3), unit: undefined }),
      'not json',
    ].join('\n');
    const result = await iotmsg(['produce', topic, '--schema', 'schemas/sensor-data.avsc', ...connection], { cwd: project, input });
    expect(result.exitCode).toBe(65);
    expect(result.stderr).toContain('error: stdin line 2: $.location.lat: expected double, got string "north"');
    expect(result.stderr).toContain('stdin line 3: $.unit: missing required field of type string');
    expect(result.stderr).toContain('stdin line 4: $: not valid JSON');
    expect(result.stderr).toContain('3 of 4 message(s) do not fit');
    expect(result.stderr).toContain('nothing was sent');
    expect(await endOffsets(brokers, topic)).toEqual([0, 0, 0]);
  });

  it('sends messages with one key to one partition and spreads different keys', async () => {
    const topic = uniqueName('msg-keys');
    await createTopic(brokers, topic, 6);
    const same = await produce([topic, '-k', 'device-42', '--format', 'json'], { input: Array.from({ length: 20 }, (_, i) => `{"n":${i}}`).join('\n') });
    const partitions = new Set(same.messages!.map((m) => m.partition));
    expect(partitions.size).toBe(1);
    expect(same.messages!.map((m) => Number(m.offset))).toEqual(Array.from({ length: 20 }, (_, i) => i));

    const generated = await produce([topic, '--generate', '60', '--seed', '5', '--format', 'json', '--schema', 'schemas/sensor-data.avsc'], { cwd: await sensorProject('x:1', registry, []) });
    const byKey = new Map<string, Set<number>>();
    for (const m of generated.messages!) byKey.set(m.key!, (byKey.get(m.key!) ?? new Set()).add(m.partition));
    expect([...byKey.values()].every((p) => p.size === 1)).toBe(true);
    expect(new Set(generated.messages!.map((m) => m.partition)).size).toBeGreaterThan(1);
    // The generator thread places keys as the main thread does: a device's key given with -k lands with its readings.
    for (const [key, [partition]] of [...byKey].slice(0, 5).map(([k, p]) => [k, [...p]] as const)) {
      const single = await produce([topic, '-k', key, '--value', 'x']);
      expect(single.messages![0]!.partition).toBe(partition);
    }
  });

  it('gives generated messages the key and headers asked for', async () => {
    const topic = uniqueName('msg-gen-key');
    await createTopic(brokers, topic, 3);
    const args = ['--generate', '30', '--seed', '2', '--schema', 'schemas/sensor-data.avsc', '-k', 'gateway-7', '-H', 'source=test', '-H', 'trace=a=b'];
    const report = await produce([topic, ...args]);
    expect(report).toMatchObject({ acknowledged: 30, failed: 0 });
    const raw = await readMessages(brokers, topic, 30);
    expect(new Set(raw.map((m) => `${m.partition}:${m.key!.toString()}`))).toEqual(new Set([`${report.messages![0]!.partition}:gateway-7`]));
    const records = await tail([topic, '--from-beginning']);
    expect(records.map((r) => r.headers)).toEqual(Array.from({ length: 30 }, () => ({ source: 'test', trace: 'a=b' })));
  });

  it('generates readings that conform to the schema, keyed by device, the same for the same seed', async () => {
    const [first, second] = [uniqueName('msg-gen'), uniqueName('msg-gen')];
    await createTopic(brokers, first, 3);
    await createTopic(brokers, second, 3);
    const project = await sensorProject(brokers.join(','), registry, [first, second]);
    for (const topic of [first, second]) {
      const report = await produce([topic, '--schema', 'schemas/sensor-data.avsc', '--generate', '500', '--seed', '42'], { cwd: project });
      expect(report).toMatchObject({ acknowledged: 500, failed: 0 });
    }
    const read = async (topic: string) => {
      const raw = await readMessages(brokers, topic, 500);
      return Promise.all(raw.map(async (m) => ({ key: m.key!.toString(), partition: m.partition, ...(await decodeWire(m.value!)) })));
    };
    const messages = await read(first);
    for (const m of messages) {
      expect(m.type.isValid(m.value)).toBe(true);
      const value = m.value as { sensor_id: string; unit: string; value: number; timestamp: number };
      expect(value.sensor_id).toBe(m.key);
      expect(['C', '%RH', 'hPa', 'ppm', 'lx']).toContain(value.unit);
      expect(Number.isFinite(value.value)).toBe(true);
    }
    expect(new Set(messages.map((m) => m.key)).size).toBe(50);

    const withoutTime = (list: Awaited<ReturnType<typeof read>>) =>
      list.map((m) => ({ key: m.key, partition: m.partition, value: { ...(m.value as object), timestamp: 0 } }));
    expect(withoutTime(await read(second))).toEqual(withoutTime(messages));
  });

  it('writes a generated run of many batches whole and in order: each device\'s readings as the generator drew them', async () => {
    const topic = uniqueName('msg-gen-bulk');
    await createTopic(brokers, topic, 4);
    const count = 12_000; // several batches, more than the generator thread may have ready ahead
    const report = await produce([topic, '--schema', 'schemas/sensor-data.avsc', '--generate', String(count), '--seed', '9']);
    expect(report).toMatchObject({ acknowledged: count, failed: 0 });
    expect((await endOffsets(brokers, topic)).reduce((sum, high) => sum + high, 0)).toBe(count);

    const raw = await readMessages(brokers, topic, count, 60_000);
    const type = (await decodeWire(raw[0]!.value!)).type;
    // Timestamps follow the clock of the run; everything else is the seed's.
    const withoutTime = (value: unknown) => ({ ...(value as object), timestamp: 0 });
    const written = new Map<string, unknown[]>();
    for (const m of raw) written.set(m.key!.toString(), [...(written.get(m.key!.toString()) ?? []), withoutTime(type.fromBuffer(m.value!.subarray(5)))]);
    const files = ['location', 'sensor-data'].map((n) => ({ path: n, text: readFileSync(new URL(`../../schemas/${n}.avsc`, import.meta.url), 'utf8') }));
    const model = parseSchemaFiles(files).schemas.get('sensor-data')!.schema;
    const drawn = new Map<string, unknown[]>();
    for (const { key, value } of generateMessages(model, { seed: 9, count, endMs: 0 })) {
      drawn.set(key, [...(drawn.get(key) ?? []), withoutTime(type.fromBuffer(type.toBuffer(value)))]);
    }
    expect(written.size).toBe(100);
    expect(written).toEqual(drawn);
  });

  it('writes every generated message in order into partitions the broker is still making', async () => {
    // Right after topics are created the broker may answer "not the leader" for a while; a
    // first batch retried must not be overtaken by the next ones (the broker takes any
    // sequence number from a producer new to a partition, and would then refuse the retry).
    const topic = uniqueName('msg-fresh');
    await createTopics(brokers, [topic, ...Array.from({ length: 7 }, (_, i) => `${topic}-crowd-${i}`)], 24);
    const count = 20_000;
    const report = await produce([topic, '--schema', 'schemas/sensor-data.avsc', '--generate', String(count), '--seed', '11']);
    expect(report).toMatchObject({ acknowledged: count, failed: 0 });
    const raw = await readMessages(brokers, topic, count, 60_000);
    const type = (await decodeWire(raw[0]!.value!)).type;
    const written = new Map<string, number[]>();
    for (const m of raw) written.set(m.key!.toString(), [...(written.get(m.key!.toString()) ?? []), (type.fromBuffer(m.value!.subarray(5)) as { timestamp: number }).timestamp]);
    expect([...written.values()].reduce((sum, times) => sum + times.length, 0)).toBe(count);
    for (const times of written.values()) expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('starts at an offset, at a time, or from the end of each partition, and stops at --max', async () => {
    const topic = uniqueName('msg-pos');
    await createTopic(brokers, topic, 1);
    await produce([topic], { input: Array.from({ length: 10 }, (_, i) => `early-${i}`).join('\n') });
    await sleep(1_500);
    const between = new Date(Date.now() - 500).toISOString();
    await produce([topic], { input: Array.from({ length: 5 }, (_, i) => `late-${i}`).join('\n') });

    expect((await tail([topic, '--since', between])).map((m) => m.value)).toEqual(['late-0', 'late-1', 'late-2', 'late-3', 'late-4']);
    expect((await tail([topic, '--since', '1h'])).length).toBe(15);
    expect((await tail([topic, '--offset', '8'])).map((m) => m.offset)).toEqual(['8', '9', '10', '11', '12', '13', '14']);
    expect((await tail([topic, '--offset', '-2'])).map((m) => m.value)).toEqual(['late-3', 'late-4']);
    expect((await tail([topic, '--from-beginning', '--max', '3'])).map((m) => m.value)).toEqual(['early-0', 'early-1', 'early-2']);
    expect(await tail([topic])).toEqual([]);
  });

  it('filters with --grep, prints kcat templates, and reads one partition', async () => {
    const topic = uniqueName('msg-fmt');
    await createTopic(brokers, topic, 2);
    await produce([topic, '-p', '0', '-k', 'a'], { input: 'alpha\nbeta\ngamma' });
    await produce([topic, '-p', '1', '-k', 'b', '-H', 'h=1'], { input: 'delta' });
    const template = await iotmsg(['tail', topic, '--from-beginning', '--exit-at-end', '--format', '%k|%v|%p|%o|%h', ...connection]);
    expect(template.stdout.split('\n').filter(Boolean).sort()).toEqual(['a|alpha|0|0|', 'a|beta|0|1|', 'a|gamma|0|2|', 'b|delta|1|0|h=1']);
    expect((await tail([topic, '--from-beginning', '--grep', 'ta$'])).map((m) => m.value).sort()).toEqual(['beta', 'delta']);
    expect((await tail([topic, '--from-beginning', '--partition', '1'])).map((m) => m.value)).toEqual(['delta']);
    const json = await iotmsg(['tail', topic, '--from-beginning', '--exit-at-end', '-o', 'json', ...connection]);
    expect((JSON.parse(json.stdout) as TailRecord[]).length).toBe(4);
  });

  it('follows new messages, and Ctrl-C ends it with a summary', async () => {
    const topic = uniqueName('msg-follow');
    await createTopic(brokers, topic, 2);
    const follower = new RunningIotmsg(['tail', topic, ...connection, '--verbose']);
    await follower.waitFor('stderr', (text) => text.includes('starting at the end of each partition'));
    await produce([topic, '-k', 'x'], { input: 'one\ntwo' });
    await follower.waitFor('stdout', (text) => text.split('\n').filter(Boolean).length >= 2);
    follower.child.kill('SIGINT');
    const result = await follower.child;
    expect(result.exitCode).toBe(0);
    expect(ndjson<TailRecord>(result.stdout).map((m) => m.value)).toEqual(['one', 'two']);
    expect(result.stderr).toMatch(/stopped: 2 message\(s\) from 2 partition\(s\) of msg-follow-\w+/);
  });

  it('shows the error headers of a DLQ topic', async () => {
    const topic = `${uniqueName('msg-orders')}.dlq`;
    await createTopic(brokers, topic, 1);
    await produce([topic, '-H', 'error.class=SerializationException', '-H', 'error.message=unknown magic byte', '-H', 'original.topic=orders'], { input: 'payload' });
    const shown = await iotmsg(['tail', topic, '--from-beginning', '--exit-at-end', '-o', 'table', ...connection]);
    expect(shown.stdout).toContain('    error.class: SerializationException\n');
    expect(shown.stdout).toContain('    error.message: unknown magic byte\n');
    expect(shown.stdout).toMatch(/    original.topic: orders\n?/);
  });

  it('reads without leaving a group behind unless --group is given, which commits what it read', async () => {
    const topic = uniqueName('msg-group');
    await createTopic(brokers, topic, 2);
    await produce([topic, '-p', '0'], { input: 'a\nb\nc' });
    await produce([topic, '-p', '1'], { input: 'd' });
    const groupsBefore = await withAdmin(brokers, async (admin) => (await admin.listGroups()).groups.map((g) => g.groupId));
    await tail([topic, '--from-beginning']);
    const groupsAfter = await withAdmin(brokers, async (admin) => (await admin.listGroups()).groups.map((g) => g.groupId));
    expect(groupsAfter.filter((g) => !groupsBefore.includes(g))).toEqual([]);

    const group = uniqueName('msg-reader');
    expect(await tail([topic, '--group', group, '--from-beginning'])).toHaveLength(4);
    const committed = await withAdmin(brokers, (admin) => admin.fetchOffsets({ groupId: group, topics: [topic] }));
    expect(committed[0]!.partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset)).toEqual(['3', '1']);
    expect(await tail([topic, '--group', group])).toEqual([]);
  });

  it('exits non-zero and says how many were not acknowledged when the broker refuses a batch', async () => {
    const topic = uniqueName('msg-too-large');
    await withAdmin(brokers, (admin) =>
      admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'max.message.bytes', value: '2048' }] }], waitForLeaders: true }),
    );
    const result = await iotmsg(['produce', topic, ...connection, '-o', 'json'], { input: ['small', 'x'.repeat(10_000)].join('\n') });
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ requested: 2, acknowledged: 0, failed: 2 });
    expect(result.stderr).toContain('error: 2 of 2 message(s) were not acknowledged');
    expect(await endOffsets(brokers, topic)).toEqual([0]);
  });

  it('keeps to --rate', async () => {
    const topic = uniqueName('msg-rate');
    await createTopic(brokers, topic, 1);
    const report = await produce([topic, '--rate', '10'], { input: Array.from({ length: 21 }, (_, i) => `m${i}`).join('\n') });
    // 21 messages at 10 per second cannot take less than 2 s, however fast the broker.
    expect(report.durationMs).toBeGreaterThanOrEqual(1_900);
  });

  it('exits non-zero with a clear message for a topic that does not exist', async () => {
    const topic = uniqueName('msg-missing');
    const produced = await iotmsg(['produce', topic, '--value', 'x', ...connection]);
    expect(produced.exitCode).toBe(1);
    expect(produced.stderr).toContain(`topic "${topic}" does not exist`);
    const tailed = await iotmsg(['tail', topic, ...connection]);
    expect(tailed.exitCode).toBe(1);
  });
});
