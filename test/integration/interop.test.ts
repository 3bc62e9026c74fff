import { execa } from 'execa';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { ndjson } from '../support/messagesCli.js';
import { createTopic, sensorProject } from '../support/messagesKafka.js';
import { interopPython, INTEROP_SCRIPT } from '../support/messagesPython.js';
import { uniqueName } from '../support/names.js';
import type { TailRecord } from '../../src/render/messages.js';

const cluster = inject('devCluster');
const brokers = cluster.bootstrapServers;
const bootstrap = brokers.join(',');
const registry = cluster.schemaRegistryUrl!;
const connection = ['-b', bootstrap, '--schema-registry', registry];


const readings = Array.from({ length: 6 }, (_, i) => ({
  key: `sensor-${i % 3}`,
  value: {
    sensor_id: `sensor-${i % 3}`,
    timestamp: 1714564800000 + i * 1000,
    value: 20 + i / 4,
    unit: i % 2 === 0 ? 'C' : '%RH',
    location: i % 2 === 0 ? { lat: 52.37, lon: 4.9, altitude: i === 0 ? null : 3.5 } : null,
    metadata: i === 1 ? { site: 'ams', firmware: '2.4.0' } : null,
  },
}));

async function tail(topic: string): Promise<TailRecord[]> {
  const result = await iotmsg(['tail', topic, '--from-beginning', '--exit-at-end', ...connection]);
  expect(result.exitCode, result.stderr).toBe(0);
  return ndjson<TailRecord>(result.stdout);
}

describe('kcat (librdkafka) and iotmsg', () => {
  it('kcat reads what iotmsg writes: key, value, headers, partition', async () => {
    const topic = uniqueName('interop-kcat-read');
    await createTopic(brokers, topic, 3);
    const produced = await iotmsg(['produce', topic, '--format', 'json', '-k', 'gw-1', '-H', 'source=iotmsg', '-p', '1', '--value', '{"ok":true}', ...connection]);
    expect(produced.exitCode).toBe(0);
    const { stdout } = await execa('kcat', ['-C', '-b', bootstrap, '-t', topic, '-e', '-J', '-q']);
    expect(ndjson<{ partition: number; offset: number; key: string; payload: string; headers: string[] }>(stdout)).toEqual([
      expect.objectContaining({ partition: 1, offset: 0, key: 'gw-1', payload: '{"ok":true}', headers: ['source', 'iotmsg'] }),
    ]);
  });

  it('iotmsg tail decodes what kcat writes', async () => {
    const topic = uniqueName('interop-kcat-write');
    await createTopic(brokers, topic, 1);
    await execa('kcat', ['-P', '-b', bootstrap, '-t', topic, '-K', '|', '-H', 'source=kcat'], { input: 'dev-1|{"temp":21.5}\ndev-2|plain text\n' });
    const shown = await tail(topic);
    expect(shown.map((m) => [m.key, m.value, m.valueFormat, m.headers])).toEqual([
      ['dev-1', { temp: 21.5 }, 'json', { source: 'kcat' }],
      ['dev-2', 'plain text', 'text', { source: 'kcat' }],
    ]);
  });

  it('puts a key on the partition the Java client (and librdkafka murmur2) would', async () => {
    const [byKcat, byIotmsg] = [uniqueName('interop-part-kcat'), uniqueName('interop-part-iotmsg')];
    await createTopic(brokers, byKcat, 12);
    await createTopic(brokers, byIotmsg, 12);
    const keys = Array.from({ length: 8 }, (_, i) => `device-${i}`);
    await execa('kcat', ['-P', '-b', bootstrap, '-t', byKcat, '-K', '|', '-X', 'partitioner=murmur2_random'], { input: keys.map((k) => `${k}|x`).join('\n') });
    for (const key of keys) expect((await iotmsg(['produce', byIotmsg, '-k', key, '--value', 'x', ...connection])).exitCode).toBe(0);
    const place = async (topic: string) => new Map((await tail(topic)).map((m) => [m.key as string, m.partition]));
    const [kcat, ours] = [await place(byKcat), await place(byIotmsg)];
    expect(ours).toEqual(kcat);
    expect(new Set(ours.values()).size).toBeGreaterThan(2);
  });
});

describe('confluent-kafka (Python AvroSerializer / AvroDeserializer) and iotmsg', () => {
  let python: string;
  beforeAll(async () => {
    python = await interopPython();
  }, 300_000);

  it('confluent-kafka reads the Avro that iotmsg writes', async () => {
    const topic = uniqueName('interop-py-read');
    await createTopic(brokers, topic, 3);
    const project = await sensorProject(bootstrap, registry, [topic]);
    for (const { key, value } of readings) {
      const produced = await iotmsg(['produce', topic, '--schema', 'schemas/sensor-data.avsc', '-k', key, '--value', JSON.stringify(value), ...connection], { cwd: project });
      expect(produced.exitCode, produced.stderr).toBe(0);
    }
    const { stdout } = await execa(python, [INTEROP_SCRIPT, 'consume', bootstrap, registry, topic, String(readings.length)]);
    const read = ndjson<{ key: string; value: unknown }>(stdout);
    expect(read.map(({ key, value }) => ({ key, value }))).toEqual(expect.arrayContaining(readings));
    expect(read).toHaveLength(readings.length);
  });

  it('iotmsg tail decodes the Avro that confluent-kafka writes', async () => {
    const topic = uniqueName('interop-py-write');
    await createTopic(brokers, topic, 3);
    const project = await sensorProject(bootstrap, registry, [topic]);
    // Register the schema under the subject; the Python producer writes with the subject's latest.
    const seeded = await iotmsg(['produce', topic, '--schema', 'schemas/sensor-data.avsc', '--generate', '1', '--seed', '1', ...connection], { cwd: project });
    expect(seeded.exitCode, seeded.stderr).toBe(0);
    await execa(python, [INTEROP_SCRIPT, 'produce', bootstrap, registry, topic, `${topic}-value`], { input: readings.map((r) => JSON.stringify(r)).join('\n') });

    const shown = (await tail(topic)).filter((m) => m.headers.producer === 'confluent-kafka-python');
    expect(shown).toHaveLength(readings.length);
    expect(shown.every((m) => m.valueFormat === 'avro' && m.schemaId !== undefined)).toBe(true);
    expect(shown.map((m) => ({ key: m.key, value: m.value }))).toEqual(expect.arrayContaining(readings));
  });
});
