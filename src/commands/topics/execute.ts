import { batchFailure, type ClusterAdmin, type TopicFailure } from '../../adapters/kafka/admin.js';
import type { CommandContext } from '../../cli/context.js';
import { InterruptedError } from '../../core/errors.js';
import { creationConflicts, type ObservedTopic, type TopicPlan } from '../../core/topics/index.js';
import type { Progress } from '../../render/output.js';
import { newTopic } from './desired.js';
import { carriesThrottle, moveReplicas } from './moves.js';
import { changesOf, configReplacements } from './planning.js';
import { leaderProgress } from './progress.js';

/** What an apply changed, by step. */
export interface ApplyReport {
  created: string[];
  replicasMoved: string[];
  partitionsAdded: string[];
  configsUpdated: string[];
  deleted: string[];
  elapsedMs: number;
}

type StepKey = Exclude<keyof ApplyReport, 'elapsedMs'>;

interface Step {
  key: StepKey;
  topics: string[];
  /** "creating 3 topics" */
  doing: string;
  /** "create 3 topics" */
  future: string;
  /** "created 3 topics" */
  past: (count: number) => string;
  /** What was done when Ctrl-C cut the wait after the batch short, if not `past`. */
  interruptedAt?: string;
  /** Performs the step; returns the topics it changed and those the broker refused. */
  run: (progress: Progress) => Promise<{ changed: string[]; failures: TopicFailure[] }>;
}

const topics = (count: number): string => `${count} topic${count === 1 ? '' : 's'}`;

export interface ExecuteOptions {
  /** Bytes per second replica moves may copy at. */
  throttle?: number;
}

function steps(ctx: CommandContext, signal: AbortSignal, admin: ClusterAdmin, plan: TopicPlan, observed: readonly ObservedTopic[], options: ExecuteOptions): Step[] {
  const creates = changesOf(plan, 'create');
  const replications = changesOf(plan, 'change-replication');
  const increases = changesOf(plan, 'add-partitions');
  const replacements = configReplacements(plan, observed);
  const deletes = changesOf(plan, 'delete').map((c) => c.topic);
  const all: Step[] = [
    {
      key: 'created',
      topics: creates.map((c) => c.topic),
      doing: `creating ${topics(creates.length)}`,
      future: `create ${topics(creates.length)}`,
      past: (n) => `created ${topics(n)}`,
      run: async (progress) => {
        const failures = await admin.createTopics(
          creates.map((c) => newTopic(c.spec)),
          { validateOnly: false },
        );
        const refused = new Set(failures.map((f) => f.topic));
        const accepted = creates.map((c) => c.topic).filter((name) => !refused.has(name));
        // KafkaJS's own waitForLeaders gives up on brokers that have not heard of a topic yet.
        await admin.waitForLeaders(accepted, { signal, onProgress: leaderProgress(progress) });
        // KafkaJS counts "already exists" as created: what is there now decides.
        const conflicts = creationConflicts(
          creates.filter((c) => !refused.has(c.topic)).map((c) => c.spec),
          await admin.observeTopics(accepted),
        );
        const conflicted = new Set(conflicts.map((c) => c.topic));
        const changed = accepted.filter((name) => !conflicted.has(name));
        return { changed, failures: [...failures, ...conflicts.map((c) => ({ ...c, type: 'TOPIC_ALREADY_EXISTS' }))] };
      },
    },
    {
      // Before new partitions: those take the replication factor the existing ones have.
      key: 'replicasMoved',
      topics: replications.map((c) => c.topic),
      doing: `moving the replicas of ${topics(replications.length)}`,
      future: `move the replicas of ${topics(replications.length)}`,
      past: (n) => `moved the replicas of ${topics(n)}`,
      interruptedAt: `started moving the replicas of ${topics(replications.length)} (the moves go on in the cluster)`,
      run: async (progress) => {
        const moves = replications.flatMap((c) => c.moves.map((m) => ({ topic: c.topic, ...m })));
        const byName = new Map(observed.map((t) => [t.name, t.configs]));
        const throttled = carriesThrottle(replications.map((c) => byName.get(c.topic) ?? {}));
        await moveReplicas(ctx, admin, `move the replicas of ${topics(replications.length)}`, moves, { signal, progress, throttle: options.throttle, throttled });
        return { changed: replications.map((c) => c.topic), failures: [] };
      },
    },
    {
      key: 'partitionsAdded',
      topics: increases.map((c) => c.topic),
      doing: `adding partitions to ${topics(increases.length)}`,
      future: `add partitions to ${topics(increases.length)}`,
      past: (n) => `added partitions to ${topics(n)}`,
      run: async () => {
        const counts = increases.map((c) => ({ topic: c.topic, count: c.to }));
        await admin.createPartitions(counts, { validateOnly: false });
        // "Done" means a plan made right after sees it: a busy broker can lag its controller.
        await admin.waitForPartitions(counts, { signal });
        return { changed: increases.map((c) => c.topic), failures: [] };
      },
    },
    {
      key: 'configsUpdated',
      topics: replacements.map((r) => r.topic),
      doing: `updating the configs of ${topics(replacements.length)}`,
      future: `update the configs of ${topics(replacements.length)}`,
      past: (n) => `updated the configs of ${topics(n)}`,
      run: async () => {
        await admin.replaceTopicConfigs(replacements, { validateOnly: false });
        await admin.waitForConfigs(replacements, { signal });
        return { changed: replacements.map((r) => r.topic), failures: [] };
      },
    },
    {
      key: 'deleted',
      topics: deletes,
      doing: `deleting ${topics(deletes.length)}`,
      future: `delete ${topics(deletes.length)}`,
      past: (n) => `deleted ${topics(n)}`,
      run: async (progress) => {
        await admin.deleteTopics(deletes);
        await admin.waitUntilDeleted(deletes, { signal, onProgress: (done, total) => progress.update(`waiting for deleted topics to disappear: ${done}/${total}`) });
        return { changed: deletes, failures: [] };
      },
    },
  ];
  return all.filter((step) => step.topics.length > 0);
}

function listing(parts: string[]): string {
  return parts.length === 0 ? 'nothing' : parts.join(', ');
}

/**
 * Applies a plan in batches, one request per kind of change, in a fixed order:
 * creates, partition increases, config changes, deletes. Ctrl-C stops between
 * batches (a batch in flight completes); every way out says what was done, and a
 * new plan picks up from there.
 */
export async function executePlan(ctx: CommandContext, admin: ClusterAdmin, plan: TopicPlan, observed: readonly ObservedTopic[], options: ExecuteOptions = {}): Promise<ApplyReport> {
  // From here on a first Ctrl-C lets the batch in flight finish; a second one exits at once.
  const signal = ctx.interruptSignal();
  const started = Date.now();
  const report: ApplyReport = { created: [], replicasMoved: [], partitionsAdded: [], configsUpdated: [], deleted: [], elapsedMs: 0 };
  const done: string[] = [];
  const pending = steps(ctx, signal, admin, plan, observed, options);
  const interrupted = () =>
    new InterruptedError(`interrupted after ${listing(done)}; not done: ${listing(pending.map((step) => step.future))}`, {
      hint: 'run "iotmsg topics plan" to see what is left; "iotmsg topics apply" finishes the job',
    });
  for (let step = pending[0]; step !== undefined; step = pending[0]) {
    if (signal.aborted) throw interrupted();
    const stepStarted = Date.now();
    const progress = ctx.out.progress(step.doing);
    let outcome: Awaited<ReturnType<Step['run']>>;
    try {
      outcome = await step.run(progress);
    } catch (error) {
      progress.done();
      if (!(error instanceof InterruptedError)) {
        if (done.length > 0) ctx.out.warn(`applied before the failure: ${listing(done)}`);
        throw error;
      }
      // The batch was accepted; only the wait after it was cut short.
      done.push(step.interruptedAt ?? step.past(step.topics.length));
      pending.shift();
      throw interrupted();
    }
    progress.done();
    pending.shift();
    report[step.key] = outcome.changed;
    // A batch the broker refused whole did nothing: no "✓ created 0 topics" before its error.
    if (outcome.changed.length > 0 || outcome.failures.length === 0) {
      done.push(step.past(outcome.changed.length));
      ctx.out.success(`${step.past(outcome.changed.length)} (${((Date.now() - stepStarted) / 1000).toFixed(1)}s)`);
    }
    if (outcome.failures.length > 0) {
      if (done.length > 0) ctx.out.warn(`applied before the failure: ${listing(done)}`);
      throw batchFailure(step.future, outcome.failures);
    }
  }
  report.elapsedMs = Date.now() - started;
  return report;
}
