import { describe, expect, it } from 'vitest';
import type { TopicSpec } from './model.js';
import { computePlan, creationConflicts, hasChanges, isBlocked, overridesAfter, withReassignments, withRejections, type ObservedConfig, type ObservedTopic, type TopicPlan } from './plan.js';

const at = { line: 1, column: 1 };

function spec(name: string, partitions: number, replicationFactor: number, configs: Record<string, string> = {}): TopicSpec {
  return { name, partitions, replicationFactor, configs, source: at };
}

const dynamic = (value: string): ObservedConfig => ({ value, source: 'dynamic', isDefault: false });
const brokerDefault = (value: string): ObservedConfig => ({ value, source: 'default', isDefault: true });
const staticBroker = (value: string): ObservedConfig => ({ value, source: 'static', isDefault: false });

function observed(
  name: string,
  partitions: number,
  replicationFactor: number,
  configs: Record<string, ObservedConfig> = {},
  internal = false,
): ObservedTopic {
  const assignment = Array.from({ length: partitions }, () => Array.from({ length: replicationFactor }, (_, i) => i + 1));
  return { name, partitions, replicationFactor, configs, internal, assignment };
}

const brokers = [1, 2, 3].map((nodeId) => ({ nodeId, rack: null }));
const noPrune = { prune: false, protectedTopics: [], brokers };

describe('computePlan', () => {
  it('reports no change when everything matches, comparing normalised values', () => {
    const plan = computePlan(
      [spec('a', 3, 1, { 'retention.ms': '604800000', 'cleanup.policy': 'compact,delete', 'min.cleanable.dirty.ratio': '0.5' })],
      [
        observed('a', 3, 1, {
          'retention.ms': dynamic('604800000'),
          'cleanup.policy': dynamic('delete,compact'),
          'min.cleanable.dirty.ratio': dynamic('0.50'),
          'segment.bytes': brokerDefault('1073741824'),
          'max.message.bytes': staticBroker('2097152'),
        }),
      ],
      noPrune,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.unchanged).toEqual(['a']);
    expect(hasChanges(plan)).toBe(false);
    expect(plan.appliable).toBe(true);
  });

  it('treats a desired value equal to the broker default as no change', () => {
    const plan = computePlan([spec('a', 1, 1, { 'retention.ms': '604800000' })], [observed('a', 1, 1, { 'retention.ms': brokerDefault('604800000') })], noPrune);
    expect(hasChanges(plan)).toBe(false);
  });

  it('creates missing topics with their full spec', () => {
    const wanted = spec('a', 6, 3, { 'retention.ms': '86400000' });
    const plan = computePlan([wanted], [], noPrune);
    expect(plan.changes).toEqual([{ action: 'create', topic: 'a', spec: wanted }]);
    expect(plan.summary.create).toBe(1);
  });

  it('adds partitions', () => {
    const plan = computePlan([spec('a', 12, 1)], [observed('a', 6, 1)], noPrune);
    expect(plan.changes).toEqual([{ action: 'add-partitions', topic: 'a', from: 6, to: 12 }]);
    expect(plan.appliable).toBe(true);
  });

  it('sets configs, and deletes dynamic overrides the file no longer sets (never static ones)', () => {
    const plan = computePlan(
      [spec('a', 1, 1, { 'retention.ms': '86400000', 'compression.type': 'zstd' })],
      [
        observed('a', 1, 1, {
          'retention.ms': dynamic('604800000'),
          'compression.type': brokerDefault('producer'),
          'segment.ms': dynamic('3600000'),
          'cleanup.policy': dynamic('compact'),
          'max.message.bytes': staticBroker('2097152'),
          'flush.ms': brokerDefault('9223372036854775807'),
        }),
      ],
      noPrune,
    );
    expect(plan.changes).toEqual([
      {
        action: 'update-configs',
        topic: 'a',
        configs: [
          { op: 'set', name: 'retention.ms', from: '604800000', to: '86400000' },
          { op: 'set', name: 'compression.type', from: 'producer', to: 'zstd' },
          { op: 'delete', name: 'cleanup.policy', from: 'compact' },
          { op: 'delete', name: 'segment.ms', from: '3600000' },
        ],
      },
    ]);
    expect(plan.summary.updateConfigs).toBe(1);
  });

  it('sets a config the broker does not report', () => {
    const plan = computePlan([spec('a', 1, 1, { 'remote.log.copy.disable': 'true' })], [observed('a', 1, 1)], noPrune);
    expect(plan.changes).toEqual([
      { action: 'update-configs', topic: 'a', configs: [{ op: 'set', name: 'remote.log.copy.disable', from: null, to: 'true' }] },
    ]);
  });

  it('plans a replication change as the replica moves of each partition, the preferred leader kept', () => {
    const plan = computePlan([spec('a', 2, 3)], [{ ...observed('a', 2, 1), assignment: [[1], [2]] }], noPrune);
    expect(plan.changes).toEqual([
      {
        action: 'change-replication',
        topic: 'a',
        from: 1,
        to: 3,
        moves: [
          // Broker 3 held nothing: it gets the first new replica.
          { partition: 0, from: [1], to: [1, 3, 2] },
          { partition: 1, from: [2], to: [2, 1, 3] },
        ],
      },
    ]);
    expect(plan.appliable).toBe(true);
    expect(plan.summary.changeReplication).toBe(1);
  });

  it('blocks a replication factor the cluster has too few brokers for, with a remedy', () => {
    const plan = computePlan([spec('a', 3, 4)], [observed('a', 3, 1)], noPrune);
    const [change] = plan.changes;
    expect(change).toMatchObject({ action: 'replication-mismatch', topic: 'a', from: 1, to: 4, blocked: true, reason: 'replication factor 4 needs 4 brokers, the cluster has 3' });
    expect(change && isBlocked(change) && change.remedy).toBe('add brokers, or set replicationFactor: 1 in the file');
    expect(plan.appliable).toBe(false);
    expect(plan.summary.blocked).toBe(1);
    expect(hasChanges(plan)).toBe(true);
  });

  it('shows a reassignment in flight as a change apply waits for, and plans from where the replicas are going', () => {
    const moving = withReassignments([{ ...observed('a', 2, 1), assignment: [[1, 2, 3], [2]] }], [{ topic: 'a', partition: 0, replicas: [1, 2, 3], adding: [2, 3], removing: [] }]);
    expect(moving[0]).toMatchObject({ replicationFactor: 3, assignment: [[1, 2, 3], [2]], moving: [{ partition: 0, from: [1], to: [1, 2, 3] }] });
    // The file wants 3: partition 1 still has to move, partition 0 is waited for.
    expect(computePlan([spec('a', 2, 3)], moving, noPrune).changes).toEqual([
      { action: 'change-replication', topic: 'a', from: 3, to: 3, moves: [{ partition: 0, from: [1], to: [1, 2, 3] }] },
    ]);
    const second = withReassignments([{ ...observed('a', 2, 3), assignment: [[1, 2, 3], [2, 3]] }], [{ topic: 'a', partition: 1, replicas: [2, 3, 1], adding: [], removing: [1] }]);
    expect(second[0]!.replicationFactor).toBe(3);
    expect(computePlan([spec('a', 2, 2)], second, noPrune).changes).toEqual([
      { action: 'change-replication', topic: 'a', from: 3, to: 2, moves: [{ partition: 0, from: [1, 2, 3], to: [1, 2] }, { partition: 1, from: [2, 3, 1], to: [2, 3] }] },
    ]);
  });

  it('leaves the throttled-replica lists of a reassignment alone unless the file sets them', () => {
    const throttled = { 'leader.replication.throttled.replicas': dynamic('*'), 'follower.replication.throttled.replicas': dynamic('0:2') };
    expect(computePlan([spec('a', 1, 1)], [observed('a', 1, 1, throttled)], noPrune).changes).toEqual([]);
    expect(computePlan([spec('a', 1, 1, { 'leader.replication.throttled.replicas': '' })], [observed('a', 1, 1, throttled)], noPrune).changes).toHaveLength(1);
  });

  it('blocks a partition decrease', () => {
    const plan = computePlan([spec('a', 3, 1)], [observed('a', 6, 1)], noPrune);
    expect(plan.changes).toEqual([
      expect.objectContaining({ action: 'partition-decrease', topic: 'a', from: 6, to: 3, blocked: true, reason: 'Kafka cannot reduce partitions (6 → 3)' }),
    ]);
    expect(plan.appliable).toBe(false);
  });

  it('lists several changes of one topic together', () => {
    const plan = computePlan([spec('a', 12, 3, { 'retention.ms': '1' })], [observed('a', 6, 1)], noPrune);
    expect(plan.changes.map((c) => c.action)).toEqual(['change-replication', 'add-partitions', 'update-configs']);
  });

  it('leaves undeclared topics alone without prune', () => {
    const plan = computePlan([spec('a', 1, 1)], [observed('a', 1, 1), observed('old', 1, 1), observed('__consumer_offsets', 50, 1, {}, true)], noPrune);
    expect(plan.changes).toEqual([]);
    expect(plan.unmanaged).toEqual(['old']);
  });

  it('deletes with prune, except protected and internal topics', () => {
    const plan = computePlan(
      [spec('a', 1, 1)],
      [
        observed('a', 1, 1),
        observed('zeta', 2, 1),
        observed('old', 3, 1),
        observed('audit-logs', 1, 1),
        observed('__consumer_offsets', 50, 1, {}, true),
        observed('__transaction_state', 50, 1),
        observed('_schemas', 1, 1),
        observed('_confluent-command', 1, 1),
        observed('connect-offsets', 25, 1, {}, true),
      ],
      { prune: true, protectedTopics: ['audit-logs'], brokers },
    );
    expect(plan.changes).toEqual([
      { action: 'delete', topic: 'old', partitions: 3, replicationFactor: 1 },
      { action: 'delete', topic: 'zeta', partitions: 2, replicationFactor: 1 },
    ]);
    expect(plan.unmanaged).toEqual(['audit-logs']);
    expect(plan.summary).toEqual({ create: 0, addPartitions: 0, updateConfigs: 0, changeReplication: 0, delete: 2, blocked: 0, rejected: 0, unchanged: 1, unmanaged: 1 });
  });

  it('is JSON-serialisable data with a format version', () => {
    const plan = computePlan([spec('a', 2, 1, { 'retention.ms': '1' }), spec('b', 1, 1)], [observed('a', 1, 1)], { prune: true, protectedTopics: [], brokers });
    const copy = JSON.parse(JSON.stringify(plan)) as TopicPlan;
    expect(copy).toEqual(plan);
    expect(copy.formatVersion).toBe(1);
    expect(copy.changes.map((c) => c.action)).toEqual(['add-partitions', 'update-configs', 'create']);
  });
});

describe('withRejections', () => {
  it('makes the plan unappliable and counts what the broker refused', () => {
    const plan = computePlan([spec('a', 1, 3)], [], noPrune);
    const rejected = withRejections(plan, [{ topic: 'a', action: 'create', reason: 'the broker refused it' }]);
    expect(rejected.appliable).toBe(false);
    expect(rejected.summary.rejected).toBe(1);
    expect(rejected.rejections).toEqual([{ topic: 'a', action: 'create', reason: 'the broker refused it' }]);
    expect(withRejections(plan, []).appliable).toBe(true);
  });
});

describe('overridesAfter', () => {
  it('is the complete override set AlterConfigs must be sent, leaving untouched overrides as they are', () => {
    const current = { 'retention.ms': dynamic('1000'), 'segment.ms': dynamic('2000'), 'cleanup.policy': dynamic('compact'), 'flush.ms': brokerDefault('9') };
    expect(
      overridesAfter(current, [
        { op: 'set', name: 'retention.ms', from: '1000', to: '5000' },
        { op: 'set', name: 'max.message.bytes', from: null, to: '10' },
        { op: 'delete', name: 'segment.ms', from: '2000' },
      ]),
    ).toEqual({ 'cleanup.policy': 'compact', 'max.message.bytes': '10', 'retention.ms': '5000' });
  });
});

describe('creationConflicts', () => {
  it('names what differs when a topic answered "already exists" is not the one asked for', () => {
    const asked = [spec('a', 2, 3, { 'retention.ms': '1000' }), spec('b', 6, 3)];
    const found = [observed('a', 3, 3, { 'retention.ms': dynamic('1000') }), observed('b', 6, 1, { 'cleanup.policy': dynamic('compact') })];
    expect(creationConflicts(asked, found)).toEqual([
      { topic: 'a', reason: 'it already exists, created at the same time by another client, with 3 partitions instead of 2' },
      {
        topic: 'b',
        reason: 'it already exists, created at the same time by another client, with replication factor 1 instead of 3, cleanup.policy=compact not asked for',
      },
    ]);
  });

  it('finds none when the topic on the cluster is exactly the one asked for', () => {
    expect(creationConflicts([spec('a', 2, 3, { 'retention.ms': '1000' })], [observed('a', 2, 3, { 'retention.ms': dynamic('1000'), 'flush.ms': brokerDefault('9') })])).toEqual([]);
  });
});
