import { describe, expect, it } from 'vitest';
import { configNameProblem, parseConfigAssignment } from './configAssignment.js';

describe('parseConfigAssignment', () => {
  it('converts units and Kafka spellings like the file does', () => {
    expect(parseConfigAssignment('retention.ms=7d', 'x')).toEqual({ ok: true, name: 'retention.ms', value: '604800000' });
    expect(parseConfigAssignment('max.message.bytes=2MiB', 'x')).toEqual({ ok: true, name: 'max.message.bytes', value: '2097152' });
    expect(parseConfigAssignment('cleanup.policy=compact, delete', 'x')).toEqual({ ok: true, name: 'cleanup.policy', value: 'compact,delete' });
  });

  it('explains what is wrong', () => {
    expect(parseConfigAssignment('retention.ms', 'x')).toEqual({ ok: false, message: 'expected name=value, got "retention.ms"', hint: 'e.g. --config retention.ms=7d' });
    expect(parseConfigAssignment('retention.msx=1d', 'x')).toEqual({ ok: false, message: 'unknown topic config "retention.msx"', hint: 'did you mean "retention.ms"?' });
    expect(parseConfigAssignment('log.retention.hours=1', 'x')).toEqual({
      ok: false,
      message: '"log.retention.hours" is a broker-level config, not a topic config',
      hint: 'use the topic-level "retention.ms" instead',
    });
    expect(parseConfigAssignment('compression.type=zip', '--config')).toMatchObject({ ok: false, message: 'invalid value "zip" for "compression.type" in --config' });
  });
});

describe('configNameProblem', () => {
  it('accepts catalogue names and points broker settings to the file key', () => {
    expect(configNameProblem('segment.ms')).toBeUndefined();
    expect(configNameProblem('num.partitions')).toEqual({ message: '"num.partitions" is a broker-level config, not a topic config', hint: 'use "partitions" in topics.yaml instead' });
  });
});
