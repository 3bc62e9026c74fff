import type { CommandRun } from '../../cli/spec.js';
import { renderCompatibility } from '../../render/schema.js';
import { registryOf } from './shared.js';

/** A subject's own level (null when it has none), the global level, and the one that applies. */
export const run: CommandRun = async (ctx, args) => {
  const subject = args[0];
  const registry = await registryOf(ctx);
  const [own, global] = await Promise.all([subject === undefined ? undefined : registry.compatibility(subject), registry.compatibility()]);
  await ctx.out.result({ subject: subject ?? null, level: own ?? null, global: global ?? null, effective: own ?? global ?? null }, renderCompatibility);
};
