import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** KafkaJS's port of the Java client's murmur2 (one small module, not all of KafkaJS: the generator thread loads it too). */
const murmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer) => number;

/** The partition of a keyed message, as the Java client, librdkafka's murmur2 partitioners and KafkaJS pick it. */
export function partitionOfKey(key: Uint8Array, partitionCount: number): number {
  return (murmur2(Buffer.from(key.buffer, key.byteOffset, key.byteLength)) & 0x7fffffff) % partitionCount;
}
