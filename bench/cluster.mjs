#!/usr/bin/env node
// Time from `iotmsg deploy --runtime local` to a healthy cluster, for dev and for prod (fresh
// state, jars already cached), then the time of `iotmsg health` against the healthy 3-broker
// cluster: median of repeated runs. Needs `npm run build` first.
// Usage: node bench/cluster.mjs [healthRuns]   ports from IOTMSG_BENCH_PORT_BASE (default 27600)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/iotmsg.js', import.meta.url));
const healthRuns = Number(process.argv[2] ?? 15);
const portBase = Number(process.env.IOTMSG_BENCH_PORT_BASE ?? 27600);
// No topics.yaml here: health checks the cluster only, as CI would against a fresh stack.
const cwd = mkdtempSync(join(tmpdir(), 'iotmsg-bench-'));

function iotmsg(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { ...result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function freeBlock(count, from) {
  for (let base = from; base < from + 1000; base += count) {
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error(`no ${count} free ports from ${from}`);
}

/** Deploys env from scratch with --wait and returns the wall time until it reported healthy. */
async function deployToHealthy(env, brokers, from) {
  const stateDir = mkdtempSync(join(tmpdir(), `iotmsg-bench-${env}-`));
  const base = await freeBlock(2 * brokers + 1, from);
  const ports = ['--broker-port', base, '--controller-port', base + brokers, '--registry-port', base + 2 * brokers].map(String);
  const up = iotmsg(['deploy', '--env', env, '--runtime', 'local', '--state-dir', stateDir, ...ports, '--plaintext', '--wait', '180s', '-o', 'json']);
  if (up.status !== 0) throw new Error(`deploy --env ${env} exited ${up.status}: ${up.stderr}`);
  const deployed = JSON.parse(up.stdout);
  if (!deployed.health.healthy) throw new Error(`${env} did not become healthy`);
  return { stateDir, deployed, ms: up.ms };
}

function down(stateDir) {
  iotmsg(['deploy', 'down', '--state-dir', stateDir, '--volumes']);
  rmSync(stateDir, { recursive: true, force: true });
}

const stats = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p) => +sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(0);
  return { runs: sorted.length, medianMs: at(0.5), p90Ms: at(0.9), minMs: +sorted[0].toFixed(0) };
};

const dev = await deployToHealthy('dev', 1, portBase);
down(dev.stateDir);
const prod = await deployToHealthy('prod', 3, portBase + 20);
try {
  const target = ['-b', prod.deployed.bootstrapServers.join(','), '--schema-registry', prod.deployed.schemaRegistryUrl, '--env', 'prod', '-o', 'json'];
  iotmsg(['health', ...target]); // warm the file cache
  const times = [];
  for (let i = 0; i < healthRuns; i++) {
    const run = iotmsg(['health', ...target]);
    if (run.status !== 0) throw new Error(`health exited ${run.status}: ${run.stderr}${run.stdout}`);
    times.push(run.ms);
  }
  console.log(
    JSON.stringify({
      deployToHealthyMs: { dev: +dev.ms.toFixed(0), prod: +prod.ms.toFixed(0) },
      healthAgainstHealthy3Brokers: stats(times),
    }),
  );
} finally {
  down(prod.stateDir);
  rmSync(cwd, { recursive: true, force: true });
}
