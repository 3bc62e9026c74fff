import { writeFile } from 'node:fs/promises';
import type { CommandRun } from '../../cli/spec.js';
import { OperationError } from '../../core/errors.js';
import { AclAdmin } from '../../adapters/kafka/acls.js';
import { foldAccess } from '../../core/access/index.js';
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
  const [observed, acls] = await Promise.all([admin.observeTopics('all'), new AclAdmin(await ctx.kafka()).observe()]);
  const registry = origins['schemaRegistry.url']?.source === 'default' ? undefined : settings.schemaRegistry.url;
  // Roles may only name exported topics; ACLs on others stay raw entries.
  const access = acls.enforced ? { access: foldAccess(acls.bindings, observed.filter((t) => !t.internal).map((t) => t.name)) } : {};
  const text = exportProject(observed, { environment: settings.env ?? UNNAMED_ENVIRONMENT, brokers: settings.brokers, ...(registry === undefined ? {} : { schemaRegistry: registry }), ...access });
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
