import { describe, expect, it } from 'vitest';
import type { SchemaRef, TopicSpec } from '../topics/model.js';
import { parseSchemaText, type ParsedSchema } from './parse.js';
import { desiredSubjects, subjectName } from './subjects.js';

const at = { line: 3, column: 5 };

function parsed(json: unknown, path: string): ParsedSchema {
  const { schema } = parseSchemaText(JSON.stringify(json), { path });
  if (!schema) throw new Error(`fixture ${path} does not parse`);
  return schema;
}

const reading = parsed({ type: 'record', name: 'Reading', namespace: 'com.acme', fields: [{ name: 'v', type: 'double' }] }, 'reading.avsc');
const readingV2 = parsed({ type: 'record', name: 'Reading', namespace: 'com.acme', fields: [{ name: 'v', type: 'long' }] }, 'reading2.avsc');
const key = parsed('string', 'key.avsc');
const files = new Map([reading, readingV2, key].map((s) => [s.path, s]));

function topic(name: string, refs: { key?: Partial<SchemaRef>; value?: Partial<SchemaRef> }): TopicSpec {
  return {
    name,
    partitions: 1,
    replicationFactor: 1,
    configs: {},
    source: at,
    ...(refs.key ? { keySchema: { source: at, ...refs.key } } : {}),
    ...(refs.value ? { valueSchema: { source: at, ...refs.value } } : {}),
  };
}

describe('subjectName', () => {
  it('follows the three Confluent strategies', () => {
    expect(subjectName('topic', 'sensor-data', 'value', reading.schema)).toEqual({ subject: 'sensor-data-value' });
    expect(subjectName('topic', 'sensor-data', 'key', key.schema)).toEqual({ subject: 'sensor-data-key' });
    expect(subjectName('record', 'sensor-data', 'value', reading.schema)).toEqual({ subject: 'com.acme.Reading' });
    expect(subjectName('topic-record', 'sensor-data', 'value', reading.schema)).toEqual({ subject: 'sensor-data-com.acme.Reading' });
  });

  it('refuses a record strategy for a schema without a record name', () => {
    expect(subjectName('record', 't', 'key', key.schema)).toEqual({ problem: 'the record subject name strategy needs a record schema, not "string"' });
  });
});

describe('desiredSubjects', () => {
  const schemaOf = (file: string) => files.get(file);

  it('names key and value subjects, with BACKWARD unless the topic says otherwise', () => {
    const { subjects, diagnostics } = desiredSubjects(
      'topics.yaml',
      [topic('a', { key: { schema: 'key.avsc' }, value: { schema: 'reading.avsc', compatibility: 'FULL' } })],
      schemaOf,
      'topic',
    );
    expect(diagnostics).toEqual([]);
    expect(subjects.map((s) => [s.subject, s.file, s.level])).toEqual([
      ['a-key', 'key.avsc', 'BACKWARD'],
      ['a-value', 'reading.avsc', 'FULL'],
    ]);
  });

  it('lets an explicit subject win, and keeps a subject without a file as one managed elsewhere', () => {
    const { subjects } = desiredSubjects(
      'topics.yaml',
      [topic('a', { value: { schema: 'reading.avsc', subject: 'readings' } }), topic('b', { value: { subject: 'shared-value' } })],
      schemaOf,
      'topic',
    );
    expect(subjects.map((s) => [s.subject, s.file, s.level])).toEqual([
      ['readings', 'reading.avsc', 'BACKWARD'],
      ['shared-value', undefined, undefined],
    ]);
  });

  it('merges topics sharing a subject with the same schema', () => {
    const { subjects, diagnostics } = desiredSubjects('topics.yaml', [topic('a', { value: { schema: 'reading.avsc' } }), topic('b', { value: { schema: 'reading.avsc' } })], schemaOf, 'record');
    expect(diagnostics).toEqual([]);
    expect(subjects).toHaveLength(1);
    expect(subjects[0]!.uses).toEqual([
      { topic: 'a', role: 'value' },
      { topic: 'b', role: 'value' },
    ]);
  });

  it('reports a subject given two schemas, or a strategy that cannot name a schema, at the topic', () => {
    const { subjects, diagnostics } = desiredSubjects(
      'topics.yaml',
      [topic('a', { key: { schema: 'key.avsc' }, value: { schema: 'reading.avsc' } }), topic('b', { value: { schema: 'reading2.avsc' } })],
      schemaOf,
      'record',
    );
    expect(subjects.map((s) => s.subject)).toEqual(['com.acme.Reading']);
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['subject-strategy', 3, 5],
      ['subject-conflict', 3, 5],
    ]);
    expect(diagnostics[1]!.message).toBe('value schema of topic "b" goes to subject "com.acme.Reading", which topic "a" gives another schema (reading.avsc)');
  });
});
