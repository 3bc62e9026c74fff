/**
 * Which registry subject a topic's key or value schema goes to, as Confluent's
 * serializers name them: TopicNameStrategy (the default), RecordNameStrategy and
 * TopicRecordNameStrategy. A subject written in topics.yaml wins over the strategy.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { SchemaRef, TopicSpec } from '../topics/model.js';
import type { CompatibilityLevel } from './compatibility.js';
import type { AvroSchema } from './model.js';
import type { ParsedSchema } from './parse.js';

export const SUBJECT_NAME_STRATEGIES = ['topic', 'record', 'topic-record'] as const;
export type SubjectNameStrategy = (typeof SUBJECT_NAME_STRATEGIES)[number];

export type SchemaRole = 'key' | 'value';

/** Confluent's default level, used for a subject whose topic does not name one. */
export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

/** The subject name, or why the strategy cannot name this schema. */
export function subjectName(
  strategy: SubjectNameStrategy,
  topic: string,
  role: SchemaRole,
  schema: AvroSchema,
): { subject: string } | { problem: string } {
  if (strategy === 'topic') return { subject: `${topic}-${role}` };
  // Confluent's record strategies take the record's full name; other schemas have none.
  if (schema.type !== 'record') {
    return { problem: `the ${strategy} subject name strategy needs a record schema, not ${schema.type === 'union' ? 'a union' : `"${schema.type}"`}` };
  }
  return { subject: strategy === 'record' ? schema.name.fullName : `${topic}-${schema.name.fullName}` };
}

/** Where topics.yaml asks for a subject. */
export interface SubjectUse {
  topic: string;
  role: SchemaRole;
}

/** A subject as topics.yaml wants it in one environment. */
export interface DesiredSubject {
  subject: string;
  uses: SubjectUse[];
  /** The schema file as topics.yaml writes it; undefined for a subject managed elsewhere. */
  file: string | undefined;
  schema: ParsedSchema | undefined;
  /** undefined: leave the subject's level alone (a subject managed elsewhere without one). */
  level: CompatibilityLevel | undefined;
}

export interface DesiredSubjectsResult {
  subjects: DesiredSubject[];
  diagnostics: Diagnostic[];
}

/**
 * The subjects the topics of one environment need. `schemaOf` gives the parsed
 * schema of a file as topics.yaml writes it (undefined when it does not parse;
 * the caller reports that). Two topics may share a subject only with the same
 * schema and level.
 */
export function desiredSubjects(
  projectFile: string,
  topics: readonly TopicSpec[],
  schemaOf: (file: string) => ParsedSchema | undefined,
  strategy: SubjectNameStrategy,
): DesiredSubjectsResult {
  const bySubject = new Map<string, DesiredSubject>();
  const diagnostics: Diagnostic[] = [];
  const problem = (ref: SchemaRef, code: string, message: string, hint: string) =>
    diagnostics.push({ severity: 'error', file: projectFile, line: ref.source.line, column: ref.source.column, code, message, hint });

  for (const topic of topics) {
    for (const role of ['key', 'value'] as const) {
      const ref = role === 'key' ? topic.keySchema : topic.valueSchema;
      if (!ref) continue;
      const schema = ref.schema === undefined ? undefined : schemaOf(ref.schema);
      if (ref.schema !== undefined && !schema) continue;
      let subject = ref.subject;
      if (subject === undefined && schema) {
        const named = subjectName(strategy, topic.name, role, schema.schema);
        if ('problem' in named) {
          problem(ref, 'subject-strategy', `${role} schema of topic "${topic.name}": ${named.problem}`, 'write "subject:" for this topic, or use --subject-strategy topic');
          continue;
        }
        subject = named.subject;
      }
      if (subject === undefined) continue;
      const wanted: DesiredSubject = {
        subject,
        uses: [{ topic: topic.name, role }],
        file: ref.schema,
        schema,
        level: ref.compatibility ?? (schema ? DEFAULT_COMPATIBILITY : undefined),
      };
      const earlier = bySubject.get(subject);
      if (!earlier) {
        bySubject.set(subject, wanted);
        continue;
      }
      const conflict = sharedSubjectConflict(earlier, wanted);
      if (conflict) {
        problem(ref, 'subject-conflict', `${role} schema of topic "${topic.name}" goes to subject "${subject}", which topic "${earlier.uses[0]!.topic}" gives ${conflict}`, 'give one of the topics its own "subject:", or make them agree');
        continue;
      }
      earlier.uses.push(...wanted.uses);
      earlier.file ??= wanted.file;
      earlier.schema ??= wanted.schema;
      earlier.level ??= wanted.level;
    }
  }
  return { subjects: [...bySubject.values()], diagnostics };
}

function sharedSubjectConflict(a: DesiredSubject, b: DesiredSubject): string | undefined {
  if (a.schema && b.schema && a.schema.registrationForm !== b.schema.registrationForm) return `another schema (${a.file})`;
  if (a.level && b.level && a.level !== b.level) return `another compatibility level (${a.level})`;
  return undefined;
}
