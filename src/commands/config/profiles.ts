import type { CommandRun } from '../../cli/spec.js';
import { renderProfiles, type ProfileRow } from '../../render/settings.js';

export const run: CommandRun = async (ctx) => {
  const { listProfiles, profilesDir, readProfile } = await import('../../adapters/secrets.js');
  const profiles: ProfileRow[] = [];
  for (const { name, file } of await listProfiles(ctx.environment)) {
    const layer = await readProfile(name, ctx.environment);
    profiles.push({ name, brokers: layer.brokers ?? [], schemaRegistry: layer.registryUrl, file });
  }
  await ctx.out.result({ directory: profilesDir(ctx.environment), profiles }, renderProfiles);
};
