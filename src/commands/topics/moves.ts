import type { ClusterAdmin } from '../../adapters/kafka/admin.js';
import { partitionKey } from '../../adapters/kafka/reassignments.js';
import type { CommandContext } from '../../cli/context.js';
import { formatQuantity } from '../../core/topics/index.js';
import { replicationThrottle } from '../../core/topics/reassignment.js';
import type { Progress } from '../../render/output.js';
import { reassignments } from './planning.js';

/** One partition's move: the replicas it has and those it is to have. */
export interface TopicMove {
  topic: string;
  partition: number;
  from: readonly number[];
  to: readonly number[];
}

export interface MoveOptions {
  signal: AbortSignal;
  progress: Progress;
  /** Bytes per second the moves may copy at, per broker (leader and follower side). */
  throttle?: number;
  /** A throttle is left from an earlier, interrupted run: remove it when the moves are done. */
  throttled?: boolean;
}

const THROTTLED_REPLICAS = ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'];
const THROTTLE_RATES = ['leader.replication.throttled.rate', 'follower.replication.throttled.rate'];

/**
 * Starts the moves and waits until every broker's metadata shows them, saying each partition
 * as it completes. With a throttle, the moves' replication is limited first and the limit is
 * removed at the end, as kafka-reassign-partitions does. Ctrl-C ends the wait only: the moves
 * (and their throttle) go on in the cluster, and a new plan or `topics reassign` picks them up.
 */
export async function moveReplicas(ctx: CommandContext, admin: ClusterAdmin, action: string, moves: readonly TopicMove[], options: MoveOptions): Promise<void> {
  const session = await ctx.kafka();
  const { alterConfigsIncrementally } = await import('../../adapters/kafka/configs.js');
  const throttle = replicationThrottle(moves);
  if (options.throttle !== undefined) {
    const rate = String(options.throttle);
    await alterConfigsIncrementally(session, [
      ...throttle.topics.map((t) => ({ type: 'topic' as const, name: t.topic, set: { [THROTTLED_REPLICAS[0]!]: t.leaderReplicas, [THROTTLED_REPLICAS[1]!]: t.followerReplicas }, delete: [] })),
      ...throttle.brokers.map((id) => ({ type: 'broker' as const, name: String(id), set: Object.fromEntries(THROTTLE_RATES.map((name) => [name, rate])), delete: [] })),
    ]);
    ctx.out.info(`replication throttled to ${formatQuantity(BigInt(options.throttle), 'size') ?? `${rate} bytes`}/s on brokers ${throttle.brokers.join(',')} until the moves are done`);
  }
  const client = await reassignments(ctx);
  const byTopic = new Map<string, TopicMove[]>();
  for (const move of moves) byTopic.set(move.topic, [...(byTopic.get(move.topic) ?? []), move]);
  await client.alter(action, [...byTopic].map(([topic, partitions]) => ({ topic, partitions: partitions.map((m) => ({ partition: m.partition, replicas: m.to })) })));
  const target = new Map(moves.map((m) => [partitionKey(m), m.to]));
  await client.waitUntilDone(moves, {
    signal: options.signal,
    onDone: (p, done, total) => {
      options.progress.update(`moving replicas: ${done}/${total} partitions done`);
      ctx.out.info(`  ${p.topic} partition ${p.partition}: replicas [${target.get(partitionKey(p))!.join(',')}]`);
    },
  });
  await admin.waitForReplicas(moves.map((m) => ({ topic: m.topic, partition: m.partition, replicas: m.to })), { signal: options.signal });
  if (options.throttle !== undefined || options.throttled === true) {
    await alterConfigsIncrementally(session, [
      ...throttle.topics.map((t) => ({ type: 'topic' as const, name: t.topic, set: {}, delete: THROTTLED_REPLICAS })),
      ...throttle.brokers.map((id) => ({ type: 'broker' as const, name: String(id), set: {}, delete: THROTTLE_RATES })),
    ]);
    ctx.out.info(`replication throttle removed from brokers ${throttle.brokers.join(',')}`);
  }
}

/** Whether any of the topics still carries a throttle a reassignment set. */
export function carriesThrottle(configs: readonly Readonly<Record<string, { source: string }>>[]): boolean {
  return configs.some((c) => THROTTLED_REPLICAS.some((name) => c[name]?.source === 'dynamic'));
}
