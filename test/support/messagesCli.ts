import { execa, type ResultPromise } from 'execa';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/iotmsg.js', import.meta.url));

type Child = ResultPromise<{ reject: false; buffer: true }>;

/**
 * iotmsg left running (tail follows), for tests that act while it reads and then stop it.
 * Its output is collected from the start, so nothing written before a wait is missed.
 */
export class RunningIotmsg {
  readonly child: Child;
  private readonly seen = { stdout: '', stderr: '' };
  private readonly listeners = new Set<() => void>();

  constructor(args: string[], cwd?: string) {
    const env: Record<string, string> = { NO_COLOR: '1' };
    for (const [k, v] of Object.entries(process.env)) if (!/^(KAFKA_|SCHEMA_REGISTRY_|IOTMSG_)/.test(k) && v !== undefined) env[k] = v;
    this.child = execa('node', [BIN, ...args], { env, extendEnv: false, cwd, reject: false, buffer: true, timeout: 120_000 });
    for (const stream of ['stdout', 'stderr'] as const) {
      this.child[stream].on('data', (chunk: Buffer) => {
        this.seen[stream] += chunk.toString();
        for (const listener of this.listeners) listener();
      });
    }
  }

  /** Resolves once the collected output of `stream` satisfies `done`. */
  waitFor(stream: 'stdout' | 'stderr', done: (text: string) => boolean, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done(this.seen[stream])) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`${stream} never got there: ${this.seen[stream]}`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }
}

/** Parses NDJSON output, one object per line. */
export function ndjson<T>(text: string): T[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}
