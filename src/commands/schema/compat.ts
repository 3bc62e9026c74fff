import type { CommandRun } from '../../cli/spec.js';
import { UsageError } from '../../core/errors.js';

/** `schema compat get|set`: dispatches on the verb. */
export const run: CommandRun = async (ctx, args, options) => {
  const [verb, ...rest] = args;
  if (verb === 'get' && rest.length <= 1) return (await import('./compat-get.js')).run(ctx, rest, options);
  if (verb === 'set' && rest.length >= 1 && rest.length <= 2) return (await import('./compat-set.js')).run(ctx, rest, options);
  throw new UsageError(`expected "compat get [subject]" or "compat set <level> [subject]", got "compat ${args.join(' ')}"`, { hint: 'run "iotmsg schema compat --help"' });
};
