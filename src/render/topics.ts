import type { ChalkInstance } from 'chalk';
import type { TopicSummary } from '../core/cluster/topicHealth.js';
import { table } from './table.js';

export function renderTopicList(topics: readonly TopicSummary[], style: ChalkInstance): string {
  if (topics.length === 0) return style.dim('no topics');
  return table(
    ['NAME', 'PARTITIONS', 'REPLICAS', 'UNDER-REPLICATED', 'OFFLINE', 'DLQ'],
    topics.map((t) => [
      t.name,
      t.partitions,
      t.replicationFactor,
      t.underReplicated > 0 ? style.yellow(t.underReplicated) : 0,
      t.offline > 0 ? style.red(t.offline) : 0,
      t.dlq ? 'dlq' : '',
    ]),
  );
}
