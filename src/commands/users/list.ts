import type { CommandRun } from '../../cli/spec.js';
import { renderUsers } from '../../render/users.js';

export const run: CommandRun = async (ctx) => {
  const { ScramUsers } = await import('../../adapters/kafka/users.js');
  const scram = new ScramUsers(await ctx.kafka());
  ctx.onClose(() => scram.close());
  const users = await scram.describe(null);
  await ctx.out.result(users.map(({ user, credentials }) => ({ user, credentials })), renderUsers);
};
