import type { CommandRun } from '../../cli/spec.js';
import { ExitCode } from '../../core/errors.js';
import { renderStatus } from '../../render/deploy.js';
import { deployTarget } from './target.js';

export const run: CommandRun = async (ctx, _args, options) => {
  const { env, stateDir } = await deployTarget(ctx, options);
  const { readLocalClusterState, runningComponents } = await import('../../adapters/runtime/localCluster.js');
  const state = await readLocalClusterState(stateDir);
  const running = new Set(state ? runningComponents(state).map((c) => c.pid) : []);
  const components = (state?.components ?? []).map((c) => ({ name: c.name, kind: c.kind, pid: c.pid, port: c.port, running: running.has(c.pid), log: c.logFile }));
  await ctx.out.result({ env, stateDir, deployed: state !== undefined, bootstrapServers: state?.bootstrapServers ?? [], schemaRegistryUrl: state?.schemaRegistryUrl, components }, renderStatus);
  return components.length > 0 && components.every((c) => c.running) ? ExitCode.ok : ExitCode.unhealthy;
};
