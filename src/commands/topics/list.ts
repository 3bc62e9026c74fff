import type { CommandRun } from '../../cli/spec.js';
import { summariseTopic } from '../../core/cluster/topicHealth.js';
import { renderTopicList } from '../../render/topics.js';

export const run: CommandRun = async (ctx, _args, options) => {
  const admin = await ctx.admin();
  const topics = (await admin.listTopics()).filter((t) => options.internal === true || !t.internal);
  await ctx.out.result(topics.map(summariseTopic), renderTopicList);
};
