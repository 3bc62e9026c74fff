import type { CommandRun } from '../../cli/spec.js';
import { redactSettings } from '../../core/config/settings.js';
import { renderSettings } from '../../render/settings.js';

export const run: CommandRun = async (ctx) => {
  const { settings, origins } = await ctx.settings();
  await ctx.out.result({ settings: redactSettings(settings), origins }, renderSettings);
};
