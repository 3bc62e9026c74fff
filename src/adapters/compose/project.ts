import { fileURLToPath } from 'node:url';
import { composeFileName, composeProjectName } from '../../core/cluster/compose.js';
import type { ClusterEnv } from '../../core/cluster/profiles.js';
import { InterruptedError, UnavailableError } from '../../core/errors.js';
import { docker, dockerFailure, requireCompose, type DockerResult } from './docker.js';

/** What `docker compose ps` says about one container of the stack. */
export interface ServiceState {
  service: string;
  container: string;
  /** running, exited, created, restarting, ... */
  state: string;
  /** healthy, unhealthy, starting, or '' for a container without a health check. */
  health: string;
  /** Host ports the container publishes. */
  ports: number[];
}

export interface StaleResources {
  containers: string[];
  networks: string[];
}

export interface LogsRequest {
  service: string | undefined;
  follow: boolean;
  tail: number;
  write: (chunk: string) => void;
  signal: AbortSignal;
}

/** One environment's compose stack: the only things iotmsg asks of Docker Compose. */
export interface ComposeStackRunner {
  readonly projectName: string;
  readonly file: string;
  /** Validates the compose file with Compose itself. */
  config(): Promise<void>;
  up(onProgress: (line: string) => void, signal: AbortSignal): Promise<void>;
  down(removeVolumes: boolean): Promise<void>;
  ps(): Promise<ServiceState[]>;
  logs(request: LogsRequest): Promise<void>;
  /** Removes every container and network labelled with this project, whatever made them. */
  removeStale(): Promise<StaleResources>;
}

/** The compose files ship with the package, next to dist/. */
export function composeFile(env: ClusterEnv): string {
  return fileURLToPath(new URL(`../../../deploy/${composeFileName(env)}`, import.meta.url));
}

/** The stack of `env`, once an engine and the compose plugin have answered. */
export async function openComposeStack(env: ClusterEnv): Promise<ComposeStackRunner> {
  await requireCompose();
  return new DockerComposeStack(env, composeFile(env));
}

/** How long `up --wait` may take before Compose gives up on a health check. */
const UP_WAIT_TIMEOUT_S = 300;

class DockerComposeStack implements ComposeStackRunner {
  readonly projectName: string;

  constructor(
    private readonly env: ClusterEnv,
    readonly file: string,
  ) {
    this.projectName = composeProjectName(env);
  }

  private compose(args: readonly string[], call?: Parameters<typeof docker>[1]): Promise<DockerResult> {
    return docker(['compose', '-p', this.projectName, '-f', this.file, ...args], call);
  }

  private failed(action: string, result: DockerResult, hint: string): UnavailableError {
    return new UnavailableError(`docker compose ${action} failed for ${this.projectName}: ${dockerFailure(result)}`, { hint });
  }

  async config(): Promise<void> {
    const result = await this.compose(['config', '--quiet']);
    if (result.exitCode !== 0) throw this.failed('config', result, `${this.file} is not a valid compose file; restore it from the package`);
  }

  async up(onProgress: (line: string) => void, signal: AbortSignal): Promise<void> {
    const result = await this.compose(['up', '--detach', '--wait', '--wait-timeout', String(UP_WAIT_TIMEOUT_S), '--remove-orphans'], { onStderrLine: onProgress, signal });
    if (result.canceled) {
      throw new InterruptedError(`interrupted while starting ${this.projectName}; containers that had started keep running`, {
        hint: `stop them with "iotmsg deploy down --env ${this.env} --runtime docker"`,
      });
    }
    if (result.exitCode === 0) return;
    const port = takenPort(result.stderr);
    if (port !== undefined) {
      throw new UnavailableError(`port ${port} is already in use, so the ${this.env} stack cannot start`, {
        hint: `stop whatever listens there (docker ps --filter publish=${port}; ss -ltnp 'sport = :${port}'), then run "iotmsg deploy --env ${this.env} --clean"`,
      });
    }
    throw this.failed('up', result, `see the logs with "iotmsg deploy logs --env ${this.env} --runtime docker"; "--clean" removes what an earlier run left`);
  }

  async down(removeVolumes: boolean): Promise<void> {
    const result = await this.compose(['down', '--remove-orphans', ...(removeVolumes ? ['--volumes'] : [])]);
    if (result.exitCode !== 0) throw this.failed('down', result, 'check "docker ps" and the engine log');
  }

  async ps(): Promise<ServiceState[]> {
    const result = await this.compose(['ps', '--all', '--format', 'json']);
    if (result.exitCode !== 0) throw this.failed('ps', result, 'check that the engine answers: docker info');
    return parsePs(result.stdout);
  }

  async logs(request: LogsRequest): Promise<void> {
    const args = ['logs', '--no-color', '--tail', String(request.tail), ...(request.follow ? ['--follow'] : []), ...(request.service ? [request.service] : [])];
    const result = await this.compose(args, { onStdout: request.write, signal: request.signal });
    // Ctrl-C is how --follow ends.
    if (result.exitCode !== 0 && !result.canceled) throw this.failed('logs', result, `services of the stack: see "iotmsg deploy status --env ${this.env}"`);
  }

  async removeStale(): Promise<StaleResources> {
    const label = `label=com.docker.compose.project=${this.projectName}`;
    const containers = await this.listNames(['ps', '--all', '--filter', label, '--format', '{{.ID}} {{.Names}}']);
    if (containers.length > 0) await this.mustSucceed(['rm', '--force', ...containers.map((c) => c.id)], 'remove stale containers');
    const networks = await this.listNames(['network', 'ls', '--filter', label, '--format', '{{.ID}} {{.Name}}']);
    if (networks.length > 0) await this.mustSucceed(['network', 'rm', ...networks.map((n) => n.id)], 'remove stale networks');
    return { containers: containers.map((c) => c.name), networks: networks.map((n) => n.name) };
  }

  private async listNames(args: string[]): Promise<{ id: string; name: string }[]> {
    const result = await this.mustSucceed(args, 'list what an earlier run left');
    return result.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([id, name]) => ({ id: id!, name: name ?? id! }));
  }

  private async mustSucceed(args: string[], what: string): Promise<DockerResult> {
    const result = await docker(args);
    if (result.exitCode !== 0) {
      throw new UnavailableError(`cannot ${what} of ${this.projectName}: ${dockerFailure(result)}`, { hint: 'check that the engine answers: docker info' });
    }
    return result;
  }
}

/** The host port named in the engine's "port is already allocated" / "address already in use" errors. */
export function takenPort(stderr: string): number | undefined {
  const match = /(?:Bind for|listen tcp[46]?) \S*?:(\d+)(?: failed: port is already allocated|: bind: address already in use)/.exec(stderr);
  return match ? Number(match[1]) : undefined;
}

interface PsEntry {
  Service?: string;
  Name?: string;
  State?: string;
  Health?: string;
  Publishers?: { PublishedPort?: number }[] | null;
}

/** `docker compose ps --format json`: one JSON object per line (Compose ≥ 2.21) or one JSON array (older). */
export function parsePs(stdout: string): ServiceState[] {
  const text = stdout.trim();
  if (text === '') return [];
  const entries: PsEntry[] = text.startsWith('[') ? (JSON.parse(text) as PsEntry[]) : text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as PsEntry);
  return entries.map((e) => ({
    service: e.Service ?? '',
    container: e.Name ?? '',
    state: e.State ?? 'unknown',
    health: e.Health ?? '',
    ports: [...new Set((e.Publishers ?? []).map((p) => p.PublishedPort ?? 0).filter((p) => p > 0))].sort((a, b) => a - b),
  }));
}
