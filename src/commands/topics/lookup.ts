import type { TopicInfo } from '../../adapters/kafka/admin.js';
import { OperationError } from '../../core/errors.js';
import { didYouMean } from '../../core/topics/didYouMean.js';

/** The topic named on the command line, or one clear line saying it does not exist. */
export function findTopic(topics: readonly TopicInfo[], name: string): TopicInfo {
  const topic = topics.find((t) => t.name === name);
  if (topic === undefined) throw unknownTopics([name], topics);
  return topic;
}

export function unknownTopics(names: readonly string[], topics: readonly Pick<TopicInfo, 'name'>[]): OperationError {
  const [first] = names;
  const known = topics.map((t) => t.name);
  const hint = (names.length === 1 && first !== undefined ? didYouMean(first, known) : undefined) ?? 'list the topics with "iotmsg topics list"';
  const what = names.length === 1 ? `topic "${first}" does not exist` : `${names.length} topics do not exist: ${names.join(', ')}`;
  return new OperationError(what, { hint });
}

/** The confirmation asked before topics are deleted: how many, and which (the first few). */
export function deletionQuestion(names: readonly string[]): string {
  const listed = names.length > 5 ? `${names.slice(0, 5).join(', ')}, ...` : names.join(', ');
  return `DELETE ${names.length} topic(s) and all their messages (${listed})`;
}
