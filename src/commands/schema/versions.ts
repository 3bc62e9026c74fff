import type { CommandRun } from '../../cli/spec.js';
import { renderVersions } from '../../render/schema.js';
import { mapLimit, registryOf } from './shared.js';

export const run: CommandRun = async (ctx, args) => {
  const subject = args[0]!;
  const registry = await registryOf(ctx);
  const versions = await registry.versions(subject);
  const rows = await mapLimit(versions, 8, async (version) => ({ version, id: (await registry.version(subject, version)).id }));
  await ctx.out.result(rows, renderVersions);
};
