/** Kafka's own topic-name rules (org.apache.kafka.common.internals.Topic). */
export const MAX_TOPIC_NAME_LENGTH = 249;
export const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;
/** Dot-separated words, so `<topic>.<suffix>` never gets ".." or a trailing dot. */
export const DLQ_SUFFIX = /^[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*$/;

/** Suffixes of the dead-letter siblings a topic gets when `dlq: true`. */
export const DEFAULT_DLQ_SUFFIXES: readonly string[] = [
  'dlq',
  'dlq.validation_error',
  'dlq.processing_error',
  'dlq.poison',
];

/** What is wrong with a topic name, or undefined when Kafka accepts it. */
export function topicNameProblem(name: string): { message: string; hint?: string } | undefined {
  if (name === '') return { message: 'topic name cannot be empty' };
  if (name === '.' || name === '..') return { message: `topic name "${name}" is not allowed` };
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return {
      message: `topic name "${name.slice(0, 20)}..." is ${name.length} characters long`,
      hint: `Kafka allows at most ${MAX_TOPIC_NAME_LENGTH}`,
    };
  }
  if (!LEGAL_TOPIC_NAME.test(name)) {
    const illegal = [...new Set(name.replace(/[a-zA-Z0-9._-]/g, ''))].map((c) => JSON.stringify(c)).join(', ');
    return {
      message: `invalid topic name "${name}"`,
      hint: `use only letters, digits, ".", "_" and "-" (found ${illegal})`,
    };
  }
  return undefined;
}

const RESERVED_PREFIXES: readonly { prefix: string; owner: string }[] = [
  { prefix: '__', owner: "Kafka's internal topics" },
  { prefix: '_schemas', owner: 'the schema registry' },
  { prefix: '_confluent', owner: 'Confluent components' },
];

/** Why a name belongs to Kafka or its companions (never created, changed or deleted by iotmsg). */
export function reservedTopicReason(name: string): string | undefined {
  const reserved = RESERVED_PREFIXES.find(({ prefix }) => name.startsWith(prefix));
  return reserved && `names starting with "${reserved.prefix}" are reserved for ${reserved.owner}`;
}

/**
 * Kafka refuses a topic whose name equals an existing one once "." and "_" are
 * treated alike (both become "_" in metric names).
 */
export function collisionKey(name: string): string {
  return name.replaceAll('.', '_');
}

export function dlqTopicName(parent: string, suffix: string): string {
  return `${parent}.${suffix}`;
}

/** What is wrong with a DLQ suffix, or undefined when it is usable. */
export function dlqSuffixProblem(suffix: string): string | undefined {
  return DLQ_SUFFIX.test(suffix) ? undefined : 'use letters, digits, "_" and "-", with single dots between words';
}
