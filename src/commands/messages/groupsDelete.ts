import type { CommandRun, ParsedOptions } from '../../cli/spec.js';
import { ExitCode, OperationError } from '../../core/errors.js';
import { renderGroupsDeleted } from '../../render/groups.js';
import type { GROUP_DELETE_OPTIONS } from './commands.js';

/** Every group is checked (known, no members) before any is deleted: all of them or none. */
export const run: CommandRun<ParsedOptions<typeof GROUP_DELETE_OPTIONS>> = async (ctx, args, options) => {
  const names = [...new Set(args)];
  const session = await ctx.kafka();
  const { activeGroupRefusal, ConsumerGroups, isActive } = await import('../../adapters/kafka/groups.js');
  const groups = new ConsumerGroups(session);
  for (const name of names) {
    const group = await groups.describe(name);
    if (isActive(group)) throw new OperationError(activeGroupRefusal(group, 'it can be deleted'), { hint: 'stop its consumers, then run this again; nothing was deleted' });
  }
  const what = names.length === 1 ? `consumer group ${names[0]}` : `${names.length} consumer groups (${names.join(', ')})`;
  if (!(await ctx.confirm(`delete ${what} and the committed offsets`, options.yes === true))) {
    ctx.out.info('delete cancelled: nothing was changed');
    return ExitCode.failed;
  }
  await groups.delete(names);
  await ctx.out.result({ deleted: names }, renderGroupsDeleted);
  return ExitCode.ok;
};
