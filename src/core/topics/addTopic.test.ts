import { describe, expect, it } from 'vitest';
import { addTopicToFile } from './addTopic.js';

const topic = { name: 'user-events', partitions: 6, replicationFactor: 3, configs: { 'retention.ms': '3d' }, dlq: true };

describe('addTopicToFile', () => {
  it('appends the topic to the list, leaving every other byte as it was', () => {
    const text = '# platform topics\ndefaults:\n  partitions: 3 # few\ntopics:\n  - name: sensor-data   # the main one\n    partitions: 12\n\n# trailing comment\nenvironments:\n  dev: {brokers: [localhost:9092]}\n';
    const added = addTopicToFile(text, topic, 'topics.yaml');
    expect(added).toBe(
      '# platform topics\ndefaults:\n  partitions: 3 # few\ntopics:\n  - name: sensor-data   # the main one\n    partitions: 12\n' +
        '  - name: "user-events"\n    partitions: 6\n    replicationFactor: 3\n    dlq: true\n    configs:\n      retention.ms: "3d"\n' +
        '# trailing comment\nenvironments:\n  dev: {brokers: [localhost:9092]}\n',
    );
  });

  it('keeps a list indented at column 0 at column 0', () => {
    const added = addTopicToFile('topics:\n- name: a\n', { name: 'b', configs: {}, dlq: false }, 'f');
    expect(added).toBe('topics:\n- name: a\n- name: "b"\n');
  });

  it('starts the list when there is none, and refuses a topic the file has', () => {
    expect(addTopicToFile('environments: {}\n', { name: 'b', configs: {}, dlq: false }, 'f')).toBe('environments: {}\ntopics:\n  - name: "b"\n');
    expect(addTopicToFile('topics: []\n', { name: 'b', configs: {}, dlq: false }, 'f')).toBe('topics:\n  - name: "b"\n');
    expect(addTopicToFile('topics:\nenvironments: {}\n', { name: 'b', configs: {}, dlq: false }, 'f')).toBe('topics:\n  - name: "b"\nenvironments: {}\n');
    expect(() => addTopicToFile('topics:\n  - name: b\n', { name: 'b', configs: {}, dlq: false }, 'topics.yaml')).toThrow('topics.yaml already declares topic "b"');
  });
});
