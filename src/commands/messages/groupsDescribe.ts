import type { CommandRun } from '../../cli/spec.js';
import { totalLag } from '../../core/messages/index.js';
import { renderGroupDescription, renderGroupDescriptions } from '../../render/groups.js';
import { boundsReader, groupPartitions } from './groupLag.js';

/** One group: its description. None named: every group, as kafka-consumer-groups --describe --all-groups; several: those. Both as a list. */
export const run: CommandRun = async (ctx, args) => {
  const session = await ctx.kafka();
  const { ConsumerGroups } = await import('../../adapters/kafka/groups.js');
  const groups = new ConsumerGroups(session);
  const bounds = await boundsReader(session);
  const described = args.length === 0 ? await groups.list() : await Promise.all([...new Set(args)].map((name) => groups.describe(name)));
  const views = [];
  for (const group of described) {
    const partitions = await groupPartitions(groups, group, bounds);
    views.push({ ...group, partitions, totalLag: totalLag(partitions) });
  }
  if (args.length === 1) await ctx.out.result(views[0]!, renderGroupDescription);
  else await ctx.out.result(views, renderGroupDescriptions);
};
