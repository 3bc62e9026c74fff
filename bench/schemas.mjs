#!/usr/bin/env node
// Schema performance figures of issue 4, on the built CLI (run `npm run build` first):
//   1. `iotmsg validate` of a project with 200 .avsc files (target < 1 s),
//   2. `iotmsg schema register` of 50 subjects that are already registered (target < 2 s,
//      and no write requests), against a registry started through the local runtime.
// Usage: node bench/schemas.mjs [runs]   (IOTMSG_BENCH_PORT_BASE, default 26200, picks the ports)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/iotmsg.js', import.meta.url));
const dist = new URL('../dist/', import.meta.url);
const runs = Number(process.argv[2] ?? 5);

/** Runs iotmsg `runs` times (after a warm-up) and returns the median and worst wall time. */
function timeCli(args, cwd) {
  const once = () => {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`iotmsg ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return { ms, stderr: result.stderr };
  };
  once();
  const times = Array.from({ length: runs }, () => once().ms).sort((a, b) => a - b);
  return { medianMs: +times[Math.floor(times.length / 2)].toFixed(1), maxMs: +times.at(-1).toFixed(1), runs, last: once() };
}

/** A record with the usual mix: primitives, logical types, optional fields, an enum, and a type from another file. */
function readingSchema(i) {
  return {
    type: 'record',
    name: `Reading${i}`,
    namespace: 'bench.iot',
    doc: `Generated schema ${i}.`,
    fields: [
      { name: 'device_id', type: 'string' },
      { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'value', type: 'double' },
      { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
      { name: 'unit', type: { type: 'enum', name: `Unit${i}`, symbols: ['C', 'F', 'K', 'UNKNOWN'], default: 'UNKNOWN' } },
      { name: 'place', type: ['null', 'bench.iot.Place'], default: null },
      { name: 'tags', type: { type: 'map', values: 'string' }, default: {} },
      { name: 'samples', type: { type: 'array', items: 'float' }, default: [] },
      { name: 'note', type: ['null', 'string'], default: null },
      { name: 'seq', type: 'long', default: 0 },
    ],
  };
}
const placeSchema = { type: 'record', name: 'Place', namespace: 'bench.iot', fields: [{ name: 'lat', type: 'double' }, { name: 'lon', type: 'double' }] };

async function project(dir, count, registryUrl) {
  await mkdir(join(dir, 'schemas'), { recursive: true });
  await writeFile(join(dir, 'schemas', 'place.avsc'), JSON.stringify(placeSchema, null, 2));
  await Promise.all(Array.from({ length: count }, (_, i) => writeFile(join(dir, 'schemas', `reading-${i}.avsc`), JSON.stringify(readingSchema(i), null, 2))));
  const topics = Array.from({ length: count }, (_, i) => `  - name: bench-${i}\n    valueSchema: schemas/reading-${i}.avsc\n`).join('');
  await writeFile(join(dir, 'topics.yaml'), `environments:\n  dev:\n    schemaRegistry: ${registryUrl ?? 'http://127.0.0.1:1'}\ntopics:\n${topics}`);
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freePorts(count, from) {
  for (let base = from; base < from + 500; base += count) {
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error(`no ${count} free ports from ${from}`);
}

const results = {};
const scratch = await mkdtemp(join(tmpdir(), 'iotmsg-bench-schemas-'));
try {
  // 1. validate of 200 schemas (201 files with the shared Place).
  const validateDir = join(scratch, 'validate');
  await project(validateDir, 200);
  if (existsSync(new URL('commands/topics/validate.js', dist))) {
    results.validate200 = { command: 'iotmsg validate (200 topics, 201 .avsc)', ...timeCli(['validate'], validateDir), last: undefined };
  } else {
    // `iotmsg validate` not built yet: time reading and parsing through the core API.
    const { parseSchemaFiles } = await import(new URL('core/schemas/index.js', dist));
    const { readdir, readFile } = await import('node:fs/promises');
    const start = process.hrtime.bigint();
    const names = await readdir(join(validateDir, 'schemas'));
    const files = await Promise.all(names.map(async (n) => ({ path: n, text: await readFile(join(validateDir, 'schemas', n), 'utf8') })));
    const { diagnostics } = parseSchemaFiles(files);
    results.validate200 = { command: 'core parseSchemaFiles of 201 files (iotmsg validate not built)', ms: +(Number(process.hrtime.bigint() - start) / 1e6).toFixed(1), errors: diagnostics.length };
  }

  // 2. schema register of 50 subjects already registered.
  const { startLocalCluster, stopLocalCluster } = await import(new URL('adapters/runtime/localCluster.js', dist));
  const stateDir = join(scratch, 'cluster');
  const base = await freePorts(3, Number(process.env.IOTMSG_BENCH_PORT_BASE ?? 26200));
  const cluster = await startLocalCluster({ env: 'dev', stateDir, withRegistry: true, heapMb: 256, ports: { firstBrokerPort: base, firstControllerPort: base + 1, registryPort: base + 2 } });
  try {
    const registerDir = join(scratch, 'register');
    await project(registerDir, 50, cluster.schemaRegistryUrl);
    const first = spawnSync(process.execPath, [bin, 'schema', 'register', '-o', 'json'], { cwd: registerDir, encoding: 'utf8' });
    if (first.status !== 0) throw new Error(`first registration failed: ${first.stderr}`);
    const timed = timeCli(['schema', 'register', '--verbose'], registerDir);
    const requests = timed.last.stderr.split('\n').filter((l) => / → \d{3} in /.test(l));
    const writes = requests.filter((l) => /^(PUT|DELETE) |^POST \S+\/versions /.test(l));
    results.register50 = { command: 'iotmsg schema register (50 subjects already registered)', medianMs: timed.medianMs, maxMs: timed.maxMs, runs: timed.runs, requests: requests.length, writes: writes.length };
  } finally {
    await stopLocalCluster(stateDir, { removeData: true });
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
console.log(JSON.stringify(results, null, 2));
