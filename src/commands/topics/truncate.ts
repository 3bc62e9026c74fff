import type { CommandRun, ParsedOptions } from '../../cli/spec.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { parsePointInTime } from '../../core/messages/index.js';
import { planTruncation } from '../../core/topics/truncate.js';
import { renderTruncation } from '../../render/topics.js';
import type { TRUNCATE_OPTIONS } from './commands.js';
import { refuseDestructive } from './desired.js';

const OFFSET = /^\d+$/;

export const run: CommandRun<ParsedOptions<typeof TRUNCATE_OPTIONS>> = async (ctx, args, options) => {
  const topic = args[0]!;
  const before = options.before;
  if (before === undefined) throw new UsageError('truncate needs --before', { hint: 'an offset (every partition), a time (ISO, or 10m, 2h, 1d back), or "end" for everything' });
  // Checked before any connection: a bad --before must not wait on the cluster.
  const timestampMs = OFFSET.test(before) || before === 'end' ? undefined : parsePointInTime(before, Date.now(), '--before');
  await refuseDestructive(ctx, [topic], 'truncate');
  const session = await ctx.kafka();
  const { assertTopicExists, offsetsAtTime, topicBounds } = await import('../../adapters/kafka/consumer.js');
  await assertTopicExists(session, topic);
  const bounds = await topicBounds(session, topic);
  let targets: Map<number, number>;
  if (timestampMs !== undefined) {
    // No record at or after the time: every record of the partition is older.
    const at = await offsetsAtTime(session, topic, timestampMs);
    targets = new Map(bounds.map((b) => [b.partition, (at.get(b.partition) ?? -1) < 0 ? b.high : at.get(b.partition)!]));
  } else {
    targets = new Map(bounds.map((b) => [b.partition, before === 'end' ? b.high : Number(before)]));
  }
  const partitions = planTruncation(bounds, targets);
  const deleted = partitions.reduce((sum, p) => sum + p.deleted, 0);
  if (deleted === 0) {
    await ctx.out.result({ topic, deleted: 0, partitions }, renderTruncation);
    return ExitCode.ok;
  }
  if (!(await ctx.confirm(`delete ${deleted} message(s) from ${partitions.length} partition(s) of topic ${topic}`, options.yes === true))) {
    ctx.out.info('truncate cancelled: nothing was deleted');
    return ExitCode.failed;
  }
  await session.run(
    `delete the records of topic "${topic}"`,
    () => session.admin.deleteTopicRecords({ topic, partitions: partitions.map((p) => ({ partition: p.partition, offset: String(p.newLow) })) }),
    undefined,
    { operation: 'DELETE', resource: `topic "${topic}"` },
  );
  await ctx.out.result({ topic, deleted, partitions }, renderTruncation);
  return ExitCode.ok;
};
