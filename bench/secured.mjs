#!/usr/bin/env node
// Issue 11's performance check: bulk produce and tail over SASL_SSL (SCRAM-SHA-512, TLS) against
// kcat over the same listener, beside the same pair over PLAINTEXT, in one run. Two 1-broker
// clusters with a registry come up through iotmsg's local runtime, one after the other; on each,
// rounds take turns:
//   produce: `iotmsg produce --generate N` Avro readings (acks=all, idempotent) against kcat -P
//            writing the very same key and value bytes (acks=all, idempotent);
//   tail:    `iotmsg tail --from-beginning --exit-at-end --format '%s\n'` against
//            `kcat -C -e -f '%s\n'`, both to /dev/null.
// iotmsg connects with --command-config <state-dir>/client/client.properties, kcat with
// -F <state-dir>/client/librdkafka.conf (the deployment's admin). Both kcat runs use a current
// librdkafka (see lib.mjs). The goal: each secured ratio within 10% of its PLAINTEXT ratio.
// Usage: node bench/secured.mjs [count] [rounds]   (default 500000 messages, 3 rounds;
//   IOTMSG_BENCH_PORT_BASE, default 28500, picks the ports). Run `npm run build` first.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { built, currentLibrdkafkaEnv, iotmsg, kcatProduceArgs, median, schemaFile, timed, toDevNull, writeKcatInput } from './lib.mjs';

const count = Number(process.argv[2] ?? 500_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const base = Number(process.env.IOTMSG_BENCH_PORT_BASE ?? 28500);
const PARTITIONS = 12;
const SEED = 7;
const { startLocalCluster, stopLocalCluster } = await built('adapters/runtime/localCluster.js');
const { profileSecurity } = await built('core/cluster/security.js');
const { localAdminConnection } = await built('adapters/runtime/credentials.js');
const { Kafka, logLevel } = (await import('kafkajs')).default;
const kcatEnv = currentLibrdkafkaEnv();

/** Creates the round's topics as the deployment's admin. */
async function createTopics(cluster, topics) {
  const admin = cluster.security ? await localAdminConnection(cluster.stateDir, cluster.security) : { tls: undefined, sasl: undefined };
  const kafka = new Kafka({
    brokers: cluster.bootstrapServers,
    logLevel: logLevel.NOTHING,
    ssl: admin.tls ? { ca: [readFileSync(admin.tls.caFile)] } : false,
    sasl: admin.sasl,
  });
  const client = kafka.admin();
  await client.connect();
  await client.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })), waitForLeaders: true });
  await client.disconnect();
}

/** One protocol's rounds on a cluster of its own; the ratios are kcat's time over iotmsg's. */
async function measure(protocol, ports) {
  const stateDir = await mkdtemp(join(tmpdir(), `iotmsg-bench-secured-${protocol}-`));
  const work = await mkdtemp(join(tmpdir(), 'iotmsg-bench-secured-input-'));
  const cluster = await startLocalCluster({
    env: 'dev',
    stateDir,
    ports,
    withRegistry: true,
    security: protocol === 'PLAINTEXT' ? { protocol: 'PLAINTEXT' } : profileSecurity('prod'),
    onProgress: (m) => process.stderr.write(`[${protocol}] ${m}\n`),
  });
  try {
    const files = cluster.security;
    const connection = files
      ? ['--command-config', files.clientProperties]
      : ['-b', cluster.bootstrapServers.join(','), '--schema-registry', cluster.schemaRegistryUrl];
    const kcatConnection = files ? ['-F', files.librdkafkaConf] : ['-b', cluster.bootstrapServers.join(',')];
    const kcat = (args, options = {}) => timed('kcat', [...kcatConnection, ...args], { ...options, env: kcatEnv });
    const topics = ['bench-warmup', ...Array.from({ length: ROUNDS }, (_, r) => [`bench-iotmsg-${r + 1}`, `bench-kcat-${r + 1}`]).flat()];
    await createTopics(cluster, topics);
    const produceArgs = (topic) => ['produce', topic, '--schema', schemaFile, '--subject', 'bench-value', '--generate', String(count), '--seed', String(SEED), '-o', 'json', ...connection];

    // Warm-up, not measured: registers the schema and warms the broker's JIT for both tools.
    const warmup = JSON.parse(iotmsg(produceArgs('bench-warmup')).stdout);
    const input = join(work, 'messages.bin');
    // The registered text has the named types resolved, as the encoder needs it.
    const registered = JSON.parse(iotmsg(['schema', 'get', 'bench-value', '-o', 'json', ...connection]).stdout);
    await writeKcatInput(input, { schemaId: warmup.schema.id, schemaText: registered.schema, count, seed: SEED });
    kcat(kcatProduceArgs(input, 'bench-warmup'));
    iotmsg(produceArgs('bench-warmup'));

    const rounds = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const produced = iotmsg(produceArgs(`bench-iotmsg-${r}`));
      const report = JSON.parse(produced.stdout);
      if (report.acknowledged !== count) throw new Error(`iotmsg wrote ${report.acknowledged} of ${count}`);
      const kcatProduced = kcat(kcatProduceArgs(input, `bench-kcat-${r}`));
      const tailed = iotmsg(['tail', `bench-iotmsg-${r}`, '--from-beginning', '--exit-at-end', '--format', '%s\\n', ...connection], { stdio: toDevNull });
      const kcatTailed = kcat(['-C', '-t', `bench-iotmsg-${r}`, '-e', '-q', '-o', 'beginning', '-f', '%s\\n'], { stdio: toDevNull });
      rounds.push({
        produce: { iotmsg: Math.round(count / produced.seconds), kcat: Math.round(count / kcatProduced.seconds), ratio: +(kcatProduced.seconds / produced.seconds).toFixed(2) },
        tail: { iotmsg: Math.round(count / tailed.seconds), kcat: Math.round(count / kcatTailed.seconds), ratio: +(kcatTailed.seconds / tailed.seconds).toFixed(2) },
      });
    }
    return {
      rounds,
      produceRatioMedian: median(rounds.map((r) => r.produce.ratio)),
      tailRatioMedian: median(rounds.map((r) => r.tail.ratio)),
    };
  } finally {
    await stopLocalCluster(stateDir, { removeData: true });
    await rm(stateDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
}

const plaintext = await measure('PLAINTEXT', { firstBrokerPort: base, firstControllerPort: base + 1, registryPort: base + 2 });
const secured = await measure('SASL_SSL', { firstBrokerPort: base + 10, firstControllerPort: base + 11, firstInternalPort: base + 12, registryPort: base + 13 });
const within = (a, b) => Math.abs(a - b) / b <= 0.1;
console.log(
  JSON.stringify(
    {
      messages: count,
      plaintext,
      saslSsl: secured,
      produceWithin10Percent: within(secured.produceRatioMedian, plaintext.produceRatioMedian),
      tailWithin10Percent: within(secured.tailRatioMedian, plaintext.tailRatioMedian),
    },
    null,
    2,
  ),
);
