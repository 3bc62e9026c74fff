#!/usr/bin/env node
// Issue 14's performance check, on a secured 1-broker cluster (SASL_SSL, SCRAM-SHA-512,
// StandardAuthorizer) started through iotmsg's local runtime:
//   apply: `iotmsg access apply --yes` creating every binding of 200 principals over 1,000
//          topics with DLQs, against one direct batched CreateAcls (KafkaJS admin.createAcls)
//          of a same-sized set for other principals, in the same run. Goal: within 1.5x.
//   plan:  `iotmsg plan` (topics, schemas and access) and `iotmsg access plan` with nothing
//          to change. Goal: under 3 s.
// Usage: node bench/access.mjs [topics] [principals] [rounds]   (default 1000 200 3;
//   IOTMSG_BENCH_PORT_BASE, default 29500, picks the ports). Run `npm run build` first.
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { built, iotmsg, median, timed } from './lib.mjs';

// The direct batch, from a fresh process as iotmsg runs: connect (SASL_SSL), one CreateAcls, disconnect.
if (process.argv[2] === '--direct') {
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const { brokers, ca, sasl, acl } = JSON.parse(readFileSync(process.argv[3], 'utf8'));
  const client = new Kafka({ brokers, logLevel: logLevel.NOTHING, ssl: { ca: [ca] }, sasl }).admin();
  await client.connect();
  await client.createAcls({ acl });
  await client.disconnect();
  process.exit(0);
}

const TOPICS = Number(process.argv[2] ?? 1000);
const PRINCIPALS = Number(process.argv[3] ?? 200);
const ROUNDS = Number(process.argv[4] ?? 3);
const base = Number(process.env.IOTMSG_BENCH_PORT_BASE ?? 29500);
const { startLocalCluster, stopLocalCluster } = await built('adapters/runtime/localCluster.js');
const { profileSecurity } = await built('core/cluster/security.js');
const { localAdminConnection } = await built('adapters/runtime/credentials.js');
const { Kafka, logLevel } = (await import('kafkajs')).default;

/** Each principal produces 5 topics and consumes 4 with a group and their DLQs. */
function projectYaml(brokers, prefix) {
  const topic = (i) => `bench-t${i % TOPICS}`;
  const lines = ['environments:', '  prod:', `    brokers: [${brokers.join(', ')}]`, '    replicationFactor: 1', '    superUsers: [User:admin]', 'topics:'];
  for (let i = 0; i < TOPICS; i++) lines.push(`  - name: bench-t${i}`, '    partitions: 1', '    dlq: true');
  lines.push('access:');
  for (let p = 0; p < PRINCIPALS; p++) {
    lines.push(`  User:${prefix}-${p}:`, `    produces: [${[0, 1, 2, 3, 4].map((k) => topic(p * 5 + k)).join(', ')}]`);
    lines.push('    consumes:', `      topics: [${[0, 1, 2, 3].map((k) => topic(p * 4 + k + 500)).join(', ')}]`, `      groups: [${prefix}-group-${p}]`, '      dlq: true');
  }
  return `${lines.join('\n')}\n`;
}

const stateDir = await mkdtemp(join(tmpdir(), 'iotmsg-bench-access-'));
const work = await mkdtemp(join(tmpdir(), 'iotmsg-bench-access-project-'));
const cluster = await startLocalCluster({
  env: 'dev',
  stateDir,
  ports: { firstBrokerPort: base, firstControllerPort: base + 1, firstInternalPort: base + 2, registryPort: base + 3 },
  withRegistry: true,
  security: profileSecurity('prod'),
  onProgress: (m) => process.stderr.write(`${m}\n`),
});
try {
  const connection = ['--command-config', cluster.security.clientProperties, '--env', 'prod'];
  const admin = await localAdminConnection(cluster.stateDir, cluster.security);
  const kafka = new Kafka({ brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING, ssl: { ca: [readFileSync(admin.tls.caFile)] }, sasl: admin.sasl });
  const client = kafka.admin();
  await client.connect();
  const rows = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const project = join(work, `round-${round}`);
    await rm(project, { recursive: true, force: true });
    await mkdir(project);
    await writeFile(join(project, 'topics.yaml'), projectYaml(cluster.bootstrapServers, `svc${round}`));
    if (round === 1) iotmsg(['topics', 'apply', '--yes', ...connection], { cwd: project });
    // The bindings iotmsg would create, read from its own plan; the direct batch gets the same set for other principals.
    const planned = JSON.parse(iotmsg(['access', 'plan', '-o', 'json', ...connection], { cwd: project }).stdout);
    const bindings = planned.create;
    const apply = iotmsg(['access', 'apply', '--yes', ...connection], { cwd: project });
    const codes = { topic: 2, group: 3, cluster: 4, 'transactional-id': 5 };
    const raw = bindings.map((b) => ({
      principal: b.principal.replace(`User:svc${round}-`, `User:raw${round}-`),
      host: b.host,
      resourceType: codes[b.resourceType],
      resourceName: b.resourceName.replace(`svc${round}-group`, `raw${round}-group`),
      resourcePatternType: b.patternType === 'prefixed' ? 4 : 3,
      operation: { READ: 3, WRITE: 4, DESCRIBE: 8 }[b.operation] ?? 2,
      permissionType: b.permission === 'deny' ? 2 : 3,
    }));
    const request = join(work, `direct-${round}.json`);
    await writeFile(request, JSON.stringify({ brokers: cluster.bootstrapServers, ca: readFileSync(admin.tls.caFile, 'utf8'), sasl: admin.sasl, acl: raw }), { mode: 0o600 });
    const directSeconds = timed(process.execPath, [fileURLToPath(import.meta.url), '--direct', request]).seconds;
    const plan = iotmsg(['plan', ...connection], { cwd: project });
    const accessPlan = iotmsg(['access', 'plan', ...connection], { cwd: project });
    rows.push({ round, bindings: bindings.length, apply: apply.seconds, direct: directSeconds, ratio: apply.seconds / directSeconds, plan: plan.seconds, accessPlan: accessPlan.seconds });
    process.stderr.write(`round ${round}: ${JSON.stringify(rows.at(-1))}\n`);
  }
  const total = (await client.describeAcls({ resourceType: 1, resourcePatternType: 1, operation: 1, permissionType: 1 })).resources;
  await client.disconnect();
  console.log(`${TOPICS} topics with DLQs, ${PRINCIPALS} principals per round, ${rows[0].bindings} bindings per apply${`, ${total.length} resources with ACLs at the end`}`);
  console.log('| round | iotmsg access apply (s) | one direct CreateAcls (s) | ratio | iotmsg plan, no changes (s) | iotmsg access plan (s) |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.round} | ${r.apply.toFixed(2)} | ${r.direct.toFixed(2)} | ${r.ratio.toFixed(2)} | ${r.plan.toFixed(2)} | ${r.accessPlan.toFixed(2)} |`);
  console.log(`median ratio ${median(rows.map((r) => r.ratio)).toFixed(2)} (goal 1.5), median plan ${median(rows.map((r) => r.plan)).toFixed(2)} s (goal 3)`);
} finally {
  await stopLocalCluster(stateDir, { removeData: true });
  await rm(work, { recursive: true, force: true });
}
