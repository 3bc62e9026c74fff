import { relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandContext } from '../../cli/context.js';
import type { ClusterAdmin } from '../../adapters/kafka/admin.js';
import type { KafkaSession } from '../../adapters/kafka/session.js';
import { isStaleMetadataError } from '../../adapters/kafka/errors.js';
import { evaluateHealth, isCatchingUp, type HealthExpectations, type HealthReport, type ProjectTopicsObservation, type RegistryObservation } from '../../core/cluster/health.js';
import { parseTimeout, type ConnectionSettings } from '../../core/config/settings.js';
import { InterruptedError, UnavailableError } from '../../core/errors.js';

/**
 * Looks at a cluster and evaluates its health: the glue between the Kafka admin, the quorum
 * and registry probes and the pure checks of core/cluster/health.ts. Shared by `health`
 * and `deploy --health-check`, which points it at the cluster it just started.
 */

export interface HealthTarget {
  settings: ConnectionSettings;
  expectations: HealthExpectations;
  /** Why the registry is not checked, or undefined to check it. */
  registrySkipped: string | undefined;
  projectTopics: ProjectTopicsObservation;
}

const DEFAULT_WAIT_MS = 120_000;
const POLL_INTERVAL_MS = 1_000;
/** How long a broker has to accept a connection when asked directly. */
const LIVENESS_TIMEOUT_MS = 3_000;
/**
 * Looks again, with fresh metadata, after a broker the metadata still named could not be
 * reached. In KRaft the "controller" a metadata answer names (where KafkaJS sends
 * DescribeConfigs) is a random registered broker, so until a crashed one is fenced each look
 * has a chance of meeting it: five looks make a failure to report it one in a few hundred.
 */
const STALE_METADATA_RETRIES = 5;

export class ClusterHealthProbe {
  private session: KafkaSession | undefined;

  constructor(
    private readonly ctx: CommandContext,
    private readonly target: HealthTarget,
  ) {}

  /** One look at the cluster. Throws UnavailableError when no broker can be reached at all. */
  async check(timeoutMs = this.target.settings.timeoutMs): Promise<HealthReport> {
    const { settings, registrySkipped } = this.target;
    const boundMs = Math.min(timeoutMs, settings.timeoutMs);
    const [{ describeQuorum }, { probeRegistry }] = await Promise.all([import('../../adapters/kafka/quorum.js'), import('../../adapters/registry/probe.js')]);
    // Neither probe rejects: they report what they saw, so they can run beside the admin calls.
    const quorum = describeQuorum(settings, boundMs);
    const registry: Promise<RegistryObservation> =
      registrySkipped === undefined ? probeRegistry(settings.schemaRegistry, boundMs) : Promise.resolve({ status: 'not-checked', reason: registrySkipped });
    for (let attempt = 0; ; attempt++) {
      let reached = false;
      try {
        const admin = await this.admin(boundMs);
        reached = true;
        const [cluster, topics] = await Promise.all([admin.describeCluster(), admin.listTopics()]);
        const [configs, unreachableBrokers] = await Promise.all([admin.topicConfigs(topics.map((t) => t.name)), unansweredBrokers(cluster.brokers, boundMs)]);
        const minInsyncReplicas: Record<string, number> = {};
        for (const [name, entries] of configs) {
          const value = Number(entries['min.insync.replicas']?.value);
          if (Number.isInteger(value)) minInsyncReplicas[name] = value;
        }
        const observed = { brokers: cluster.brokers, unreachableBrokers, topics, minInsyncReplicas, quorum: await quorum, registry: await registry, projectTopics: this.target.projectTopics };
        return evaluateHealth(observed, this.target.expectations);
      } catch (error) {
        // A session that lost the cluster is opened afresh on the next look.
        if (error instanceof UnavailableError) this.session = undefined;
        // A broker that just stopped can still be named in metadata (say, as controller), and a
        // new topic is not yet known to every broker: a cluster that answered is asked again.
        if (reached && attempt < STALE_METADATA_RETRIES && isStaleMetadataError(error)) {
          await sleep(300, undefined, { signal: this.ctx.signal }).catch(() => {});
          continue;
        }
        throw error;
      }
    }
  }

  private async admin(timeoutMs: number): Promise<ClusterAdmin> {
    if (!this.session) {
      const { KafkaSession } = await import('../../adapters/kafka/session.js');
      const settings = { ...this.target.settings, timeoutMs };
      const session = await KafkaSession.open(settings, this.ctx.options.verbose ? (m) => this.ctx.out.debug(m) : undefined);
      this.ctx.onClose(() => session.close());
      this.session = session;
    }
    const { topicAdmin } = await import('../../adapters/kafka/admin.js');
    return topicAdmin(this.session);
  }

  /**
   * Looks again every second until the cluster is healthy or `timeoutMs` has passed, and
   * returns the last report. Unreachable counts as not yet healthy; if the cluster was
   * never reached, the last UnavailableError is thrown.
   */
  waitUntilHealthy(timeoutMs: number): Promise<HealthReport> {
    return this.poll(timeoutMs, (report) => report.healthy, 'waiting for a healthy cluster');
  }

  /**
   * The check of a cluster the command itself just started: brokers that restarted with
   * data lag behind until their followers have fetched what they missed, so partitions
   * out of sync are waited for (bounded, with progress), and only then is it judged.
   */
  checkAfterStart(timeoutMs = DEFAULT_WAIT_MS): Promise<HealthReport> {
    return this.poll(timeoutMs, (report) => !isCatchingUp(report), 'waiting for the replicas to catch up');
  }

  private async poll(timeoutMs: number, settled: (report: HealthReport) => boolean, waiting: string): Promise<HealthReport> {
    const started = Date.now();
    const deadline = started + timeoutMs;
    const progress = this.ctx.out.progress('checking the cluster');
    let report: HealthReport | undefined;
    let unreachable: UnavailableError | undefined;
    try {
      for (;;) {
        try {
          report = await this.check(Math.max(1_000, deadline - Date.now()));
          unreachable = undefined;
          if (settled(report)) break;
        } catch (error) {
          if (!(error instanceof UnavailableError)) throw error;
          unreachable = error;
        }
        const failing = unreachable ? unreachable.message : `failing: ${report!.checks.filter((c) => c.status === 'failed').map((c) => c.summary).join('; ')}`;
        progress.update(`${waiting} (${Math.round((Date.now() - started) / 1000)}s of ${timeoutMs / 1000}s): ${failing}`);
        if (Date.now() >= deadline) break;
        await sleep(Math.min(POLL_INTERVAL_MS, deadline - Date.now()), undefined, { signal: this.ctx.signal }).catch(() => {});
        if (this.ctx.signal.aborted) throw new InterruptedError(`interrupted while ${waiting}`);
      }
    } finally {
      progress.done();
    }
    if (unreachable) throw unreachable;
    return report!;
  }
}

/** Each registered broker asked directly: a crashed one stays registered until its session expires. */
async function unansweredBrokers(brokers: readonly { nodeId: number; host: string; port: number }[], timeoutMs: number): Promise<{ nodeId: number; reason: string }[]> {
  const { probeTcp } = await import('../../adapters/tcp.js');
  const probes = await Promise.all(brokers.map(async (b) => ({ nodeId: b.nodeId, probe: await probeTcp(b.host, b.port, Math.min(timeoutMs, LIVENESS_TIMEOUT_MS)) })));
  return probes.flatMap(({ nodeId, probe }) => (probe.open ? [] : [{ nodeId, reason: probe.reason }]));
}

/** The topics.yaml environment whose topics must exist, or why there is none to check. */
export async function projectTopicsFor(ctx: CommandContext, envName: string | undefined): Promise<ProjectTopicsObservation> {
  const project = await ctx.project();
  if (!project) return { status: 'not-checked', reason: `no project file at ${relative(ctx.cwd, ctx.projectPath) || ctx.projectPath}` };
  const file = relative(ctx.cwd, project.file) || project.file;
  const environment = envName ?? project.defaultEnvironment;
  if (environment === undefined) return { status: 'not-checked', reason: `${file} defines no environments` };
  if (!Object.hasOwn(project.project.environments, environment)) return { status: 'not-checked', reason: `${file} has no environment "${environment}"` };
  return { status: 'expected', environment, file, names: project.environment(environment).topics.map((t) => t.name) };
}

/** `--wait` alone waits the default time; `--wait 60s` names it. */
export function waitTimeout(value: unknown): number | undefined {
  if (value === undefined || value === false) return undefined;
  return value === true ? DEFAULT_WAIT_MS : parseTimeout(String(value), '--wait');
}
