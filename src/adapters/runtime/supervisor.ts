import { spawn } from 'node:child_process';
import { openSync, closeSync, fstatSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { probeTcp } from '../tcp.js';

/** One background process the runtime started and must be able to stop again. */
export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Size of the log when this process started: readiness looks only at what it wrote. */
  logOffset: number;
}

export interface StartSpec {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  env?: Record<string, string>;
}

/**
 * Starts a process in its own process group (so stopping it also stops anything it forked)
 * with stdout and stderr going to its log file, and lets it outlive this CLI invocation.
 */
export function startDetached(spec: StartSpec): ManagedProcess {
  const fd = openSync(spec.logFile, 'a');
  try {
    const logOffset = fstatSync(fd).size;
    const child = spawn(spec.command, spec.args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, ...spec.env },
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
    child.unref();
    return { name: spec.name, pid: child.pid, logFile: spec.logFile, logOffset };
  } finally {
    closeSync(fd);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch {
    return false;
  }
}

function isZombie(pid: number): boolean {
  try {
    // Field 3 of /proc/<pid>/stat is the state; Z means exited but not yet reaped. A JVM's
    // main thread shows Z while its other threads still shut down (holding its ports), so
    // the process is only gone once no other thread is left.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z') && readdirSync(`/proc/${pid}/task`).length <= 1;
  } catch {
    return false;
  }
}

/**
 * True when pid is alive and its command line contains `marker`: pid files outlive reboots,
 * and a recycled pid must never be mistaken for one of ours.
 */
export function isOurProcess(pid: number, marker: string): boolean {
  if (!isAlive(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true; // no procfs (macOS): trust the pid file
  try {
    return readFileSync(cmdline, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

/**
 * Sends SIGTERM to the process group, then SIGKILL after `graceMs` (at once with 0, as a
 * crash would end it). Resolves once it is gone.
 */
export async function stopProcessGroup(pid: number, graceMs = 15_000): Promise<'stopped' | 'killed' | 'not-running'> {
  if (!isAlive(pid)) return 'not-running';
  if (graceMs > 0) signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'stopped';
    await sleep(100);
  }
  signalGroup(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  return 'killed';
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return (await probeTcp(host, port, timeoutMs)).open;
}

/**
 * The line of a log that best says why a process died: an OutOfMemoryError (the JVM's own
 * last words, which other threads' exceptions follow while it goes down), else the last
 * Java exception message (without its class name), else the last ERROR line, else the last line.
 */
export function failureExcerpt(process: Pick<ManagedProcess, 'logFile' | 'logOffset'>): string {
  const lines = logSince(process)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const outOfMemory = lines.map((l) => /java\.lang\.OutOfMemoryError\b.*/.exec(l)?.[0]).find((l) => l !== undefined);
  if (outOfMemory) return `out of memory (${outOfMemory.slice(0, 300)})`;
  const exception = lines.findLast((l) => /^[\w.$]+(Exception|Error): /.test(l));
  if (exception) return exception.replace(/^[\w.$]+: /, '').slice(0, 400);
  const error = lines.findLast((l) => /\b(ERROR|FATAL)\b/.test(l));
  return (error ?? lines.at(-1) ?? '').slice(0, 400);
}

/** What the process has written to its log since it started (the last 64 KiB of it). */
export function logSince({ logFile, logOffset }: Pick<ManagedProcess, 'logFile' | 'logOffset'>, maxBytes = 64 * 1024): string {
  let text: Buffer;
  try {
    text = readFileSync(logFile);
  } catch {
    return '';
  }
  return text.subarray(Math.max(logOffset, text.length - maxBytes)).toString('utf8');
}
