#!/usr/bin/env node
// Startup time of `iotmsg --help` (and any other argv): median of repeated runs.
// Usage: node bench/startup.mjs [runs] [-- args...]   e.g. node bench/startup.mjs 30 -- --help
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/iotmsg.js', import.meta.url));
const sep = process.argv.indexOf('--');
const runs = Number(process.argv[2] && process.argv[2] !== '--' ? process.argv[2] : 30);
const args = sep >= 0 ? process.argv.slice(sep + 1) : ['--help'];

spawnSync(process.execPath, [bin, ...args]); // warm the file cache
const times = [];
for (let i = 0; i < runs; i++) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, ...args], { stdio: 'ignore' });
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
  if (result.status !== 0) throw new Error(`iotmsg ${args.join(' ')} exited ${result.status}`);
}
times.sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
console.log(JSON.stringify({ command: `iotmsg ${args.join(' ')}`, runs, medianMs: +pct(0.5).toFixed(1), p90Ms: +pct(0.9).toFixed(1), minMs: +times[0].toFixed(1) }));
