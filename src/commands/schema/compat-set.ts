import type { CommandRun } from '../../cli/spec.js';
import { UsageError } from '../../core/errors.js';
import { compatibilityLevel, registryOf } from './shared.js';

export const run: CommandRun = async (ctx, args, options) => {
  const level = compatibilityLevel(args[0], 'level')!;
  const subject = args[1];
  if (subject === undefined && options.global !== true) {
    throw new UsageError('name a subject, or pass --global to set the level of the whole registry');
  }
  if (subject !== undefined && options.global === true) throw new UsageError('give a subject or --global, not both');
  const registry = await registryOf(ctx);
  await registry.setCompatibility(level, subject);
  ctx.out.success(`compatibility of ${subject === undefined ? 'the registry' : `subject ${subject}`} set to ${level}`);
  // Apicurio stores a subject's NONE by removing the subject's rule, so the global level applies instead.
  if (level === 'NONE' && subject !== undefined && registry.url.includes('/apis/ccompat/')) {
    const global = await registry.compatibility();
    if (global !== undefined && global !== 'NONE') {
      ctx.out.warn(`Apicurio keeps no NONE level per subject: the global level ${global} still applies to ${subject}`);
    }
  }
};
