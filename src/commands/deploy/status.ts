import type { CommandRun } from '../../cli/spec.js';
import { stackEndpoints } from '../../core/cluster/compose.js';
import { CLUSTER_PROFILES } from '../../core/cluster/profiles.js';
import { ExitCode } from '../../core/errors.js';
import { renderStatus } from '../../render/deploy.js';
import { deployTarget, runtimeDeployed } from './target.js';

export const run: CommandRun = async (ctx, _args, options) => {
  const target = await deployTarget(ctx, options);
  const { env, stateDir } = target;
  if ((await runtimeDeployed(options, target)) === 'docker') {
    const { openComposeStack } = await import('../../adapters/compose/project.js');
    const stack = await openComposeStack(env);
    const services = await stack.ps();
    const endpoints = stackEndpoints(CLUSTER_PROFILES[env]);
    await ctx.out.result(
      { env, runtime: 'docker', project: stack.projectName, deployed: services.length > 0, bootstrapServers: endpoints.bootstrapServers, schemaRegistryUrl: endpoints.schemaRegistryUrl, services },
      renderStatus,
    );
    const up = services.length > 0 && services.every((s) => s.state === 'running' && (s.health === '' || s.health === 'healthy'));
    return up ? ExitCode.ok : ExitCode.unhealthy;
  }
  const { readLocalClusterState, runningComponents } = await import('../../adapters/runtime/localCluster.js');
  const state = await readLocalClusterState(stateDir);
  const running = new Set(state ? runningComponents(state).map((c) => c.pid) : []);
  const components = (state?.components ?? []).map((c) => ({ name: c.name, kind: c.kind, pid: c.pid, port: c.port, running: running.has(c.pid), log: c.logFile }));
  await ctx.out.result({ env, runtime: 'local', stateDir, deployed: state !== undefined, bootstrapServers: state?.bootstrapServers ?? [], schemaRegistryUrl: state?.schemaRegistryUrl, components }, renderStatus);
  return components.length > 0 && components.every((c) => c.running) ? ExitCode.ok : ExitCode.unhealthy;
};
