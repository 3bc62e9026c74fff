#!/usr/bin/env node
// Broker heap at the benchmark size, on a local prod cluster (3 brokers, RF 3) this script
// starts and stops: 1,000 declared topics with dead-letter siblings (5,000 topics, 7,000
// partitions, 21,000 replicas) created by `iotmsg topics apply`, then the whole cluster
// restarted with that data (loading the logs is where a small heap ran out). After each
// phase every broker's live heap is read after a full GC (jcmd GC.run, GC.heap_info).
// Usage: npm run build && node bench/heap.mjs [heap, e.g. 1g] [topics]
// Ports: IOTMSG_BENCH_PORT_BASE (default 25700) and the next six.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/iotmsg.js', import.meta.url));
const dist = (path) => new URL(`../dist/${path}`, import.meta.url).href;
const heapArg = process.argv[2] ?? '1g';
const heapMb = /g$/i.test(heapArg) ? Number.parseFloat(heapArg) * 1024 : Number.parseInt(heapArg, 10);
const TOPICS = Number(process.argv[3] ?? 1000);
const base = Number(process.env.IOTMSG_BENCH_PORT_BASE ?? 25700);

function projectYaml(brokers) {
  const lines = ['defaults:', '  partitions: 3', '  dlq:', '    enabled: true', '    partitions: 1', 'environments:', '  bench:', `    brokers: [${brokers.join(', ')}]`, 'topics:'];
  for (let i = 0; i < TOPICS; i++) lines.push(`  - name: heap.${String(i).padStart(4, '0')}`);
  return `${lines.join('\n')}\n`;
}

/** Live heap of a JVM in MB: used young + old generation right after a full GC. */
function liveHeapMb(pid) {
  spawnSync('jcmd', [String(pid), 'GC.run'], { encoding: 'utf8' });
  const info = spawnSync('jcmd', [String(pid), 'GC.heap_info'], { encoding: 'utf8' }).stdout;
  const used = [...info.matchAll(/generation\s+total \d+K, used (\d+)K/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  return Math.round(used / 1024);
}

function report(phase, state) {
  const brokers = state.components.filter((c) => c.kind === 'broker');
  const live = brokers.map((b) => liveHeapMb(b.pid));
  console.log(`${phase}: live heap after full GC per broker (MB): ${live.join(', ')}; max ${Math.max(...live)} of ${heapMb} MB`);
  return Math.max(...live);
}

const { startLocalCluster, stopLocalCluster } = await import(dist('adapters/runtime/localCluster.js'));
const stateDir = await mkdtemp(join(tmpdir(), 'iotmsg-bench-heap-'));
const options = { env: 'prod', stateDir, heapMb, withRegistry: false, readyTimeoutMs: 600_000, ports: { firstBrokerPort: base, firstControllerPort: base + 3 } };
try {
  const state = await startLocalCluster(options);
  report('empty cluster', state);
  const file = join(stateDir, 'topics.yaml');
  await writeFile(file, projectYaml(state.bootstrapServers));
  const started = Date.now();
  const apply = spawnSync(process.execPath, [bin, 'topics', 'apply', '--yes', '-f', file, '-e', 'bench', '--timeout', '120s'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (apply.status !== 0) throw new Error(`topics apply exited ${apply.status}: ${apply.stderr.slice(-2000)}`);
  console.log(`applied ${TOPICS * 5} topics (${TOPICS * 7} partitions, RF 3) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  const afterApply = report('after apply', state);
  await stopLocalCluster(stateDir);
  const restartedAt = Date.now();
  const restarted = await startLocalCluster(options);
  console.log(`restarted with the data in ${((Date.now() - restartedAt) / 1000).toFixed(1)}s`);
  const afterRestart = report('after restart', restarted);
  console.log(`largest live heap: ${Math.max(afterApply, afterRestart)} MB with -Xmx${heapMb}m`);
} finally {
  await stopLocalCluster(stateDir, { removeData: true });
  await rm(stateDir, { recursive: true, force: true });
}
