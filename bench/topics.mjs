#!/usr/bin/env node
// Topics-as-code figures on a 1-broker local cluster that this script starts and stops:
//  - plan with nothing to change: 1,000 declared topics + 4,000 DLQ siblings (median)
//  - validate of that file (median)
//  - apply creating 1,000 topics vs one batched kafkajs createTopics call (median, ratio)
//  - Kafka's own TopicCommand, one topic per JVM (a sample, extrapolated to 1,000)
// Usage: npm run build && node bench/topics.mjs [runs]
// Ports: IOTMSG_BENCH_PORT_BASE (default 25600) and the next one.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/iotmsg.js', import.meta.url));
const dist = (path) => new URL(`../dist/${path}`, import.meta.url).href;
const runs = Number(process.argv[2] ?? 5);
const TOPICS = 1000;
const TOPIC_COMMAND_SAMPLE = 5;

// The same topic in every method: 3 partitions and two configs.
const PARTITIONS = 3;
const CONFIGS = { 'retention.ms': '86400000', 'compression.type': 'zstd' };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Runs a process, returns its wall time in ms; any exit code but the expected ones is fatal. */
function timed(command, args, { expect = [0], env = {} } = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (!expect.includes(result.status)) throw new Error(`${command} ${args.slice(0, 4).join(' ')} … exited ${result.status}: ${result.stderr.slice(-2000)}`);
  return ms;
}

const iotmsg = (args, options) => timed(process.execPath, [bin, ...args], options);

function projectYaml(brokers, prefix, { dlq }) {
  const lines = [
    'defaults:',
    `  partitions: ${PARTITIONS}`,
    '  configs:',
    '    compression.type: zstd',
    '  dlq:',
    `    enabled: ${dlq}`,
    '    partitions: 1',
    '    configs:',
    '      retention.ms: 30d',
    'environments:',
    '  bench:',
    `    brokers: [${brokers.join(', ')}]`,
    'topics:',
  ];
  for (let i = 0; i < TOPICS; i++) lines.push(`  - name: ${prefix}.${String(i).padStart(4, '0')}`, '    configs:', '      retention.ms: 1d');
  return `${lines.join('\n')}\n`;
}

/**
 * One batched createTopics call from a fresh process, as a script of its own would do it,
 * then the same leader wait apply does (KafkaJS's waitForLeaders gives up on
 * UNKNOWN_TOPIC_OR_PARTITION right after creation).
 */
async function direct(brokers, prefix) {
  const { default: kafkajs } = await import('kafkajs');
  const admin = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  const names = Array.from({ length: TOPICS }, (_, i) => `${prefix}.${String(i).padStart(4, '0')}`);
  await admin.createTopics({
    timeout: 60_000,
    waitForLeaders: false,
    topics: names.map((topic) => ({
      topic,
      numPartitions: PARTITIONS,
      replicationFactor: 1,
      configEntries: Object.entries(CONFIGS).map(([name, value]) => ({ name, value })),
    })),
  });
  for (;;) {
    const ready = await admin.fetchTopicMetadata({ topics: names }).then(
      ({ topics }) => topics.length === names.length && topics.every((t) => t.partitions.every((p) => p.leader >= 0)),
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await admin.disconnect();
}

async function deleteByPrefix(brokers, prefix) {
  const { default: kafkajs } = await import('kafkajs');
  const admin = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  const names = (await admin.listTopics()).filter((n) => n.startsWith(prefix));
  if (names.length > 0) await admin.deleteTopics({ topics: names, timeout: 60_000 });
  while ((await admin.listTopics()).some((n) => n.startsWith(prefix))) await new Promise((r) => setTimeout(r, 200));
  await admin.disconnect();
}

async function topicCommandClasspath() {
  const { resolveArtifacts } = await import(dist('adapters/runtime/maven.js'));
  const { cacheDir } = await import(dist('adapters/runtime/paths.js'));
  const libs = await resolveArtifacts(join(cacheDir(), 'kafka-tools-3.9.1'), [
    { groupId: 'org.apache.kafka', artifactId: 'kafka-tools', version: '3.9.1' },
    { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: '1.7.36' },
  ]);
  return join(libs, '*');
}

async function main() {
  if (process.argv[2] === '--direct') return direct(process.argv[3].split(','), process.argv[4]);
  const { startLocalCluster, stopLocalCluster } = await import(dist('adapters/runtime/localCluster.js'));
  const base = Number(process.env.IOTMSG_BENCH_PORT_BASE ?? 25600);
  const stateDir = await mkdtemp(join(tmpdir(), 'iotmsg-bench-topics-'));
  const work = await mkdtemp(join(tmpdir(), 'iotmsg-bench-files-'));
  const figures = {};
  console.error(`starting a 1-broker cluster on port ${base}`);
  const cluster = await startLocalCluster({ env: 'dev', stateDir, ports: { firstBrokerPort: base, firstControllerPort: base + 1 }, withRegistry: false, heapMb: 1024 });
  const brokers = cluster.bootstrapServers;
  try {
    // apply creating 1,000 topics vs one direct batched kafkajs call, each from a fresh process,
    // on the empty cluster (KafkaJS refreshes all-topic metadata before every admin call).
    const applies = [];
    const directs = [];
    for (let round = 0; round < runs; round++) {
      const applyFile = join(work, `apply-${round}.yaml`);
      await writeFile(applyFile, projectYaml(brokers, `apply${round}`, { dlq: false }));
      const viaApply = async () => {
        applies.push(iotmsg(['topics', 'apply', '--yes', '-f', applyFile]));
        await deleteByPrefix(brokers, `apply${round}.`);
      };
      const viaKafkajs = async () => {
        directs.push(timed(process.execPath, [fileURLToPath(import.meta.url), '--direct', brokers.join(','), `direct${round}`]));
        await deleteByPrefix(brokers, `direct${round}.`);
      };
      // Alternate who goes first, so the broker's background log deletion weighs on both alike.
      for (const method of round % 2 === 0 ? [viaApply, viaKafkajs] : [viaKafkajs, viaApply]) await method();
    }
    figures.apply1000MedianMs = Math.round(median(applies));
    figures.directKafkajs1000MedianMs = Math.round(median(directs));
    figures.applyVsDirectRatio = +(median(applies) / median(directs)).toFixed(2);
    console.error(figures);

    // Plan with nothing to change: 1,000 topics + 4,000 DLQ siblings, created once by apply.
    const planFile = join(work, 'plan.yaml');
    await writeFile(planFile, projectYaml(brokers, 'plan', { dlq: true }));
    figures.applyCreating5000Ms = Math.round(iotmsg(['topics', 'apply', '--yes', '-f', planFile]));
    console.error(figures);
    iotmsg(['topics', 'plan', '-f', planFile, '--detailed-exitcode']); // warm caches
    const plans = Array.from({ length: runs }, () => iotmsg(['topics', 'plan', '-f', planFile, '--detailed-exitcode']));
    figures.planNoChanges5000MedianMs = Math.round(median(plans));
    const validations = Array.from({ length: runs }, () => iotmsg(['validate', '-f', planFile]));
    figures.validate1000WithDlqMedianMs = Math.round(median(validations));
    console.error(figures);

    // The seed scripts' way: kafka-topics --create, one JVM per topic.
    const classpath = await topicCommandClasspath();
    const javaRuns = Array.from({ length: TOPIC_COMMAND_SAMPLE }, (_, i) =>
      timed('java', [
        '-cp',
        classpath,
        'org.apache.kafka.tools.TopicCommand',
        '--bootstrap-server',
        brokers.join(','),
        '--create',
        '--topic',
        `jvm.${i}`,
        '--partitions',
        String(PARTITIONS),
        '--replication-factor',
        '1',
        ...Object.entries(CONFIGS).flatMap(([name, value]) => ['--config', `${name}=${value}`]),
      ]),
    );
    figures.topicCommandPerTopicMeanMs = Math.round(javaRuns.reduce((a, b) => a + b, 0) / javaRuns.length);
    figures.topicCommand1000ExtrapolatedMs = figures.topicCommandPerTopicMeanMs * TOPICS;
    figures.topicCommandVsApplyRatio = +(figures.topicCommand1000ExtrapolatedMs / figures.apply1000MedianMs).toFixed(1);
  } finally {
    await stopLocalCluster(stateDir, { removeData: true });
    await rm(stateDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ runs, topics: TOPICS, ...figures }, null, 2));
}

await main();
