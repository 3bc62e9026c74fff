import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureExcerpt } from './supervisor.js';

describe('failureExcerpt', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iotmsg-excerpt-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function excerptOf(log: string, logOffset = 0): Promise<string> {
    const logFile = join(dir, `${Math.random().toString(36).slice(2)}.log`);
    await writeFile(logFile, log);
    return failureExcerpt({ logFile, logOffset });
  }

  it('names an OutOfMemoryError even when other threads log exceptions after it', async () => {
    // What a broker that ran out of heap while loading its logs leaves behind.
    const log = [
      '[2026-12-03 10:00:00,000] INFO [BrokerServer id=2] Loading logs (kafka.log.LogManager)',
      'Terminating due to java.lang.OutOfMemoryError: Java heap space',
      '[2026-12-03 10:00:01,000] ERROR [BrokerLifecycleManager id=2] Unable to register (kafka.server.BrokerLifecycleManager)',
      'org.apache.kafka.common.errors.NotControllerException: No controller appears to be active.',
    ].join('\n');
    expect(await excerptOf(log)).toBe('out of memory (java.lang.OutOfMemoryError: Java heap space)');
  });

  it('gives the last exception message otherwise, and ignores what was logged before this start', async () => {
    const earlier = 'Terminating due to java.lang.OutOfMemoryError: Java heap space\n';
    const log = `${earlier}[x] INFO starting\njava.lang.RuntimeException: Invalid cluster.id in meta.properties\n\tat kafka.Kafka.main\n`;
    expect(await excerptOf(log, Buffer.byteLength(earlier))).toBe('Invalid cluster.id in meta.properties');
  });
});
