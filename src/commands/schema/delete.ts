import type { CommandRun } from '../../cli/spec.js';
import { OperationError } from '../../core/errors.js';
import { renderDeleted } from '../../render/schema.js';
import { positiveVersion, registryOf } from './shared.js';

export const run: CommandRun = async (ctx, args, options) => {
  const subject = args[0]!;
  const version = positiveVersion(args[1] ?? (options.version as string | undefined));
  const permanent = options.permanent === true;
  const registry = await registryOf(ctx);
  // Reading first names what will go in the question, and fails early on a wrong subject or version;
  // a permanent delete may target what is already soft-deleted.
  const versions = version === undefined ? await registry.versions(subject, permanent) : [(await registry.version(subject, version, permanent)).version];
  const what = version === undefined ? `subject ${subject} (${versions.length} version(s))` : `version ${version} of subject ${subject}`;
  if (!(await ctx.confirm(`delete ${what}${permanent ? ' permanently' : ''}`, options.yes === true))) {
    throw new OperationError('deletion cancelled: nothing was deleted');
  }
  const deleted = version === undefined ? await registry.deleteSubject(subject, permanent) : [await registry.deleteVersion(subject, version, permanent)];
  await ctx.out.result({ subject, versions: deleted, permanent }, renderDeleted);
};
