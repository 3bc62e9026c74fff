import type { CommandContext } from '../../cli/context.js';
import type { CommandOptions } from '../../cli/spec.js';
import { isClusterEnv, type ClusterEnv } from '../../core/cluster/profiles.js';
import { UsageError } from '../../core/errors.js';

export interface DeployTarget {
  env: ClusterEnv;
  stateDir: string;
}

/** The environment and state directory every deploy subcommand works on. */
export async function deployTarget(ctx: CommandContext, options: CommandOptions): Promise<DeployTarget> {
  const { settings } = await ctx.settings();
  const env = settings.env ?? 'dev';
  if (!isClusterEnv(env)) {
    throw new UsageError(`deploy knows the environments dev and prod, not "${env}"`, { hint: 'use --env dev or --env prod' });
  }
  const { defaultStateDir } = await import('../../adapters/runtime/localCluster.js');
  const stateDir = typeof options.stateDir === 'string' ? options.stateDir : defaultStateDir(env, ctx.environment);
  return { env, stateDir };
}

export function parsePort(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`${flag} "${String(value)}" is not a port number`, { hint: 'use 1-65535' });
  return port;
}
