/**
 * `topics create --save`: the new topic written into topics.yaml as a person would add it,
 * appended to the `topics:` list with the list's own indentation. Only that text is inserted:
 * every other byte of the file (comments, layout, quoting) stays as it was. Pure.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { InputError } from '../errors.js';

export interface AddedTopic {
  name: string;
  partitions?: number;
  replicationFactor?: number;
  configs: Readonly<Record<string, string>>;
  dlq: boolean;
}

function topicLines(topic: AddedTopic, indent: string): string[] {
  const lines = [`${indent}- name: ${JSON.stringify(topic.name)}`];
  const field = `${indent}  `;
  if (topic.partitions !== undefined) lines.push(`${field}partitions: ${topic.partitions}`);
  if (topic.replicationFactor !== undefined) lines.push(`${field}replicationFactor: ${topic.replicationFactor}`);
  if (topic.dlq) lines.push(`${field}dlq: true`);
  const configs = Object.entries(topic.configs);
  if (configs.length > 0) {
    lines.push(`${field}configs:`);
    for (const [key, value] of configs) lines.push(`${field}  ${key}: ${JSON.stringify(value)}`);
  }
  return lines;
}

/** The file's text with `topic` added; refused when the file declares it already. */
export function addTopicToFile(text: string, topic: AddedTopic, file: string): string {
  const document = parseDocument(text);
  const root = document.contents;
  const topics = isMap(root) ? root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'topics') : undefined;
  const list = topics?.value;
  if (isSeq(list)) {
    for (const item of list.items) {
      if (isMap(item) && (item.toJSON() as { name?: unknown }).name === topic.name) throw new InputError(`${file} already declares topic "${topic.name}"`, { hint: 'change it there and run "iotmsg topics apply"' });
    }
  }
  if (isSeq(list) && !list.flow && list.items.length > 0 && list.range) {
    // After the list's last item, at the column of its dashes.
    const start = list.range[0];
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const indent = ' '.repeat(start - lineStart);
    const end = list.range[1];
    const before = text.slice(0, end).replace(/\n*$/, '');
    return `${before}\n${topicLines(topic, indent).join('\n')}\n${text.slice(end).replace(/^\n*/, '')}`;
  }
  if (topics === undefined) return `${text.replace(/\n*$/, '\n')}topics:\n${topicLines(topic, '  ').join('\n')}\n`;
  const empty = (isSeq(list) && list.items.length === 0) || (isScalar(list) && list.value === null);
  if (empty && list.range) {
    // `topics: []` or `topics:` alone: the empty value gives way to the one new item.
    return `${text.slice(0, list.range[0]).replace(/[ \t]*$/, '')}\n${topicLines(topic, '  ').join('\n')}\n${text.slice(list.range[1]).replace(/^[ \t]*\n?/, '')}`;
  }
  throw new InputError(`cannot add topic "${topic.name}" to ${file}: its topics list is written in flow style`, { hint: 'add it to the file by hand' });
}
