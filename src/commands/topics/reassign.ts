import type { CommandRun, ParsedOptions } from '../../cli/spec.js';
import { ExitCode, InterruptedError, OperationError, UsageError } from '../../core/errors.js';
import { replicaMoves } from '../../core/topics/plan.js';
import { replicaLoad } from '../../core/topics/reassignment.js';
import { renderReassignment, type ReassignmentView } from '../../render/topics.js';
import type { REASSIGN_OPTIONS } from './commands.js';
import { refuseDestructive } from './desired.js';
import { unknownTopics } from './lookup.js';
import { carriesThrottle, moveReplicas } from './moves.js';
import { observeCluster, reassignments } from './planning.js';
import { withProgress } from './progress.js';

export const run: CommandRun<ParsedOptions<typeof REASSIGN_OPTIONS>> = async (ctx, args, options) => {
  const topic = args[0]!;
  const { replicationFactor, cancel, yes } = options;
  if (replicationFactor !== undefined && cancel === true) {
    throw new UsageError('--replication-factor and --cancel do not go together', { hint: 'cancel the moves in flight first, then start new ones' });
  }
  // Cancelling leaves a partition on its old replicas: guarded like the other destructive commands.
  if (cancel === true) await refuseDestructive(ctx, [topic], 'cancel the replica moves of');
  const admin = await ctx.admin();
  const { observed, brokers } = await observeCluster(ctx, admin, [topic]);
  const current = observed.find((t) => t.name === topic);
  if (current === undefined) throw unknownTopics([topic], observed);
  const moving = current.moving ?? [];
  const view = (outcome: ReassignmentView['outcome'], moves: ReassignmentView['moves'], rf = current.replicationFactor): ReassignmentView => ({ topic, outcome, replicationFactor: rf, moves });

  if (cancel === true || replicationFactor === undefined) {
    if (moving.length === 0) {
      await ctx.out.result(view('nothing-to-move', []), renderReassignment);
      return ExitCode.ok;
    }
    if (cancel !== true) {
      await ctx.out.result(view('moving', moving), renderReassignment);
      return ExitCode.ok;
    }
    if (!(await ctx.confirm(`cancel the replica moves of ${moving.length} partition(s) of ${topic}`, yes === true))) {
      ctx.out.info('cancel cancelled: the moves go on');
      return ExitCode.failed;
    }
    const client = await reassignments(ctx);
    await client.alter(`cancel the replica moves of ${topic}`, [{ topic, partitions: moving.map((m) => ({ partition: m.partition, replicas: null })) }]);
    await client.waitUntilDone(moving.map((m) => ({ topic, partition: m.partition })));
    await ctx.out.result(view('cancelled', moving.map((m) => ({ partition: m.partition, from: m.to, to: m.from }))), renderReassignment);
    return ExitCode.ok;
  }

  const placed = replicaMoves(current, replicationFactor, brokers, replicaLoad(observed.map((t) => t.assignment)));
  if ('blocked' in placed) throw new OperationError(`cannot give ${topic} ${replicationFactor} replicas: ${placed.blocked}`, { hint: 'add brokers, or ask for fewer replicas' });
  const { moves } = placed;
  if (moves.length === 0) {
    await ctx.out.result(view('nothing-to-move', []), renderReassignment);
    return ExitCode.ok;
  }
  if (ctx.out.format === 'table') ctx.out.stdout(`${renderReassignment(view('planned', moves, replicationFactor), ctx.out.style)}\n`);
  if (!(await ctx.confirm(`move the replicas of ${moves.length} partition(s) of ${topic} (replication ${current.replicationFactor} → ${replicationFactor})`, yes === true))) {
    ctx.out.info('reassign cancelled: nothing was moved');
    return ExitCode.failed;
  }
  const signal = ctx.interruptSignal();
  try {
    await withProgress(ctx, `moving the replicas of ${topic}`, (progress) =>
      moveReplicas(ctx, admin, `move the replicas of ${topic}`, moves.map((m) => ({ topic, ...m })), { signal, progress, throttle: options.throttle, throttled: carriesThrottle([current.configs]) }),
    );
  } catch (error) {
    if (!(error instanceof InterruptedError)) throw error;
    throw new InterruptedError(`interrupted: the replicas of ${topic} go on moving in the cluster`, {
      hint: `"iotmsg topics reassign ${topic}" shows them; run this command again to wait for them, or add --cancel to stop them`,
    });
  }
  await ctx.out.result(view('moved', moves, replicationFactor), renderReassignment);
  return ExitCode.ok;
};
