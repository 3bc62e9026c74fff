import type { CommandRun } from '../../cli/spec.js';
import { renderSubjectList } from '../../render/schema.js';
import { mapLimit, registryOf } from './shared.js';

export const run: CommandRun = async (ctx, _args, options) => {
  const registry = await registryOf(ctx);
  const prefix = typeof options.prefix === 'string' ? options.prefix : '';
  const subjects = (await registry.subjects()).filter((s) => s.startsWith(prefix)).sort();
  const rows = await mapLimit(subjects, 8, async (subject) => {
    const latest = await registry.version(subject, 'latest');
    return { subject, latestVersion: latest.version, id: latest.id, schemaType: latest.schemaType };
  });
  await ctx.out.result(rows, renderSubjectList);
};
