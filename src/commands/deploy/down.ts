import type { CommandRun } from '../../cli/spec.js';
import { renderStopped } from '../../render/deploy.js';
import { deployTarget, runtimeDeployed } from './target.js';

export const run: CommandRun = async (ctx, _args, options) => {
  const target = await deployTarget(ctx, options);
  const removeData = options.volumes === true;
  if ((await runtimeDeployed(options, target)) === 'docker') {
    const { openComposeStack } = await import('../../adapters/compose/project.js');
    const stack = await openComposeStack(target.env);
    const running = (await stack.ps()).filter((s) => s.state === 'running').map((s) => s.service);
    await stack.down(removeData);
    await ctx.out.result({ env: target.env, runtime: 'docker', project: stack.projectName, stopped: running, removedData: removeData }, renderStopped);
    return;
  }
  const { readLocalClusterState, stopLocalCluster } = await import('../../adapters/runtime/localCluster.js');
  const deployed = await readLocalClusterState(target.stateDir);
  const report = await stopLocalCluster(target.stateDir, { removeData });
  await ctx.out.result({ env: deployed?.env ?? target.env, runtime: 'local', stateDir: target.stateDir, ...report }, renderStopped);
};
