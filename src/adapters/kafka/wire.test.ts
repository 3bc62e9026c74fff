import kafkajs, { type Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { checkInternals } from './wire.js';

describe('the wire layer', () => {
  it('finds in the installed kafkajs every internal it uses, without a broker', () => {
    const kafka = new kafkajs.Kafka({ brokers: ['127.0.0.1:1'], logLevel: kafkajs.logLevel.NOTHING });
    const cluster = checkInternals(kafka);
    expect(typeof cluster.connect).toBe('function');
    expect(cluster.getNodeIds()).toEqual([]);
  });

  it('names what is missing in one line when kafkajs changed', () => {
    const changed = {} as Kafka;
    expect(() => checkInternals(changed)).toThrow(/^the installed kafkajs is not the one iotmsg was built for: Kafka has no private:Kafka:createCluster$/);
  });
});
