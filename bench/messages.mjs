#!/usr/bin/env node
// Message throughput of issue 6, side by side with kcat on the same local broker, in one run
// (run `npm run build` first; needs kcat and GNU time):
//   0. a warm-up of both tools, not measured (the broker's JIT would favour whoever goes second);
//   1. bulk produce, rounds taking turns: `iotmsg produce --generate N` Avro sensor readings
//      (acks=all, idempotent) against kcat -P writing the very same key and value bytes (acks=all,
//      idempotent), each from process start to exit;
//   2. `iotmsg tail --from-beginning --exit-at-end --format '%s\n' > /dev/null` of those N
//      messages (the value bytes untouched) against `kcat -C -e -f '%s\n' > /dev/null`, then
//      the same tail decoded (Avro via the registry) to NDJSON;
//   3. peak RSS of iotmsg in each (GNU time), and the time to the first message of a tail
//      (from process start, beside Node's own start-up time).
// Usage: node bench/messages.mjs [count] [rounds]   (default 1000000 messages, 5 rounds;
//   IOTMSG_BENCH_PORT_BASE, default 28500, picks the ports). One round swings by a fifth or more
//   on a shared 2-core machine, so the summary gives the median of the rounds' ratios.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, built, iotmsg, kcatProduceArgs, median, schemaFile, timed, toDevNull, writeKcatInput } from './lib.mjs';

const count = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const { startLocalCluster, stopLocalCluster } = await built('adapters/runtime/localCluster.js');

const base = Number(process.env.IOTMSG_BENCH_PORT_BASE ?? 28500);
const PARTITIONS = 12;
const SEED = 7;

const stateDir = await mkdtemp(join(tmpdir(), 'iotmsg-bench-messages-'));
const work = await mkdtemp(join(tmpdir(), 'iotmsg-bench-input-'));
const cluster = await startLocalCluster({
  env: 'dev',
  stateDir,
  ports: { firstBrokerPort: base, firstControllerPort: base + 1, registryPort: base + 2 },
  withRegistry: true,
  onProgress: (m) => process.stderr.write(`${m}\n`),
});
try {
  const bootstrap = cluster.bootstrapServers.join(',');
  const connection = ['-b', bootstrap, '--schema-registry', cluster.schemaRegistryUrl];
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const admin = new Kafka({ brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const topics = ['bench-warmup', ...Array.from({ length: ROUNDS }, (_, r) => [`bench-iotmsg-${r + 1}`, `bench-kcat-${r + 1}`]).flat()];
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })), waitForLeaders: true });
  await admin.disconnect();
  const produceArgs = (topic) => ['produce', topic, '--schema', schemaFile, '--subject', 'bench-value', '--generate', String(count), '--seed', String(SEED), '-o', 'json', ...connection];

  // Warm-up, not measured: registers the schema and lets the broker's and registry's JVMs compile
  // their hot paths, so that neither tool pays for the other's place in the order.
  const warmup = JSON.parse(iotmsg(produceArgs('bench-warmup')).stdout);

  // kcat writes the same key and value bytes: the same generator and encoder, written to a file first.
  const schemaText = await (await fetch(`${cluster.schemaRegistryUrl}/schemas/ids/${warmup.schema.id}`)).json();
  const input = join(work, 'messages.bin');
  const payloadBytes = await writeKcatInput(input, { schemaId: warmup.schema.id, schemaText: schemaText.schema, count, seed: SEED });
  const kcatProduce = (topic) => timed('kcat', ['-b', bootstrap, ...kcatProduceArgs(input, topic)]);
  kcatProduce('bench-warmup');
  iotmsg(produceArgs('bench-warmup'));
  kcatProduce('bench-warmup');

  // 1. Bulk produce, the tools taking turns, each round into fresh topics.
  const rounds = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const produced = iotmsg(produceArgs(`bench-iotmsg-${r}`));
    const report = JSON.parse(produced.stdout);
    if (report.acknowledged !== count) throw new Error(`iotmsg wrote ${report.acknowledged} of ${count}`);
    rounds.push({ iotmsg: produced, report, kcat: kcatProduce(`bench-kcat-${r}`) });
  }

  // 2. Tail from the beginning to the end, output thrown away: the raw values (kcat's '%s')
  // side by side with kcat, then the Avro readings decoded to NDJSON.
  const tailArgs = ['tail', 'bench-iotmsg-1', '--from-beginning', '--exit-at-end', ...connection];
  const tailed = iotmsg([...tailArgs, '--format', '%s\\n'], { stdio: toDevNull });
  const kcatTail = timed('kcat', ['-C', '-b', bootstrap, '-t', 'bench-iotmsg-1', '-e', '-q', '-o', 'beginning', '-f', '%s\\n'], { stdio: toDevNull });
  const decoded = iotmsg(tailArgs, { stdio: toDevNull });
  // 3. First message: from process start to the first byte on stdout, on the 12-partition topic.
  const firstMessageMs = await new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, 'tail', 'bench-iotmsg-1', '--from-beginning', '--max', '1', '--format', '%s\\n', ...connection], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.once('data', () => resolve(Math.round(performance.now() - started)));
    child.once('error', reject);
  });
  const startupMs = (() => {
    const started = performance.now();
    spawnSync(process.execPath, [bin, '--version']);
    return Math.round(performance.now() - started);
  })();

  const rate = (seconds) => Math.round(count / seconds);
  const ratios = rounds.map(({ iotmsg: produced, kcat }) => kcat.seconds / produced.seconds);
  const figures = {
    messages: count,
    valueBytes: payloadBytes,
    produce: rounds.map(({ iotmsg: produced, report, kcat }) => ({
      iotmsgMsgsPerSec: rate(produced.seconds),
      iotmsgReportedMsgsPerSec: report.messagesPerSecond,
      kcatMsgsPerSec: rate(kcat.seconds),
      ratio: +(kcat.seconds / produced.seconds).toFixed(2),
      iotmsgPeakRssMb: produced.peakRssMb,
    })),
    produceRatioMedian: +median(ratios).toFixed(2),
    tail: {
      rawIotmsgMsgsPerSec: rate(tailed.seconds),
      rawKcatMsgsPerSec: rate(kcatTail.seconds),
      rawRatio: +(kcatTail.seconds / tailed.seconds).toFixed(2),
      rawIotmsgPeakRssMb: tailed.peakRssMb,
      avroNdjsonMsgsPerSec: rate(decoded.seconds),
      avroNdjsonToKcatRaw: +(kcatTail.seconds / decoded.seconds).toFixed(2),
      avroNdjsonPeakRssMb: decoded.peakRssMb,
      firstMessageMs,
      nodeStartupMs: startupMs,
    },
  };
  console.log(JSON.stringify(figures, null, 2));
} finally {
  await stopLocalCluster(stateDir, { removeData: true });
  await rm(stateDir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
}
