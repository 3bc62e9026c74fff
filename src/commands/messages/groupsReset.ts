import type { CommandRun, ParsedOptions } from '../../cli/spec.js';
import { OperationError, UsageError } from '../../core/errors.js';
import { parsePointInTime, planOffsetReset, type Position } from '../../core/messages/index.js';
import { renderOffsetReset } from '../../render/groups.js';
import type { RESET_OPTIONS } from './commands.js';
import { exclusive } from './options.js';

const TARGETS = { toEarliest: '--to-earliest', toLatest: '--to-latest', toDatetime: '--to-datetime', shiftBy: '--shift-by' };

export const run: CommandRun<ParsedOptions<typeof RESET_OPTIONS>> = async (ctx, args, options) => {
  const groupId = args[0]!;
  const topic = options.topic;
  if (topic === undefined) throw new UsageError('reset-offsets needs --topic', { hint: 'name the topic whose offsets to move' });
  const target = exclusive(options, TARGETS);
  if (target === undefined) throw new UsageError('say where to move the offsets', { hint: `give one of ${Object.values(TARGETS).join(', ')}` });
  const execute = options.execute === true;

  const session = await ctx.kafka();
  const { assertTopicExists, offsetsAtTime, topicBounds } = await import('../../adapters/kafka/consumer.js');
  const { activeGroupRefusal, ConsumerGroups, isActive } = await import('../../adapters/kafka/groups.js');
  await assertTopicExists(session, topic);
  const groups = new ConsumerGroups(session);
  const group = await groups.find(groupId);
  // Committing offsets creates a group: a mistyped name would silently make a new one.
  if (group === undefined && options.create !== true) {
    const refusal = `consumer group "${groupId}" does not exist`;
    const hint = 'check the name with "iotmsg groups list"; pass --create to create it at these offsets';
    if (execute) throw new OperationError(refusal, { hint });
    ctx.out.warn(`${refusal}: ${hint}`);
  }
  if (group !== undefined && isActive(group)) {
    const refusal = activeGroupRefusal(group, 'offsets can be reset');
    if (execute) throw new OperationError(refusal, { hint: 'stop its consumers, then run this again' });
    ctx.out.warn(refusal);
  }

  let position: Position;
  switch (target) {
    case 'toEarliest':
      position = { kind: 'earliest' };
      break;
    case 'toLatest':
      position = { kind: 'latest' };
      break;
    case 'toDatetime': {
      const timestampMs = parsePointInTime(String(options.toDatetime), Date.now(), '--to-datetime');
      position = { kind: 'timestamp', timestampMs, offsets: await offsetsAtTime(session, topic, timestampMs) };
      break;
    }
    default:
      position = { kind: 'shift', by: options.shiftBy! };
  }
  const committed = (await groups.committed(groupId, [topic])).get(topic) ?? new Map<number, number>();
  const changes = planOffsetReset(topic, await topicBounds(session, topic), committed, position);
  if (execute) await groups.setOffsets(groupId, topic, changes.map((c) => ({ partition: c.partition, offset: c.target })));
  await ctx.out.result({ group: groupId, topic, executed: execute, changes }, renderOffsetReset);
  if (execute) ctx.out.success(`moved the offsets of group ${groupId} on ${changes.length} partition(s) of ${topic}`);
  else ctx.out.info('nothing was changed: pass --execute to make this change');
};
