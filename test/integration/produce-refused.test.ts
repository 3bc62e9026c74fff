import { describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { withAdmin } from '../support/kafka.js';
import { endOffsets } from '../support/messagesKafka.js';
import { uniqueName } from '../support/names.js';
import type { ProduceReport } from '../../src/render/messages.js';

const cluster = inject('devCluster');
const brokers = cluster.bootstrapServers;
const connection = ['-b', brokers.join(','), '--schema-registry', cluster.schemaRegistryUrl!];

async function topicWithLimit(maxMessageBytes: number): Promise<string> {
  const topic = uniqueName('msg-refused');
  await withAdmin(brokers, (admin) =>
    admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'max.message.bytes', value: String(maxMessageBytes) }] }], waitForLeaders: true }),
  );
  return topic;
}

/** Runs produce that the broker refuses part of: exit 1, a report, no stack trace, and the report's count is what the broker holds. */
async function refusedRun(topic: string, args: string[], input: string): Promise<ProduceReport> {
  const result = await iotmsg(['produce', topic, '--format', 'string', ...args, ...connection, '-o', 'json'], { input });
  expect(result.exitCode, result.stderr).toBe(1);
  expect(result.stderr).not.toMatch(/Unhandled|\n\s+at /);
  const report = JSON.parse(result.stdout) as ProduceReport;
  const held = (await endOffsets(brokers, topic)).reduce((a, b) => a + b, 0);
  expect(report.acknowledged).toBe(held);
  expect(report.failed).toBe(report.requested - held);
  expect(report.error).toMatch(/refused \(.*(larger|too large|size).*\)/i);
  expect(result.stderr).toContain(`error: ${report.failed} of ${report.requested} message(s) were not acknowledged`);
  return report;
}

describe('produce when the broker refuses a batch', () => {
  it('reports exactly what was acknowledged with several batches in flight', async () => {
    const topic = await topicWithLimit(600_000);
    const line = 'x'.repeat(400);
    // About six half-megabyte batches; the one holding the 700 KB line is over the limit.
    const lines = [...Array<string>(2_000).fill(line), 'y'.repeat(700_000), ...Array<string>(4_000).fill(line)];
    const report = await refusedRun(topic, [], lines.join('\n'));
    expect(report.acknowledged).toBeGreaterThan(0);
    expect(report.failed).toBeGreaterThan(0);
  });

  it('reports exactly what was acknowledged with --rate', async () => {
    const topic = await topicWithLimit(2_048);
    const lines = Array.from({ length: 60 }, (_, i) => (i === 25 ? 'z'.repeat(10_000) : `m${i}`));
    const report = await refusedRun(topic, ['--rate', '200', '-k', 'one-key'], lines.join('\n'));
    expect(report.acknowledged).toBeGreaterThan(0);
    expect(report.failed).toBeGreaterThan(0);
  });
});
