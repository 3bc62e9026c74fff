import { writeFile } from 'node:fs/promises';
import type { CommandRun } from '../../cli/spec.js';
import { OperationError } from '../../core/errors.js';
import { exportProject } from '../../core/topics/index.js';

/** Environment name of an export taken without --env or a project. */
const UNNAMED_ENVIRONMENT = 'default';

/**
 * The live cluster as a topics.yaml: only dynamic overrides, DLQ siblings folded
 * back under their parent. Planning the result against the same cluster shows no
 * changes.
 */
export const run: CommandRun = async (ctx, _args, options) => {
  const { settings, origins } = await ctx.settings();
  const admin = await ctx.admin();
  const observed = await admin.observeTopics('all');
  const registry = origins['schemaRegistry.url']?.source === 'default' ? undefined : settings.schemaRegistry.url;
  const text = exportProject(observed, { environment: settings.env ?? UNNAMED_ENVIRONMENT, brokers: settings.brokers, ...(registry === undefined ? {} : { schemaRegistry: registry }) });
  if (typeof options.out !== 'string') {
    ctx.out.stdout(text);
    return;
  }
  try {
    await writeFile(options.out, text);
  } catch (error) {
    throw new OperationError(`cannot write ${options.out}: ${(error as Error).message}`, { cause: error });
  }
  const count = observed.filter((t) => !t.internal).length;
  ctx.out.success(`exported ${count} topic(s) to ${options.out}`);
};
