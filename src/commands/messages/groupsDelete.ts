import type { CommandRun, ParsedOptions } from '../../cli/spec.js';
import { ExitCode, OperationError } from '../../core/errors.js';
import { renderGroupDeleted } from '../../render/groups.js';
import type { GROUP_DELETE_OPTIONS } from './commands.js';

export const run: CommandRun<ParsedOptions<typeof GROUP_DELETE_OPTIONS>> = async (ctx, args, options) => {
  const groupId = args[0]!;
  const session = await ctx.kafka();
  const { activeGroupRefusal, ConsumerGroups, isActive } = await import('../../adapters/kafka/groups.js');
  const groups = new ConsumerGroups(session);
  const group = await groups.describe(groupId);
  if (isActive(group)) throw new OperationError(activeGroupRefusal(group, 'it can be deleted'), { hint: 'stop its consumers, then run this again' });
  if (!(await ctx.confirm(`delete consumer group ${groupId} and its committed offsets`, options.yes === true))) {
    ctx.out.info('delete cancelled: nothing was changed');
    return ExitCode.failed;
  }
  await groups.delete(groupId);
  await ctx.out.result({ deleted: groupId }, renderGroupDeleted);
  return ExitCode.ok;
};
