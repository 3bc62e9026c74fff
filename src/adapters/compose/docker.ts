import { UnavailableError } from '../../core/errors.js';

/**
 * The docker CLI, run through execa. Every call goes through `docker()`, so the exact
 * command lines iotmsg issues are in one place (and tests can put a recording `docker`
 * first on the PATH).
 */

export interface DockerCall {
  /** Each line of stderr as it arrives (compose writes its progress there). */
  onStderrLine?: (line: string) => void;
  /** Each chunk of stdout as it arrives, for output that is passed through (logs). */
  onStdout?: (chunk: string) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface DockerResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** True when the call was stopped through its signal. */
  canceled: boolean;
}

const DOCKER_MISSING_HINT = 'install Docker with the compose plugin, or deploy without Docker: --runtime local';

export async function docker(args: readonly string[], call: DockerCall = {}): Promise<DockerResult> {
  const { execa } = await import('execa');
  const subprocess = execa('docker', [...args], {
    reject: false,
    stdin: 'ignore',
    cancelSignal: call.signal,
    timeout: call.timeoutMs,
    env: { COMPOSE_ANSI: 'never', NO_COLOR: '1' },
  });
  if (call.onStdout) subprocess.stdout?.on('data', (chunk: Buffer) => call.onStdout!(chunk.toString('utf8')));
  if (call.onStderrLine) forEachLine(subprocess.stderr, call.onStderrLine);
  const result = await subprocess;
  if ((result as { code?: string }).code === 'ENOENT') {
    throw new UnavailableError('"docker" is not on the PATH', { hint: DOCKER_MISSING_HINT });
  }
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    canceled: result.isCanceled === true,
  };
}

function forEachLine(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  let pending = '';
  stream?.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') onLine(line.trim());
  });
  stream?.on('end', () => {
    if (pending.trim() !== '') onLine(pending.trim());
  });
}

/** The line of a failed docker call's stderr that says what went wrong. */
export function dockerFailure(result: Pick<DockerResult, 'stderr' | 'stdout'>): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => /error|failed|cannot|unhealthy/i.test(l))?.replace(/^Error:?\s*/i, '') ?? lines.at(-1) ?? 'no output';
}

export type EngineStatus = { available: true; serverVersion: string } | { available: false; reason: string; clientMissing: boolean };

let engine: Promise<EngineStatus> | undefined;

/** Whether a Docker engine answers (the client alone is not enough); asked once per run. */
export function detectEngine(): Promise<EngineStatus> {
  engine ??= askEngine();
  return engine;
}

async function askEngine(): Promise<EngineStatus> {
  let result: DockerResult;
  try {
    result = await docker(['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 10_000 });
  } catch (error) {
    return { available: false, reason: (error as Error).message, clientMissing: true };
  }
  const serverVersion = result.stdout.trim();
  if (result.exitCode === 0 && serverVersion !== '') return { available: true, serverVersion };
  return { available: false, reason: dockerFailure(result), clientMissing: false };
}

/** An engine that answers and the compose plugin, or one line saying which is missing. */
export async function requireCompose(): Promise<{ serverVersion: string; composeVersion: string }> {
  const engine = await detectEngine();
  if (!engine.available && engine.clientMissing) throw new UnavailableError(engine.reason, { hint: DOCKER_MISSING_HINT });
  if (!engine.available) {
    throw new UnavailableError(`the Docker engine does not answer: ${engine.reason}`, {
      hint: 'start Docker (or point DOCKER_HOST at a running engine), or deploy without Docker: --runtime local',
    });
  }
  const compose = await docker(['compose', 'version', '--short'], { timeoutMs: 10_000 });
  if (compose.exitCode !== 0) {
    throw new UnavailableError('the Docker Compose plugin is not installed ("docker compose version" failed)', {
      hint: 'install the docker-compose-plugin package (Compose v2), or deploy without Docker: --runtime local',
    });
  }
  return { serverVersion: engine.serverVersion, composeVersion: compose.stdout.trim() };
}
