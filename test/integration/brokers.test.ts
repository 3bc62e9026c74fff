import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { startTestCluster, stopTestCluster, type TestCluster } from '../support/cluster.js';
import { kafkaTool } from '../support/kafkaTools.js';
import { kcat } from '../support/kcat.js';
import { uniqueName } from '../support/names.js';
import { createTopicsDirectly } from '../support/topicsProject.js';

/** Three brokers of our own: their configs are changed here, which no other file may see. */
let cluster: TestCluster;
let ids: number[];

beforeAll(async () => {
  cluster = await startTestCluster('prod', false);
  ids = (await logDirsByKafka()).map((b) => b.broker).sort((a, b) => a - b);
});

afterAll(async () => {
  if (cluster) await stopTestCluster(cluster);
});

const run = (args: string[]) => iotmsg(args, { env: { KAFKA_BROKERS: cluster.bootstrapServers.join(',') } });

interface KafkaLogDirs {
  broker: number;
  logDirs: { logDir: string; error: string | null; partitions: { partition: string; size: number }[] }[];
}

/** kafka-log-dirs --describe: its JSON line, after two lines of progress. */
async function logDirsByKafka(): Promise<KafkaLogDirs[]> {
  const result = await kafkaTool('logDirs', ['--bootstrap-server', cluster.bootstrapServers[0]!, '--describe']);
  expect(result.exitCode, result.stderr).toBe(0);
  const json = result.stdout.split('\n').find((line) => line.startsWith('{'));
  return (JSON.parse(json!) as { brokers: KafkaLogDirs[] }).brokers;
}

/** kafka-configs --describe: the dynamic configs of one broker or (undefined) the cluster default, as name=value. */
async function dynamicConfigs(broker: number | undefined): Promise<Record<string, string>> {
  const entity = broker === undefined ? ['--entity-default'] : ['--entity-name', String(broker)];
  const result = await kafkaTool('configs', ['--bootstrap-server', cluster.bootstrapServers[0]!, '--describe', '--entity-type', 'brokers', ...entity]);
  expect(result.exitCode, result.stderr).toBe(0);
  const configs: Record<string, string> = {};
  for (const match of result.stdout.matchAll(/^\s+([\w.]+)=(\S*) sensitive=/gm)) configs[match[1]!] = match[2]!;
  return configs;
}

interface ListedBroker {
  nodeId: number;
  host: string;
  port: number;
  controller: boolean;
  logDirs: { path: string; partitions: number; usedBytes: number; totalBytes?: number; usableBytes?: number }[];
}

describe('brokers on a 3-broker cluster', () => {
  it('lists every broker with its address, the controller, and its log dirs with the bytes a produced topic takes', async () => {
    const topic = uniqueName('brokers-bytes');
    await createTopicsDirectly(cluster.bootstrapServers, [{ topic, numPartitions: 1, replicationFactor: 3 }]);
    const produced = await kcat(['-P', '-b', cluster.bootstrapServers.join(','), '-t', topic], { input: Array.from({ length: 200 }, (_, i) => `reading ${i} ${'x'.repeat(100)}`).join('\n') + '\n' });
    expect(produced.exitCode, produced.stderr).toBe(0);

    const listed = await run(['brokers', 'list', '-o', 'json']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const { brokers, controller } = JSON.parse(listed.stdout) as { brokers: ListedBroker[]; controller: number };
    expect(brokers.map((b) => b.nodeId)).toEqual(ids);
    expect(brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...cluster.bootstrapServers].sort());
    expect(brokers.filter((b) => b.controller).map((b) => b.nodeId)).toEqual([controller]);

    const judged = await logDirsByKafka();
    for (const broker of brokers) {
      const kafka = judged.find((b) => b.broker === broker.nodeId)!;
      expect(broker.logDirs.map((d) => d.path)).toEqual(kafka.logDirs.map((d) => d.logDir).sort());
      const dir = broker.logDirs[0]!;
      // The produced records are in every replica's log, and that log is counted in the dir's bytes.
      const ours = kafka.logDirs[0]!.partitions.find((p) => p.partition === `${topic}-0`)!;
      expect(ours.size).toBeGreaterThan(200 * 100);
      expect(dir.usedBytes).toBeGreaterThanOrEqual(ours.size);
      expect(dir.partitions).toBeGreaterThanOrEqual(1);
      // Kafka 3.3+ reports the volume: DescribeLogDirs v4.
      expect(dir.totalBytes).toBeGreaterThan(0);
      expect(dir.usableBytes).toBeGreaterThan(0);
      expect(dir.usableBytes).toBeLessThanOrEqual(dir.totalBytes!);
    }
    const table = await run(['brokers', 'list']);
    expect(table.stdout).toMatch(/^ID\s+ADDRESS\s+RACK\s+CONTROLLER\s+LOG DIR\s+PARTITIONS\s+USED\s+FREE\s+TOTAL$/m);
    expect(table.stdout).toContain(cluster.bootstrapServers[0]!);
  });

  it('alter-config sets a broker config after showing it, describe shows it with its source, and --delete removes it', async () => {
    const broker = ids[1]!;
    const set = await run(['brokers', 'alter-config', String(broker), '--set', 'log.cleaner.threads=2', '--yes']);
    expect(set.exitCode, set.stderr).toBe(0);
    expect(set.stdout).toContain(`broker ${broker}:\n  ~ log.cleaner.threads: (not set) → 2  (now 1 from DEFAULT_CONFIG)`);
    expect(set.stdout).toContain(`✓ changed 1 config(s) of broker ${broker}`);
    expect(await dynamicConfigs(broker)).toEqual({ 'log.cleaner.threads': '2' });
    expect(await dynamicConfigs(ids[0]!)).toEqual({});

    const described = await run(['brokers', 'describe', String(broker), '-o', 'json']);
    expect(described.exitCode, described.stderr).toBe(0);
    const { configs } = JSON.parse(described.stdout) as { configs: { name: string; value: string | null; source: string; synonyms: { source: string }[] }[] };
    expect(configs.find((c) => c.name === 'log.cleaner.threads')).toMatchObject({ value: '2', source: 'DYNAMIC_BROKER_CONFIG', synonyms: [{ source: 'DYNAMIC_BROKER_CONFIG' }, { source: 'DEFAULT_CONFIG' }] });
    // Without --all, Kafka's own defaults are left out; server.properties' settings stay.
    expect(configs.some((c) => c.source === 'DEFAULT_CONFIG')).toBe(false);
    expect(configs.some((c) => c.source === 'STATIC_BROKER_CONFIG')).toBe(true);
    const all = JSON.parse((await run(['brokers', 'describe', String(broker), '--all', '-o', 'json'])).stdout) as { configs: { source: string }[] };
    expect(all.configs.length).toBeGreaterThan(configs.length);
    const table = await run(['brokers', 'describe', String(broker)]);
    expect(table.stdout).toMatch(/^log\.cleaner\.threads\s+2\s+DYNAMIC_BROKER_CONFIG\s+DEFAULT_CONFIG$/m);

    const deleted = await run(['brokers', 'alter-config', String(broker), '--delete', 'log.cleaner.threads', '--yes']);
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain('  - log.cleaner.threads: 2 → (removed)');
    expect(await dynamicConfigs(broker)).toEqual({});
  });

  it('refuses without --yes off a terminal, naming the flag, and changes nothing', async () => {
    const broker = ids[0]!;
    const refused = await run(['brokers', 'alter-config', String(broker), '--set', 'log.cleaner.threads=3']);
    expect(refused.exitCode).toBe(64);
    expect(refused.stdout).toContain('~ log.cleaner.threads: (not set) → 3');
    expect(refused.stderr).toContain(`error: refusing to change 1 config(s) of broker ${broker} without confirmation: there is no terminal to ask on`);
    expect(refused.stderr).toContain('--yes');
    expect(await dynamicConfigs(broker)).toEqual({});
  });

  it("gives the broker's reason in one line, exit 1, for a static config or a bad value, and changes none of the request", async () => {
    const broker = ids[2]!;
    const staticConfig = await run(['brokers', 'alter-config', String(broker), '--set', 'broker.id=99', '--set', 'log.cleaner.threads=2', '--yes']);
    expect(staticConfig.exitCode).toBe(1);
    const line = staticConfig.stderr.split('\n').find((l) => l.startsWith('error: '));
    expect(line).toMatch(new RegExp(`^error: cannot change the configs of broker ${broker}: .*broker\\.id`));
    expect(staticConfig.stderr).toContain('hint: nothing was changed');
    const badValue = await run(['brokers', 'alter-config', String(broker), '--set', 'log.cleaner.threads=many', '--yes']);
    expect(badValue.exitCode).toBe(1);
    expect(badValue.stderr).toMatch(new RegExp(`error: cannot change the configs of broker ${broker}: .*log\\.cleaner\\.threads`));
    expect(await dynamicConfigs(broker)).toEqual({});
    const unknown = await run(['brokers', 'alter-config', '99', '--set', 'log.cleaner.threads=2', '--yes']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('error: no broker 99 in the cluster');
  });

  it('--all-brokers sets and removes the cluster-wide default every broker falls back to', async () => {
    // The prod profile sets min.insync.replicas as a cluster default already.
    const before = await dynamicConfigs(undefined);
    expect(before['message.max.bytes']).toBeUndefined();
    const set = await run(['brokers', 'alter-config', '--all-brokers', '--set', 'message.max.bytes=2000000', '--yes']);
    expect(set.exitCode, set.stderr).toBe(0);
    expect(set.stdout).toContain('the cluster-wide broker default:\n  ~ message.max.bytes: (not set) → 2000000');
    expect(await dynamicConfigs(undefined)).toEqual({ ...before, 'message.max.bytes': '2000000' });
    expect(await dynamicConfigs(ids[0]!)).toEqual({});
    const described = JSON.parse((await run(['brokers', 'describe', String(ids[0]!), '-o', 'json'])).stdout) as { configs: { name: string; value: string; source: string }[] };
    expect(described.configs.find((c) => c.name === 'message.max.bytes')).toMatchObject({ value: '2000000', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' });

    const deleted = await run(['brokers', 'alter-config', '--all-brokers', '--delete', 'message.max.bytes', '--yes']);
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    expect(await dynamicConfigs(undefined)).toEqual(before);
  });
});
