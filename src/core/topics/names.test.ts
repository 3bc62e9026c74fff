import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from './didYouMean.js';
import { collisionKey, reservedTopicReason, topicNameProblem } from './names.js';

describe('topic names', () => {
  it('follows Kafka\'s rules', () => {
    expect(topicNameProblem('sensor-data.v2_raw')).toBeUndefined();
    expect(topicNameProblem('t'.repeat(249))).toBeUndefined();
    expect(topicNameProblem('t'.repeat(250))?.hint).toBe('Kafka allows at most 249');
    expect(topicNameProblem('.')?.message).toBe('topic name "." is not allowed');
    expect(topicNameProblem('')?.message).toBe('topic name cannot be empty');
    expect(topicNameProblem('a/b')?.hint).toBe('use only letters, digits, ".", "_" and "-" (found "/")');
  });

  it('knows the reserved prefixes', () => {
    expect(reservedTopicReason('__consumer_offsets')).toContain('"__"');
    expect(reservedTopicReason('_schemas')).toContain('schema registry');
    expect(reservedTopicReason('_confluent-metrics')).toContain('Confluent');
    expect(reservedTopicReason('_private')).toBeUndefined();
  });

  it('treats "." and "_" alike for collisions', () => {
    expect(collisionKey('telemetry.raw')).toBe(collisionKey('telemetry_raw'));
    expect(collisionKey('telemetry-raw')).not.toBe(collisionKey('telemetry_raw'));
  });
});

describe('did you mean', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('partitons', 'partitions')).toBe(1);
    expect(editDistance('parittions', 'partitions')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only likely typos', () => {
    const keys = ['name', 'partitions', 'replicationFactor', 'configs'];
    expect(closestMatch('partitons', keys)).toBe('partitions');
    expect(closestMatch('Partitions', keys)).toBe('partitions');
    expect(closestMatch('replication', keys)).toBe('replicationFactor');
    expect(closestMatch('colour', keys)).toBeUndefined();
  });
});
