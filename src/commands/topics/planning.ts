import type { ClusterAdmin, ClusterInfo, ConfigReplacement, TopicFailure } from '../../adapters/kafka/admin.js';
import type { ReplicaReassignments } from '../../adapters/kafka/reassignments.js';
import type { BrokerPlacement } from '../../core/topics/reassignment.js';
import type { CommandContext } from '../../cli/context.js';
import {
  clusterFingerprint,
  computePlan,
  overridesAfter,
  planScope,
  PLAN_FORMAT,
  PLAN_FORMAT_VERSION,
  withReassignments,
  withRejections,
  type ObservedTopic,
  type PlanDocument,
  type Rejection,
  type TopicAction,
  type TopicChange,
  type TopicPlan,
} from '../../core/topics/index.js';
import { newTopic, type DesiredState } from './desired.js';
import { withProgress } from './progress.js';

export interface PlannedRun {
  document: PlanDocument;
  /** The cluster as the plan saw it; apply needs its current overrides. */
  observed: ObservedTopic[];
}

type ChangeOf<A extends TopicAction> = Extract<TopicChange, { action: A }>;

export function changesOf<A extends TopicAction>(plan: TopicPlan, action: A): ChangeOf<A>[] {
  return plan.changes.filter((change): change is ChangeOf<A> => change.action === action);
}

/** The complete override set each config change leads to (what AlterConfigs must be sent). */
export function configReplacements(plan: TopicPlan, observed: readonly ObservedTopic[]): ConfigReplacement[] {
  const byName = new Map(observed.map((topic) => [topic.name, topic]));
  return changesOf(plan, 'update-configs').map((change) => ({ topic: change.topic, configs: overridesAfter(byName.get(change.topic)?.configs ?? {}, change.configs) }));
}

/** The command's one reassignment client, closed with it. */
export async function reassignments(ctx: CommandContext): Promise<ReplicaReassignments> {
  const { ReplicaReassignments } = await import('../../adapters/kafka/reassignments.js');
  const client = new ReplicaReassignments(await ctx.kafka());
  ctx.onClose(() => client.close());
  return client;
}

/** The cluster and its topics as plans compare them: moving partitions count as where they go. */
export async function observeCluster(
  ctx: CommandContext,
  admin: ClusterAdmin,
  withConfigs: readonly string[],
): Promise<{ cluster: ClusterInfo; observed: ObservedTopic[]; brokers: BrokerPlacement[] }> {
  const moves = await reassignments(ctx);
  const [cluster, observed, ongoing, brokers] = await Promise.all([admin.describeCluster(), admin.observeTopics(withConfigs), moves.ongoing(), moves.placements()]);
  return { cluster, observed: withReassignments(observed, ongoing), brokers };
}

/**
 * Compares topics.yaml with the cluster, then has the broker check every change
 * with validateOnly requests (one per kind), so a plan that passes does not fail
 * at apply time.
 */
export async function planAgainstCluster(ctx: CommandContext, admin: ClusterAdmin, desired: DesiredState, prune: boolean): Promise<PlannedRun> {
  return withProgress(ctx, 'reading the cluster', async (progress) => {
    const { cluster, observed, brokers } = await observeCluster(ctx, admin, desired.topics.map((t) => t.name));
    let plan = computePlan(desired.topics, observed, { prune, protectedTopics: desired.protectedTopics, brokers });
    progress.update('validating the changes on the broker');
    plan = withRejections(plan, await brokerRejections(admin, plan, observed, cluster.brokers.length));
    const { settings } = await ctx.settings();
    const document: PlanDocument = {
      format: PLAN_FORMAT,
      formatVersion: PLAN_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      environment: desired.environment,
      projectFile: desired.projectFile,
      prune,
      cluster: { clusterId: cluster.clusterId, bootstrapServers: settings.brokers, fingerprint: clusterFingerprint(cluster.clusterId, observed, planScope(plan)) },
      plan,
    };
    return { document, observed };
  });
}

async function brokerRejections(admin: ClusterAdmin, plan: TopicPlan, observed: readonly ObservedTopic[], brokers: number): Promise<Rejection[]> {
  const creates = changesOf(plan, 'create');
  const increases = changesOf(plan, 'add-partitions');
  const [created, partitioned, configured] = await Promise.all([
    admin.createTopics(creates.map((c) => newTopic(c.spec)), { validateOnly: true }),
    admin.createPartitions(increases.map((c) => ({ topic: c.topic, count: c.to })), { validateOnly: true }),
    admin.replaceTopicConfigs(configReplacements(plan, observed), { validateOnly: true }),
  ]);
  const replication = new Map(creates.map((c) => [c.topic, c.spec.replicationFactor]));
  const rejection = (action: TopicAction) => (failure: TopicFailure): Rejection => ({ topic: failure.topic, action, reason: refusal(failure, replication.get(failure.topic), brokers) });
  return [...created.map(rejection('create')), ...partitioned.map(rejection('add-partitions')), ...configured.map(rejection('update-configs'))];
}

/** KafkaJS words broker errors tersely; the common one gets the numbers that explain it. */
function refusal(failure: TopicFailure, replicationFactor: number | undefined, brokers: number): string {
  if (failure.type === 'INVALID_REPLICATION_FACTOR' && replicationFactor !== undefined) {
    return `the broker refused it: replication factor ${replicationFactor} needs ${replicationFactor} brokers, the cluster has ${brokers}`;
  }
  return `the broker refused it: ${failure.reason}`;
}
