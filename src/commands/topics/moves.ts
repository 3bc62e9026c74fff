import type { ClusterAdmin, PartitionReplicas } from '../../adapters/kafka/admin.js';
import type { CommandContext } from '../../cli/context.js';
import type { Progress } from '../../render/output.js';
import { reassignments } from './planning.js';

/**
 * Starts the moves that give partitions these replicas and waits until every broker's
 * metadata shows them, saying each partition as it completes. Ctrl-C ends the wait only:
 * the moves go on in the cluster, and a new plan (or `topics reassign`) shows them.
 */
export async function moveReplicas(
  ctx: CommandContext,
  admin: ClusterAdmin,
  action: string,
  placements: readonly PartitionReplicas[],
  { signal, progress }: { signal: AbortSignal; progress: Progress },
): Promise<void> {
  const moves = await reassignments(ctx);
  const byTopic = new Map<string, PartitionReplicas[]>();
  for (const p of placements) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p]);
  await moves.alter(action, [...byTopic].map(([topic, partitions]) => ({ topic, partitions: partitions.map((p) => ({ partition: p.partition, replicas: p.replicas })) })));
  const target = new Map(placements.map((p) => [`${p.topic}\u0000${p.partition}`, p.replicas]));
  await moves.waitUntilDone(placements, {
    signal,
    onDone: (p, done, total) => {
      progress.update(`moving replicas: ${done}/${total} partitions done`);
      ctx.out.info(`  ${p.topic} partition ${p.partition}: replicas [${target.get(`${p.topic}\u0000${p.partition}`)!.join(',')}]`);
    },
  });
  await admin.waitForReplicas(placements, { signal });
}
