import { describe, expect, it } from 'vitest';
import { evaluateHealth, isCatchingUp, VOTER_LAG_LIMIT_MS, type CheckResult, type ObservedCluster } from './health.js';
import type { QuorumDescription } from './quorumProtocol.js';

const NOW = 1_700_000_000_000;

function quorum(overrides: Partial<QuorumDescription> = {}): QuorumDescription {
  return {
    errorCode: 0,
    errorMessage: undefined,
    leaderId: 1,
    leaderEpoch: 4,
    highWatermark: 120,
    voters: [1, 2, 3].map((replicaId) => ({ replicaId, logEndOffset: 120, lastFetchTimestamp: NOW, lastCaughtUpTimestamp: NOW })),
    observers: [],
    ...overrides,
  };
}

/** A healthy 3-broker cluster with one RF 3 / min ISR 2 topic of two partitions. */
function healthy(): ObservedCluster {
  return {
    brokers: [1, 2, 3].map((nodeId) => ({ nodeId, host: 'localhost', port: 9091 + nodeId })),
    unreachableBrokers: [],
    topics: [
      {
        name: 'sensor-data',
        internal: false,
        partitions: [0, 1].map((partition) => ({ partition, leader: partition + 1, replicas: [1, 2, 3], isr: [1, 2, 3], offlineReplicas: [] })),
      },
    ],
    minInsyncReplicas: { 'sensor-data': 2 },
    quorum: { status: 'answered', address: 'localhost:9092', quorum: quorum() },
    registry: { status: 'answered', url: 'http://localhost:8081', subjects: 2 },
    projectTopics: { status: 'expected', environment: 'prod', file: 'topics.yaml', names: ['sensor-data'] },
  };
}

function check(observed: ObservedCluster, id: CheckResult['id'], brokerCount?: number): CheckResult {
  return evaluateHealth(observed, { brokerCount }).checks.find((c) => c.id === id)!;
}

describe('evaluateHealth', () => {
  it('reports a healthy cluster as one ok row per check', () => {
    const report = evaluateHealth(healthy(), { brokerCount: 3 });
    expect(report.healthy).toBe(true);
    expect(report.checks.map((c) => [c.id, c.status, c.summary])).toEqual([
      ['brokers', 'ok', '3 of 3 registered (1, 2, 3)'],
      ['quorum', 'ok', 'leader 1 (epoch 4); voters 1, 2, 3'],
      ['offline-partitions', 'ok', 'all 2 partitions of 1 topic have a leader'],
      ['under-replicated', 'ok', 'all 2 partitions of 1 topic fully in sync'],
      ['min-isr', 'ok', 'all 2 partitions of 1 topic at or above min.insync.replicas'],
      ['registry', 'ok', 'http://localhost:8081 answers (2 subjects)'],
      ['topics', 'ok', 'all 1 topic of topics.yaml (prod) exist'],
    ]);
  });

  it('names a stopped broker and the partitions it left under-replicated', () => {
    const observed = healthy();
    observed.brokers = observed.brokers.filter((b) => b.nodeId !== 2);
    observed.topics[0]!.partitions = observed.topics[0]!.partitions.map((p) => ({ ...p, leader: p.leader === 2 ? 3 : p.leader, isr: [1, 3] }));
    const report = evaluateHealth(observed, { brokerCount: 3 });
    expect(report.healthy).toBe(false);
    expect(check(observed, 'brokers', 3)).toMatchObject({ status: 'failed', summary: '2 of 3 registered; missing broker 2', brokers: [2] });
    const under = check(observed, 'under-replicated');
    expect(under).toMatchObject({ status: 'failed', summary: '2 partitions under-replicated: sensor-data-0 (not in sync: 2), sensor-data-1 (not in sync: 2)', topics: ['sensor-data'] });
    expect(under.partitions!.map((p) => [p.partition, p.isr])).toEqual([[0, [1, 3]], [1, [1, 3]]]);
    // ISR 2 still meets min.insync.replicas 2: writes with acks=all go on.
    expect(check(observed, 'min-isr').status).toBe('ok');
  });

  it('fails on a registered broker that does not answer when asked directly (crashed, not yet fenced)', () => {
    const observed = { ...healthy(), unreachableBrokers: [{ nodeId: 2, reason: 'connection refused' }] };
    expect(check(observed, 'brokers', 3)).toMatchObject({ status: 'failed', summary: '3 of 3 registered; broker 2 (localhost:9093) does not answer: connection refused', brokers: [2] });
  });

  it('tells partitions catching up after a start from other failures', () => {
    const observed = healthy();
    observed.topics[0]!.partitions = observed.topics[0]!.partitions.map((p) => ({ ...p, isr: [p.leader] }));
    expect(isCatchingUp(evaluateHealth(observed, { brokerCount: 3 }))).toBe(true);
    expect(isCatchingUp(evaluateHealth(healthy(), { brokerCount: 3 }))).toBe(false);
    expect(isCatchingUp(evaluateHealth({ ...observed, unreachableBrokers: [{ nodeId: 2, reason: 'connection refused' }] }, { brokerCount: 3 }))).toBe(false);
  });

  it('finds a missing broker through the quorum voters even without topics, and without an expected count', () => {
    const observed = { ...healthy(), topics: [], brokers: healthy().brokers.slice(0, 2) };
    expect(check(observed, 'brokers')).toMatchObject({ status: 'failed', summary: '2 of 3 registered; missing broker 3', brokers: [3] });
  });

  it('fails when fewer brokers than expected are registered, even when none can be named', () => {
    const observed = { ...healthy(), topics: [], quorum: { status: 'not-checked' as const, reason: 'x' } };
    expect(check(observed, 'brokers', 5)).toMatchObject({ status: 'failed', summary: '3 of 5 registered', brokers: [] });
    expect(check(observed, 'brokers', 2).status).toBe('ok');
  });

  it('reports offline partitions and partitions below min.insync.replicas', () => {
    const observed = healthy();
    observed.topics[0]!.partitions = [
      { partition: 0, leader: -1, replicas: [1, 2, 3], isr: [2], offlineReplicas: [1, 2, 3] },
      { partition: 1, leader: 1, replicas: [1, 2, 3], isr: [1], offlineReplicas: [] },
    ];
    expect(check(observed, 'offline-partitions')).toMatchObject({ status: 'failed', summary: '1 partition without a leader: sensor-data-0 (replicas 1,2,3)' });
    expect(check(observed, 'min-isr')).toMatchObject({
      status: 'failed',
      summary: '2 partitions below min.insync.replicas: sensor-data-0 (isr 1 < 2), sensor-data-1 (isr 1 < 2)',
    });
  });

  it('shortens long lists in the summary but keeps every partition in the data', () => {
    const observed = healthy();
    observed.topics[0]!.partitions = Array.from({ length: 8 }, (_, partition) => ({ partition, leader: 1, replicas: [1, 2], isr: [1], offlineReplicas: [] }));
    const under = check(observed, 'under-replicated');
    expect(under.summary).toMatch(/sensor-data-4 \(not in sync: 2\) and 3 more$/);
    expect(under.partitions).toHaveLength(8);
  });

  it('fails the quorum check without a leader, and names voters far behind the leader', () => {
    const leaderless = { ...healthy(), quorum: { status: 'answered' as const, address: 'a:1', quorum: quorum({ leaderId: -1 }) } };
    expect(check(leaderless, 'quorum')).toMatchObject({ status: 'failed', summary: 'no leader elected; voters 1, 2, 3' });

    const lagging = quorum();
    lagging.voters[2] = { ...lagging.voters[2]!, lastCaughtUpTimestamp: NOW - VOTER_LAG_LIMIT_MS - 15_000 };
    lagging.voters[1] = { ...lagging.voters[1]!, lastCaughtUpTimestamp: NOW - 500 };
    const observed = { ...healthy(), quorum: { status: 'answered' as const, address: 'a:1', quorum: lagging } };
    expect(check(observed, 'quorum')).toMatchObject({ status: 'failed', summary: 'leader 1 (epoch 4); voters 1, 2, 3; behind the leader: 3 (45s)', brokers: [3] });
  });

  it('skips the quorum check on a cluster without KRaft and fails it when no broker answers', () => {
    expect(check({ ...healthy(), quorum: { status: 'not-kraft', address: 'zk:9092' } }, 'quorum')).toMatchObject({ status: 'skipped' });
    expect(check({ ...healthy(), quorum: { status: 'unreachable', reason: 'connection refused' } }, 'quorum')).toMatchObject({
      status: 'failed',
      summary: 'no broker answered DescribeQuorum: connection refused',
    });
  });

  it('fails on an unanswering registry and skips what was not asked for, without failing the report', () => {
    const down = { ...healthy(), registry: { status: 'failed' as const, url: 'http://localhost:1', reason: 'connection refused' } };
    expect(evaluateHealth(down, { brokerCount: 3 }).healthy).toBe(false);
    expect(check(down, 'registry').summary).toBe('http://localhost:1: connection refused');

    const skipped = { ...healthy(), registry: { status: 'not-checked' as const, reason: '--no-registry' }, projectTopics: { status: 'not-checked' as const, reason: 'no topics.yaml' } };
    const report = evaluateHealth(skipped, { brokerCount: 3 });
    expect(report.healthy).toBe(true);
    expect(report.checks.filter((c) => c.status === 'skipped').map((c) => c.id)).toEqual(['registry', 'topics']);
  });

  it('names the topics of topics.yaml the cluster lacks', () => {
    const observed = { ...healthy(), projectTopics: { status: 'expected' as const, environment: 'dev', file: 'topics.yaml', names: ['sensor-data', 'alerts', 'alerts.dlq'] } };
    expect(check(observed, 'topics')).toMatchObject({ status: 'failed', summary: '2 of 3 topics of topics.yaml (dev) missing: alerts, alerts.dlq', topics: ['alerts', 'alerts.dlq'] });
  });
});
