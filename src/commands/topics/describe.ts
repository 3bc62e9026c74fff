import type { CommandRun } from '../../cli/spec.js';
import { isDlqName } from '../../core/cluster/topicHealth.js';
import { compareNames } from '../../core/topics/index.js';
import { renderTopicDescription, type TopicDescription } from '../../render/topics.js';
import { findTopic } from './lookup.js';

/** `a.dlq.poison` → `a`. */
function dlqParent(name: string): string {
  return name.replace(/\.dlq(\.[^.]+)*$/, '');
}

export const run: CommandRun = async (ctx, args) => {
  const [name = ''] = args;
  const admin = await ctx.admin();
  const topics = await admin.listTopics();
  const topic = findTopic(topics, name);
  const [configs, offsets] = await Promise.all([admin.topicConfigs([name]), admin.topicOffsets(name)]);
  const offsetsOf = new Map(offsets.map((o) => [o.partition, o]));
  const names = new Set(topics.map((t) => t.name));
  const parent = isDlqName(name) ? dlqParent(name) : undefined;
  const description: TopicDescription = {
    name,
    internal: topic.internal,
    replicationFactor: Math.max(0, ...topic.partitions.map((p) => p.replicas.length)),
    dlqOf: parent !== undefined && names.has(parent) ? parent : undefined,
    dlqSiblings: [...names].filter((n) => n !== name && isDlqName(n) && dlqParent(n) === name).sort(compareNames),
    partitions: topic.partitions.map((p) => ({
      partition: p.partition,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
      offlineReplicas: p.offlineReplicas,
      earliestOffset: offsetsOf.get(p.partition)?.earliest ?? '0',
      latestOffset: offsetsOf.get(p.partition)?.latest ?? '0',
    })),
    configs: Object.entries(configs.get(name) ?? {})
      .map(([config, entry]) => ({ name: config, value: entry.value, source: entry.source, readOnly: entry.readOnly }))
      .sort((a, b) => compareNames(a.name, b.name)),
  };
  await ctx.out.result(description, renderTopicDescription);
};
