import type { CommandContext } from '../../cli/context.js';
import type { CommandOptions } from '../../cli/spec.js';
import { isClusterEnv, type ClusterEnv } from '../../core/cluster/profiles.js';
import { UsageError } from '../../core/errors.js';

export type RuntimeName = 'docker' | 'local';

export interface DeployTarget {
  env: ClusterEnv;
  stateDir: string;
  /** Whether --state-dir was given: it names a local deployment. */
  explicitStateDir: boolean;
}

/** The environment and state directory every deploy subcommand works on. */
export async function deployTarget(ctx: CommandContext, options: CommandOptions): Promise<DeployTarget> {
  const { settings } = await ctx.endpointSettings();
  const env = settings.env ?? 'dev';
  if (!isClusterEnv(env)) {
    throw new UsageError(`deploy knows the environments dev and prod, not "${env}"`, { hint: 'use --env dev or --env prod' });
  }
  const { defaultStateDir } = await import('../../adapters/runtime/localCluster.js');
  const explicitStateDir = typeof options.stateDir === 'string';
  const stateDir = explicitStateDir ? (options.stateDir as string) : defaultStateDir(env, ctx.environment);
  return { env, stateDir, explicitStateDir };
}

/** Flags that only mean something to the local runtime, by option key. */
const LOCAL_ONLY_FLAGS: readonly [string, string][] = [
  ['stateDir', '--state-dir'],
  ['brokerPort', '--broker-port'],
  ['controllerPort', '--controller-port'],
  ['registryPort', '--registry-port'],
  ['kafkaVersion', '--kafka-version'],
  ['brokerHeap', '--broker-heap'],
  ['plaintext', '--plaintext'],
];

function localOnlyFlagsGiven(options: CommandOptions): string[] {
  const given = LOCAL_ONLY_FLAGS.filter(([key]) => options[key] !== undefined).map(([, flag]) => flag);
  return options.registry === false ? [...given, '--no-registry'] : given;
}

async function engineAnswers(): Promise<boolean> {
  const { detectEngine } = await import('../../adapters/compose/docker.js');
  return (await detectEngine()).available;
}

/**
 * The runtime `deploy` starts: as asked, or with `auto` Docker when an engine answers,
 * unless a flag only the local runtime understands was given.
 */
export async function runtimeToStart(options: CommandOptions): Promise<RuntimeName> {
  const requested = String(options.runtime ?? 'auto');
  const localOnly = localOnlyFlagsGiven(options);
  if (requested === 'docker' && localOnly.length > 0) {
    throw new UsageError(`${localOnly.join(', ')} ${localOnly.length === 1 ? 'applies' : 'apply'} only to --runtime local`, {
      hint: 'the compose stacks publish the ports of their profile (see deploy/docker-compose.<env>.yml); drop the flag, or use --runtime local',
    });
  }
  if (requested === 'docker' || requested === 'local') return requested;
  return localOnly.length === 0 && (await engineAnswers()) ? 'docker' : 'local';
}

/**
 * The runtime that down/status/logs look at: as asked, or with `auto` the local runtime
 * when its state directory holds a deployment, else Docker when an engine answers.
 */
export async function runtimeDeployed(options: CommandOptions, target: DeployTarget): Promise<RuntimeName> {
  const requested = String(options.runtime ?? 'auto');
  if (requested === 'docker' || requested === 'local') return requested;
  const { hasLocalDeployment } = await import('../../adapters/runtime/localCluster.js');
  if (target.explicitStateDir || hasLocalDeployment(target.stateDir)) return 'local';
  return (await engineAnswers()) ? 'docker' : 'local';
}

/** A JVM heap size: 768m, 2g (a bare number is megabytes), at least 64 MB. */
export function parseHeap(value: unknown, source: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const match = /^(\d+)([mg]?)$/i.exec(String(value).trim());
  const megabytes = match ? Number(match[1]) * (match[2]!.toLowerCase() === 'g' ? 1024 : 1) : Number.NaN;
  if (!Number.isSafeInteger(megabytes) || megabytes < 64) {
    throw new UsageError(`${source} "${String(value)}" is not a heap size`, { hint: 'use megabytes or gigabytes of at least 64m, e.g. 768m or 2g' });
  }
  return megabytes;
}
