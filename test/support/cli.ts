import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export const iotmsgBin = fileURLToPath(new URL('../../bin/iotmsg.js', import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

// Connection variables of the developer's shell must not leak into a test run;
// IOTMSG_KAFKA_VERSION is not one: it picks the Kafka line the whole run is against.
const SCRUBBED = /^(KAFKA_|SCHEMA_REGISTRY_|IOTMSG_(?!KAFKA_VERSION$))/;

/** Runs the built iotmsg binary with piped stdio, as CI would. */
export async function iotmsg(args: string[], options: { env?: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number; uid?: number } = {}): Promise<CliResult> {
  const env: Record<string, string> = { NO_COLOR: '1' };
  for (const [k, v] of Object.entries(process.env)) if (!SCRUBBED.test(k) && v !== undefined) env[k] = v;
  const started = Date.now();
  const result = await execa('node', [iotmsgBin, ...args], {
    env: { ...env, ...options.env },
    extendEnv: false,
    cwd: options.cwd,
    input: options.input ?? '',
    reject: false,
    timeout: options.timeoutMs ?? 120_000,
    ...(options.uid === undefined ? {} : { uid: options.uid }),
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr, durationMs: Date.now() - started };
}
