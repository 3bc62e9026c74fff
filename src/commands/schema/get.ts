import type { CommandRun } from '../../cli/spec.js';
import { renderRegisteredSchema } from '../../render/schema.js';
import { positiveVersion, registryOf } from './shared.js';

export const run: CommandRun = async (ctx, args, options) => {
  const registry = await registryOf(ctx);
  const stored = await registry.version(args[0]!, positiveVersion(args[1] ?? (options.version as string | undefined)) ?? 'latest');
  await ctx.out.result(stored, renderRegisteredSchema);
};
