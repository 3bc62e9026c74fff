import { afterAll, describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { uniqueName } from '../support/names.js';
import { createTopicsDirectly, removeTopicsProjects, topicStates } from '../support/topicsProject.js';

const cluster = inject('devCluster');
const brokers = cluster.bootstrapServers;

afterAll(removeTopicsProjects);

describe('typed options against the dev cluster', () => {
  it('refuses --partitions 1e2 and 0x10 with a usage error, leaving the topic as it was; 16 grows it', async () => {
    const topic = uniqueName('opt-alter');
    await createTopicsDirectly(brokers, [{ topic, numPartitions: 12 }]);
    for (const text of ['1e2', '0x10', '16.0', '+16']) {
      const refused = await iotmsg(['topics', 'alter', topic, '--partitions', text, '-b', brokers.join(',')]);
      expect(refused.exitCode).toBe(64);
      expect(refused.stderr).toContain(`error: --partitions "${text}" is not a whole number of 1 or more`);
      expect((await topicStates(brokers, [topic])).get(topic)?.partitions).toBe(12);
    }
    const grown = await iotmsg(['topics', 'alter', topic, '--partitions', '16', '-b', brokers.join(',')]);
    expect(grown.exitCode).toBe(0);
    expect((await topicStates(brokers, [topic])).get(topic)?.partitions).toBe(16);
  });

  it('refuses a produce partition written in hex before anything is sent', async () => {
    const topic = uniqueName('opt-produce');
    await createTopicsDirectly(brokers, [{ topic, numPartitions: 2 }]);
    const refused = await iotmsg(['produce', topic, '--value', 'x', '--partition', '0x1', '-b', brokers.join(',')]);
    expect(refused.exitCode).toBe(64);
    expect(refused.stderr).toContain('--partition "0x1" is not a whole number of 0 or more');
  });
});
