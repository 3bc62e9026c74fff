import { describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { withAdmin } from '../support/kafka.js';
import { uniqueName } from '../support/names.js';

const cluster = inject('devCluster');
const connection = ['-b', cluster.bootstrapServers.join(','), '--schema-registry', cluster.schemaRegistryUrl!];

// The broker stores batches compressed as the topic's compression.type says, whatever
// the producer sent; tail must read every kind (the platform's topics use zstd and lz4).
describe.each(['gzip', 'snappy', 'lz4', 'zstd'])('a topic with compression.type %s', (compression) => {
  it('round-trips messages through produce and tail', async () => {
    const topic = uniqueName(`compressed-${compression}`);
    await withAdmin(cluster.bootstrapServers, (admin) =>
      admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'compression.type', value: compression }] }], waitForLeaders: false }),
    );
    const values = Array.from({ length: 50 }, (_, i) => JSON.stringify({ reading: i, note: 'compressible '.repeat(20) }));
    const produced = await iotmsg(['produce', topic, '--format', 'json', ...connection], { input: `${values.join('\n')}\n` });
    expect(produced.exitCode).toBe(0);

    const tailed = await iotmsg(['tail', topic, '--from-beginning', '--exit-at-end', '-o', 'ndjson', ...connection]);
    expect(tailed.stderr).not.toContain('error');
    expect(tailed.exitCode).toBe(0);
    const read = tailed.stdout.trim().split('\n').map((line) => JSON.stringify((JSON.parse(line) as { value: unknown }).value));
    expect(read).toEqual(values);
  });
});
