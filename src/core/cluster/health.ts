import type { QuorumDescription } from './quorumProtocol.js';
import type { PartitionState } from './topicHealth.js';

/**
 * Cluster health as data: what was observed (brokers, partitions, quorum, registry, the
 * project's topics) goes in, one row per check comes out. Nothing here talks to a cluster.
 */

export type CheckStatus = 'ok' | 'failed' | 'skipped';
export type CheckId = 'brokers' | 'quorum' | 'offline-partitions' | 'under-replicated' | 'min-isr' | 'registry' | 'topics';

export interface PartitionProblem {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  /** The topic's min.insync.replicas, for the min-isr check. */
  minInsyncReplicas?: number;
}

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  summary: string;
  /** The brokers, topics and partitions the check found at fault. */
  brokers?: number[];
  topics?: string[];
  partitions?: PartitionProblem[];
}

export interface HealthReport {
  healthy: boolean;
  checks: CheckResult[];
}

export type QuorumObservation =
  | { status: 'answered'; address: string; quorum: QuorumDescription }
  /** The brokers have no DescribeQuorum API: a ZooKeeper-mode cluster. */
  | { status: 'not-kraft'; address: string }
  | { status: 'not-checked'; reason: string }
  | { status: 'unreachable'; reason: string };

export type RegistryObservation =
  | { status: 'answered'; url: string; subjects: number }
  | { status: 'failed'; url: string; reason: string }
  | { status: 'not-checked'; reason: string };

export type ProjectTopicsObservation = { status: 'expected'; environment: string; file: string; names: string[] } | { status: 'not-checked'; reason: string };

export interface ObservedCluster {
  brokers: { nodeId: number; host: string; port: number }[];
  /**
   * Registered brokers that did not accept a connection when asked directly: the controller
   * keeps a broker that crashed registered until its session times out.
   */
  unreachableBrokers: { nodeId: number; reason: string }[];
  topics: { name: string; internal: boolean; partitions: PartitionState[] }[];
  /** Effective min.insync.replicas per topic (topic override or broker default). */
  minInsyncReplicas: Readonly<Record<string, number>>;
  quorum: QuorumObservation;
  registry: RegistryObservation;
  projectTopics: ProjectTopicsObservation;
}

export interface HealthExpectations {
  /** At least this many brokers must be registered; undefined: as many as the cluster knows of. */
  brokerCount: number | undefined;
}

/** A voter that has not caught up with the leader for this long is reported. */
export const VOTER_LAG_LIMIT_MS = 30_000;
/** How many offenders a summary names before "and N more" (JSON lists them all). */
const NAMED_IN_SUMMARY = 5;

const TITLES: Record<CheckId, string> = {
  brokers: 'all expected brokers registered',
  quorum: 'controller quorum has a leader',
  'offline-partitions': 'no offline partitions',
  'under-replicated': 'no under-replicated partitions',
  'min-isr': 'no partitions below min.insync.replicas',
  registry: 'schema registry answers',
  topics: 'topics of topics.yaml exist',
};

export function evaluateHealth(observed: ObservedCluster, expected: HealthExpectations): HealthReport {
  const checks = [
    brokersCheck(observed, expected),
    quorumCheck(observed.quorum),
    ...partitionChecks(observed),
    registryCheck(observed.registry),
    projectTopicsCheck(observed),
  ];
  return { healthy: checks.every((c) => c.status !== 'failed'), checks };
}

/** Checks that fail for a while after brokers (re)start, while followers fetch what they missed. */
const CATCHING_UP: ReadonlySet<CheckId> = new Set(['offline-partitions', 'under-replicated', 'min-isr']);

/** Whether every failing check is one that fails while replicas catch up after a start. */
export function isCatchingUp(report: HealthReport): boolean {
  const failed = report.checks.filter((c) => c.status === 'failed');
  return failed.length > 0 && failed.every((c) => CATCHING_UP.has(c.id));
}

function row(id: CheckId, status: CheckStatus, summary: string, offenders: Pick<CheckResult, 'brokers' | 'topics' | 'partitions'> = {}): CheckResult {
  return { id, title: TITLES[id], status, summary, ...offenders };
}

function listed(items: readonly (string | number)[]): string {
  const named = items.slice(0, NAMED_IN_SUMMARY).join(', ');
  return items.length > NAMED_IN_SUMMARY ? `${named} and ${items.length - NAMED_IN_SUMMARY} more` : named;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * A stopped broker disappears from the registered brokers; it is still named by the
 * partitions that list it as a replica and by the quorum's voters.
 */
function brokersCheck(observed: ObservedCluster, expected: HealthExpectations): CheckResult {
  const registered = observed.brokers.map((b) => b.nodeId).sort((a, b) => a - b);
  const known = new Set(registered);
  for (const topic of observed.topics) for (const p of topic.partitions) p.replicas.forEach((id) => known.add(id));
  if (observed.quorum.status === 'answered') observed.quorum.quorum.voters.forEach((v) => known.add(v.replicaId));
  const missing = [...known].filter((id) => !registered.includes(id)).sort((a, b) => a - b);
  const want = Math.max(expected.brokerCount ?? 0, registered.length + missing.length);
  const count = `${registered.length} of ${want} registered`;
  const silent = observed.unreachableBrokers.map((b) => {
    const broker = observed.brokers.find((r) => r.nodeId === b.nodeId);
    return { nodeId: b.nodeId, text: `broker ${b.nodeId}${broker ? ` (${broker.host}:${broker.port})` : ''} does not answer: ${b.reason}` };
  });
  if (registered.length < want || silent.length > 0) {
    const named = missing.length > 0 ? `; missing ${missing.length === 1 ? 'broker' : 'brokers'} ${missing.join(', ')}` : '';
    const unanswered = silent.map((s) => `; ${s.text}`).join('');
    return row('brokers', 'failed', `${count}${named}${unanswered}`, { brokers: [...missing, ...silent.map((s) => s.nodeId)].sort((a, b) => a - b) });
  }
  return row('brokers', 'ok', `${count} (${registered.join(', ')})`);
}

function quorumCheck(observation: QuorumObservation): CheckResult {
  switch (observation.status) {
    case 'not-kraft':
      return row('quorum', 'skipped', `${observation.address} has no DescribeQuorum API: the cluster does not run KRaft`);
    case 'not-checked':
      return row('quorum', 'skipped', observation.reason);
    case 'unreachable':
      return row('quorum', 'failed', `no broker answered DescribeQuorum: ${observation.reason}`);
    case 'answered':
      return answeredQuorumCheck(observation.quorum);
  }
}

function answeredQuorumCheck(quorum: QuorumDescription): CheckResult {
  const voters = quorum.voters.map((v) => v.replicaId).sort((a, b) => a - b);
  if (quorum.errorCode !== 0 || quorum.leaderId < 0) {
    const why = quorum.errorCode !== 0 ? `error ${quorumErrorName(quorum.errorCode)}${quorum.errorMessage ? `: ${quorum.errorMessage}` : ''}` : 'no leader elected';
    return row('quorum', 'failed', `${why}; voters ${voters.join(', ') || 'unknown'}`, { brokers: voters });
  }
  const behind = laggingVoters(quorum);
  const leader = `leader ${quorum.leaderId} (epoch ${quorum.leaderEpoch}); voters ${voters.join(', ')}`;
  if (behind.length > 0) {
    const described = behind.map((v) => (v.lagMs === undefined ? `${v.replicaId} (no fetch since the election)` : `${v.replicaId} (${Math.round(v.lagMs / 1000)}s)`));
    return row('quorum', 'failed', `${leader}; behind the leader: ${described.join(', ')}`, { brokers: behind.map((v) => v.replicaId) });
  }
  return row('quorum', 'ok', leader);
}

/** Voters behind the leader's log for longer than VOTER_LAG_LIMIT_MS (needs DescribeQuorum v1+ timestamps). */
function laggingVoters(quorum: QuorumDescription): { replicaId: number; lagMs: number | undefined }[] {
  const leaderNow = quorum.voters.find((v) => v.replicaId === quorum.leaderId)?.lastCaughtUpTimestamp ?? -1;
  if (leaderNow < 0) return [];
  return quorum.voters
    .filter((v) => v.replicaId !== quorum.leaderId)
    .map((v) => ({ replicaId: v.replicaId, lagMs: v.lastCaughtUpTimestamp < 0 ? undefined : leaderNow - v.lastCaughtUpTimestamp }))
    .filter((v) => v.lagMs === undefined || v.lagMs > VOTER_LAG_LIMIT_MS);
}

const QUORUM_ERRORS: Record<number, string> = {
  6: 'NOT_LEADER_OR_FOLLOWER',
  7: 'REQUEST_TIMED_OUT',
  31: 'CLUSTER_AUTHORIZATION_FAILED',
  35: 'UNSUPPORTED_VERSION',
  41: 'NOT_CONTROLLER',
  96: 'UNKNOWN_TOPIC_ID',
};

export function quorumErrorName(code: number): string {
  return QUORUM_ERRORS[code] ?? `code ${code}`;
}

function partitionName(p: PartitionProblem): string {
  return `${p.topic}-${p.partition}`;
}

function partitionChecks(observed: ObservedCluster): CheckResult[] {
  const all = observed.topics.flatMap((t) =>
    t.partitions.map((p): PartitionProblem => ({ topic: t.name, partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr, minInsyncReplicas: observed.minInsyncReplicas[t.name] })),
  );
  const allOf = (state: string) => (all.length === 0 ? 'no partitions to check yet' : `all ${plural(all.length, 'partition')} of ${plural(observed.topics.length, 'topic')} ${state}`);
  const offline = all.filter((p) => p.leader < 0);
  const under = all.filter((p) => p.isr.length < p.replicas.length);
  const belowMin = all.filter((p) => p.minInsyncReplicas !== undefined && p.isr.length < p.minInsyncReplicas);
  const check = (id: CheckId, problems: PartitionProblem[], what: string, describe: (p: PartitionProblem) => string, okSummary: string): CheckResult =>
    problems.length === 0
      ? row(id, 'ok', okSummary)
      : row(id, 'failed', `${plural(problems.length, 'partition')} ${what}: ${listed(problems.map(describe))}`, {
          topics: [...new Set(problems.map((p) => p.topic))],
          partitions: problems,
        });
  const missingReplicas = (p: PartitionProblem) => p.replicas.filter((r) => !p.isr.includes(r));
  return [
    check('offline-partitions', offline, 'without a leader', (p) => `${partitionName(p)} (replicas ${p.replicas.join(',')})`, allOf('have a leader')),
    check('under-replicated', under, 'under-replicated', (p) => `${partitionName(p)} (not in sync: ${missingReplicas(p).join(',')})`, allOf('fully in sync')),
    check('min-isr', belowMin, 'below min.insync.replicas', (p) => `${partitionName(p)} (isr ${p.isr.length} < ${p.minInsyncReplicas})`, allOf('at or above min.insync.replicas')),
  ];
}

function registryCheck(observation: RegistryObservation): CheckResult {
  switch (observation.status) {
    case 'answered':
      return row('registry', 'ok', `${observation.url} answers (${plural(observation.subjects, 'subject')})`);
    case 'failed':
      return row('registry', 'failed', `${observation.url}: ${observation.reason}`);
    case 'not-checked':
      return row('registry', 'skipped', observation.reason);
  }
}

function projectTopicsCheck(observed: ObservedCluster): CheckResult {
  const expected = observed.projectTopics;
  if (expected.status === 'not-checked') return row('topics', 'skipped', expected.reason);
  const present = new Set(observed.topics.map((t) => t.name));
  const missing = expected.names.filter((name) => !present.has(name));
  const where = `${expected.file} (${expected.environment})`;
  if (missing.length > 0) {
    return row('topics', 'failed', `${missing.length} of ${expected.names.length} topics of ${where} missing: ${listed(missing)}`, { topics: missing });
  }
  return row('topics', 'ok', `all ${plural(expected.names.length, 'topic')} of ${where} exist`);
}
