import type { CommandRun } from '../../cli/spec.js';
import { renderStopped } from '../../render/deploy.js';
import { deployTarget } from './target.js';

export const run: CommandRun = async (ctx, _args, options) => {
  const { env, stateDir } = await deployTarget(ctx, options);
  const { readLocalClusterState, stopLocalCluster } = await import('../../adapters/runtime/localCluster.js');
  const deployed = await readLocalClusterState(stateDir);
  const report = await stopLocalCluster(stateDir, { removeData: options.volumes === true });
  await ctx.out.result({ env: deployed?.env ?? env, stateDir, ...report }, renderStopped);
};
