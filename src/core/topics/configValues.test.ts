import { describe, expect, it } from 'vitest';
import { brokerOnlyConfig, TOPIC_CONFIGS, topicConfig, type TopicConfigDefinition } from './configCatalog.js';
import { convertConfigValue, normaliseConfigValue, type RawConfigValue } from './configValues.js';

function definition(name: string): TopicConfigDefinition {
  const found = topicConfig(name);
  if (found === undefined) throw new Error(`not in the catalogue: ${name}`);
  return found;
}

const text = (value: string): RawConfigValue => ({ type: 'string', text: value });
const number = (source: string): RawConfigValue => ({ type: 'number', text: source, value: Number(source) });

function convert(name: string, raw: RawConfigValue): string {
  const result = convertConfigValue(definition(name), raw, 'topic "t"');
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

function problem(name: string, raw: RawConfigValue): string {
  const result = convertConfigValue(definition(name), raw, 'topic "t"');
  if (result.ok) throw new Error(`accepted ${result.value}`);
  return result.message;
}

describe('topic config catalogue (Kafka 3.9)', () => {
  it('has the topic-level configs and only them', () => {
    expect(TOPIC_CONFIGS).toHaveLength(36);
    expect(new Set(TOPIC_CONFIGS.map((c) => c.name)).size).toBe(TOPIC_CONFIGS.length);
    expect(topicConfig('log.retention.hours')).toBeUndefined();
    expect(topicConfig('constructor')).toBeUndefined();
  });

  it('accepts every default under its own validator', () => {
    for (const config of TOPIC_CONFIGS) {
      const result = convertConfigValue(config, text(config.default), 'defaults');
      expect(result, config.name).toEqual({ ok: true, value: config.default });
    }
  });

  it('knows the documented validators', () => {
    expect(definition('cleanup.policy').values).toEqual(['compact', 'delete']);
    expect(definition('compression.type').values).toEqual(['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer']);
    expect(definition('message.timestamp.type').values).toEqual(['CreateTime', 'LogAppendTime']);
    expect(definition('min.insync.replicas').min).toBe(1);
    expect(definition('retention.ms').min).toBe(-1);
    expect(definition('segment.bytes').min).toBe(14);
  });

  it('maps broker-only settings to their topic equivalents', () => {
    expect(brokerOnlyConfig('log.retention.hours')).toEqual({
      kind: 'topic-config',
      broker: 'log.retention.hours',
      topicConfig: 'retention.ms',
      unit: 'h',
    });
    expect(brokerOnlyConfig('log.cleanup.policy')).toMatchObject({ topicConfig: 'cleanup.policy' });
    expect(brokerOnlyConfig('message.max.bytes')).toMatchObject({ topicConfig: 'max.message.bytes' });
    expect(brokerOnlyConfig('num.partitions')).toMatchObject({ kind: 'file-key', fileKey: 'partitions' });
    expect(brokerOnlyConfig('min.insync.replicas')).toBeUndefined();
  });
});

describe('convertConfigValue', () => {
  it('converts human units exactly for *.ms and *.bytes', () => {
    expect(convert('retention.ms', text('7d'))).toBe('604800000');
    expect(convert('segment.ms', text('12h'))).toBe('43200000');
    expect(convert('delete.retention.ms', text('1.5h'))).toBe('5400000');
    expect(convert('segment.bytes', text('512MiB'))).toBe('536870912');
    expect(convert('max.message.bytes', text('1MB'))).toBe('1000000');
    expect(convert('retention.bytes', text('100KiB'))).toBe('102400');
  });

  it('keeps -1 and plain integers, and long values digit for digit', () => {
    expect(convert('retention.ms', number('-1'))).toBe('-1');
    expect(convert('retention.ms', text('-1'))).toBe('-1');
    expect(convert('retention.bytes', number('1073741824'))).toBe('1073741824');
    expect(convert('flush.messages', number('9223372036854775807'))).toBe('9223372036854775807');
    expect(convert('min.insync.replicas', number('2'))).toBe('2');
  });

  it('turns YAML booleans and numbers into Kafka strings', () => {
    expect(convert('preallocate', { type: 'boolean', value: true })).toBe('true');
    expect(convert('unclean.leader.election.enable', text('False'))).toBe('false');
    expect(convert('min.cleanable.dirty.ratio', number('0.50'))).toBe('0.5');
    expect(convert('message.format.version', number('2.8'))).toBe('2.8');
  });

  it('accepts lists as YAML sequences or comma-separated strings', () => {
    expect(convert('cleanup.policy', { type: 'list', items: [{ type: 'string', text: 'compact' }, { type: 'string', text: 'delete' }] })).toBe(
      'compact,delete',
    );
    expect(convert('cleanup.policy', text('compact, delete'))).toBe('compact,delete');
    expect(convert('leader.replication.throttled.replicas', text('0:101,1:102'))).toBe('0:101,1:102');
    expect(convert('follower.replication.throttled.replicas', text('*'))).toBe('*');
  });

  it('explains what is wrong', () => {
    expect(problem('retention.ms', text('1.5ms'))).toBe('"retention.ms" in topic "t" must be a whole number of milliseconds, got 1.5ms');
    expect(problem('retention.ms', number('1.5'))).toBe('"retention.ms" in topic "t" must be a whole number, got 1.5');
    expect(problem('flush.messages', text('7d'))).toBe('"flush.messages" in topic "t" must be an integer, got "7d"');
    expect(problem('max.message.bytes', text('3GiB'))).toBe(
      '"max.message.bytes" in topic "t" must be at most 2147483647, got 3GiB (3221225472)',
    );
    expect(problem('compression.zstd.level', number('23'))).toBe('"compression.zstd.level" in topic "t" must be between -131072 and 22, got 23');
    expect(problem('preallocate', number('1'))).toBe('"preallocate" in topic "t" must be true or false, got 1');
    expect(problem('leader.replication.throttled.replicas', text('0-101'))).toBe(
      'invalid value "0-101" for "leader.replication.throttled.replicas" in topic "t"',
    );
    expect(problem('cleanup.policy', { type: 'mapping' })).toBe(
      '"cleanup.policy" in topic "t" must be a list or a comma-separated string, got a mapping',
    );
  });
});

describe('normaliseConfigValue', () => {
  it('makes equal values compare equal', () => {
    expect(normaliseConfigValue('cleanup.policy', 'delete,compact')).toBe(normaliseConfigValue('cleanup.policy', 'compact, delete'));
    expect(normaliseConfigValue('cleanup.policy', '[compact, delete]')).toBe('compact,delete');
    expect(normaliseConfigValue('retention.ms', '0604800000')).toBe('604800000');
    expect(normaliseConfigValue('min.cleanable.dirty.ratio', '0.50')).toBe('0.5');
    expect(normaliseConfigValue('preallocate', 'TRUE')).toBe('true');
    expect(normaliseConfigValue('compression.type', ' zstd ')).toBe('zstd');
    expect(normaliseConfigValue('confluent.unknown', 'x')).toBe('x');
  });
});
