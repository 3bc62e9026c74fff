import type { CommandRun, ParsedOptions } from '../../cli/spec.js';
import { ExitCode, OperationError } from '../../core/errors.js';
import type { ScramMechanism } from '../../core/access/scramProtocol.js';
import { renderUserChange } from '../../render/users.js';
import type { USER_DELETE_OPTIONS } from './commands.js';

export const run: CommandRun<ParsedOptions<typeof USER_DELETE_OPTIONS>> = async (ctx, args, options) => {
  const user = args[0]!;
  const { ScramUsers } = await import('../../adapters/kafka/users.js');
  const users = new ScramUsers(await ctx.kafka());
  ctx.onClose(() => users.close());
  const [existing] = await users.describe([user]);
  const mechanisms = (existing?.credentials ?? [])
    .map((c) => c.mechanism)
    .filter((m): m is ScramMechanism => m !== 'unknown' && (options.mechanism === undefined || m === options.mechanism));
  if (mechanisms.length === 0) {
    throw new OperationError(`user ${user} has no ${options.mechanism ?? 'SCRAM'} credential`, { hint: 'list users with "iotmsg users list"' });
  }
  if (!(await ctx.confirm(`delete the ${mechanisms.join(' and ')} credential(s) of user ${user}`, options.yes === true))) {
    ctx.out.info('delete cancelled: nothing was changed');
    return ExitCode.failed;
  }
  await users.alter(mechanisms.map((mechanism) => ({ user, mechanism })), []);
  await ctx.out.result({ user, mechanisms, change: 'deleted' }, renderUserChange);
  return ExitCode.ok;
};
