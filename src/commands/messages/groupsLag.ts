import type { CommandRun } from '../../cli/spec.js';
import { sortByLag, totalLag, type GroupLagSummary } from '../../core/messages/index.js';
import { renderGroupLag } from '../../render/groups.js';
import { boundsReader, groupPartitions } from './groupLag.js';

export const run: CommandRun = async (ctx) => {
  const session = await ctx.kafka();
  const { ConsumerGroups } = await import('../../adapters/kafka/groups.js');
  const groups = new ConsumerGroups(session);
  const bounds = await boundsReader(session);
  const summaries: GroupLagSummary[] = [];
  for (const group of await groups.list()) {
    const partitions = await groupPartitions(groups, group, bounds);
    summaries.push({
      group: group.group,
      state: group.state,
      members: group.members.length,
      topics: [...new Set(partitions.map((p) => p.topic))],
      partitions: partitions.length,
      lag: totalLag(partitions),
    });
  }
  await ctx.out.result(sortByLag(summaries), renderGroupLag);
};
