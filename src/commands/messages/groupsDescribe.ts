import type { CommandRun } from '../../cli/spec.js';
import { totalLag } from '../../core/messages/index.js';
import { renderGroupDescription } from '../../render/groups.js';
import { boundsReader, groupPartitions } from './groupLag.js';

export const run: CommandRun = async (ctx, args) => {
  const session = await ctx.kafka();
  const { ConsumerGroups } = await import('../../adapters/kafka/groups.js');
  const groups = new ConsumerGroups(session);
  const group = await groups.describe(args[0]!);
  const partitions = await groupPartitions(groups, group, await boundsReader(session));
  await ctx.out.result({ ...group, partitions, totalLag: totalLag(partitions) }, renderGroupDescription);
};
