import type { CommandRun } from '../../cli/spec.js';
import { renderGroupList } from '../../render/groups.js';

export const run: CommandRun = async (ctx) => {
  const { ConsumerGroups } = await import('../../adapters/kafka/groups.js');
  const groups = await new ConsumerGroups(await ctx.kafka()).list();
  await ctx.out.result(
    groups.map((g) => ({ group: g.group, state: g.state, members: g.members.length, protocolType: g.protocolType, protocol: g.protocol })),
    renderGroupList,
  );
};
