import { COMPLETION_SCRIPTS, type CompletionShell } from '../../cli/completion.js';
import type { CommandRun } from '../../cli/spec.js';
import { UsageError } from '../../core/errors.js';

export const run: CommandRun = async (ctx, args) => {
  const shell = args[0]!;
  if (!Object.hasOwn(COMPLETION_SCRIPTS, shell)) throw new UsageError(`no completion for "${shell}"`, { hint: `shells: ${Object.keys(COMPLETION_SCRIPTS).join(', ')}` });
  ctx.out.stdout(COMPLETION_SCRIPTS[shell as CompletionShell]);
};
