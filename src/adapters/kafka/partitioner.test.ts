import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { partitionOfKey } from './partitioner.js';

// KafkaJS's murmur2 (a port of the Java client's) is the independent reference.
const require = createRequire(import.meta.url);
const reference = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer) => number;

describe('partitionOfKey', () => {
  it('places keys of every length as KafkaJS and the Java client do', () => {
    for (let length = 0; length < 40; length++) {
      for (let round = 0; round < 25; round++) {
        const key = randomBytes(length);
        for (const partitions of [1, 3, 12, 100]) expect(partitionOfKey(key, partitions)).toBe((reference(key) & 0x7fffffff) % partitions);
      }
    }
  });

});
