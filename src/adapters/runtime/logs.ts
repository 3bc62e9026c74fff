import { existsSync, readdirSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnavailableError, UsageError } from '../../core/errors.js';

/**
 * `deploy logs` for the local runtime: the log files the supervisor writes, shown like
 * `docker compose logs` (last lines, a "name | " prefix when there are several, --follow).
 * The files outlive the processes, so the logs of a cluster that died can still be read.
 */

export interface LocalLogsRequest {
  service: string | undefined;
  follow: boolean;
  tail: number;
  write: (text: string) => void;
  signal: AbortSignal;
}

const FOLLOW_INTERVAL_MS = 250;
/** How far back from the end of a file to look for the last lines. */
const TAIL_WINDOW_BYTES = 256 * 1024;

export function logFiles(stateDir: string): { name: string; file: string }[] {
  const dir = join(stateDir, 'logs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => ({ name: basename(f, '.log'), file: join(dir, f) }));
}

export async function showLocalLogs(stateDir: string, request: LocalLogsRequest): Promise<void> {
  const all = logFiles(stateDir);
  if (all.length === 0) {
    throw new UnavailableError(`no logs in ${join(stateDir, 'logs')}`, { hint: 'deploy first, or name the state directory the cluster was deployed with: --state-dir' });
  }
  const sources = request.service === undefined ? all : all.filter((s) => s.name === request.service);
  if (sources.length === 0) {
    throw new UsageError(`no service named "${request.service}"`, { hint: `services with logs: ${all.map((s) => s.name).join(', ')}` });
  }
  const width = Math.max(...sources.map((s) => s.name.length));
  const prefixed = (name: string, lines: string[]) => (sources.length > 1 ? lines.map((l) => `${name.padEnd(width)} | ${l}`) : lines);

  const offsets = new Map<string, number>();
  for (const source of sources) {
    const { text, size } = await readRange(source.file, 0, TAIL_WINDOW_BYTES);
    offsets.set(source.file, size);
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const last = lines.slice(-request.tail);
    if (last.length > 0) request.write(`${prefixed(source.name, last).join('\n')}\n`);
  }
  if (!request.follow) return;

  const pending = new Map<string, string>();
  while (!request.signal.aborted) {
    try {
      await sleep(FOLLOW_INTERVAL_MS, undefined, { signal: request.signal });
    } catch {
      return; // Ctrl-C ends --follow
    }
    for (const source of sources) {
      const from = offsets.get(source.file) ?? 0;
      const { text, size } = await readRange(source.file, from, Number.POSITIVE_INFINITY);
      offsets.set(source.file, size);
      if (text === '') continue;
      const lines = ((pending.get(source.file) ?? '') + text).split('\n');
      pending.set(source.file, lines.pop() ?? '');
      if (lines.length > 0) request.write(`${prefixed(source.name, lines).join('\n')}\n`);
    }
  }
}

/**
 * The bytes of `file` from `from` to its end, at most `maxBytes` of them (the last ones).
 * A file that shrank (truncated, or a new start) is read from the beginning again.
 */
async function readRange(file: string, from: number, maxBytes: number): Promise<{ text: string; size: number }> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return { text: '', size: 0 };
  }
  const start = Math.max(size < from ? 0 : from, size - maxBytes);
  if (start >= size) return { text: '', size };
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    return { text: buffer.toString('utf8'), size };
  } finally {
    await handle.close();
  }
}
