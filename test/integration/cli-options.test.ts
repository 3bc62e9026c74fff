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

  it('refuses tail counts and offsets and deploy ports that are not plain decimal integers in range, reading and starting nothing', async () => {
    const cases: [string[], string][] = [
      [['tail', 'any', '--max', '0'], '--max "0" is not a whole number of 1 or more'],
      [['tail', 'any', '--offset', '0x10'], '--offset "0x10" is not a whole number'],
      [['tail', 'any', '--partition', '-1'], '--partition "-1" is not a whole number of 0 or more'],
      [['deploy', '--env', 'dev', '--runtime', 'local', '--broker-port', '1e3'], '--broker-port "1e3" is not a whole number from 1 to 65535'],
      [['deploy', '--env', 'dev', '--runtime', 'local', '--registry-port', '70000'], '--registry-port "70000" is not a whole number from 1 to 65535'],
    ];
    for (const [args, message] of cases) {
      const refused = await iotmsg([...args, '-b', brokers.join(',')]);
      expect(refused.exitCode).toBe(64);
      expect(refused.stderr.split('\n')[0]).toBe(`error: ${message} (plain decimal digits, e.g. 12)`);
    }
  });
});
