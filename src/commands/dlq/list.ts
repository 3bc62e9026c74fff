import type { KafkaSession } from '../../adapters/kafka/session.js';
import type { CommandRun, ParsedOptions } from '../../cli/spec.js';
import { holdsMessages, summarizeDlqs, type DlqSibling, type GroupOffsets } from '../../core/dlq/summary.js';
import { ExitCode } from '../../core/errors.js';
import { renderDlqList } from '../../render/dlq.js';
import { desiredState } from '../topics/desired.js';
import type { LIST_OPTIONS } from './commands.js';

export const run: CommandRun<ParsedOptions<typeof LIST_OPTIONS>> = async (ctx, _args, options) => {
  const desired = await desiredState(ctx);
  const siblings: DlqSibling[] = desired.topics.flatMap((t) => (t.dlqOf === undefined ? [] : [{ name: t.name, parent: t.dlqOf }]));
  let rows = summarizeDlqs(siblings, new Map(), new Map());
  if (siblings.length > 0) {
    const session = await ctx.kafka();
    const existing = new Set(await session.run('list topics', () => session.admin.listTopics()));
    const present = siblings.map((s) => s.name).filter((name) => existing.has(name));
    const { readLogEdges } = await import('../../adapters/kafka/logEdges.js');
    const [logs, committed] = await Promise.all([readLogEdges(session, present), committedOn(session, new Set(present))]);
    rows = summarizeDlqs(siblings, logs, committed);
  }
  await ctx.out.result({ environment: desired.environment, dlqs: rows }, renderDlqList);
  return options.failIfNotEmpty === true && holdsMessages(rows) ? ExitCode.notEmpty : ExitCode.ok;
};

/** Every group's committed offsets on the given topics: one OffsetFetch per group, all at once. */
async function committedOn(session: KafkaSession, topics: ReadonlySet<string>): Promise<GroupOffsets> {
  if (topics.size === 0) return new Map();
  const { ConsumerGroups } = await import('../../adapters/kafka/groups.js');
  const groups = new ConsumerGroups(session);
  const names = await groups.names();
  const offsets = await Promise.all(names.map(async (group) => [group, await groups.committed(group)] as const));
  return new Map(offsets.map(([group, byTopic]) => [group, new Map([...byTopic].filter(([topic]) => topics.has(topic)))]));
}
