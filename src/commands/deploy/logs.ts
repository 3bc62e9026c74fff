import type { CommandRun } from '../../cli/spec.js';
import { UsageError } from '../../core/errors.js';
import { deployTarget, runtimeDeployed } from './target.js';

/** Logs are data: they go to stdout as they are, in every output format. */
export const run: CommandRun = async (ctx, args, options) => {
  const target = await deployTarget(ctx, options);
  const tail = Number(options.tail ?? 100);
  if (!Number.isInteger(tail) || tail < 0) throw new UsageError(`--tail "${String(options.tail)}" is not a line count`, { hint: 'use a whole number, e.g. 200' });
  const request = { service: args[0], follow: options.follow === true, tail, write: (text: string) => ctx.out.stdout(text), signal: ctx.signal };
  if ((await runtimeDeployed(options, target)) === 'docker') {
    const { openComposeStack } = await import('../../adapters/compose/project.js');
    await (await openComposeStack(target.env)).logs(request);
    return;
  }
  const { showLocalLogs } = await import('../../adapters/runtime/logs.js');
  await showLocalLogs(target.stateDir, request);
};
