import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';

export interface RawMessage {
  partition: number;
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Reads `count` messages from the start of a topic with a plain KafkaJS consumer, independent of iotmsg. */
export async function readMessages(brokers: string[], topic: string, count: number, timeoutMs = 30_000): Promise<RawMessage[]> {
  const kafka = new Kafka({ clientId: 'iotmsg-test-reader', brokers, logLevel: logLevel.NOTHING });
  const groupId = `test-reader-${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId });
  const messages: RawMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${messages.length} of ${count} messages from ${topic}`)), timeoutMs);
      if (count === 0) {
        clearTimeout(timer);
        resolve();
      }
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
          messages.push({ partition, offset: Number(message.offset), timestamp: Number(message.timestamp), key: message.key, value: message.value, headers });
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect();
  }
  return messages.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

export async function createTopic(brokers: string[], topic: string, partitions: number): Promise<void> {
  await createTopics(brokers, [topic], partitions);
}

/** Several topics in one request: the broker makes all their partitions at once. */
export async function createTopics(brokers: string[], topics: string[], partitions: number): Promise<void> {
  const admin = new Kafka({ clientId: 'iotmsg-test', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })) });
    await waitForLeaders(admin, topics, partitions);
  } finally {
    await admin.disconnect();
  }
}

/**
 * KafkaJS's own waitForLeaders gives up on the first UNKNOWN_TOPIC_OR_PARTITION, which a
 * loaded broker answers for a moment after a create: ask again until every partition has a leader.
 */
async function waitForLeaders(admin: Admin, topics: string[], partitions: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const led = await admin
      .fetchTopicMetadata({ topics })
      .then(({ topics: found }) => found.length === topics.length && found.every((t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0)))
      .catch(() => false);
    if (led) return;
    if (Date.now() > deadline) throw new Error(`partitions of ${topics.join(', ')} still have no leader after ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** End offsets of every partition, by partition. */
export async function endOffsets(brokers: string[], topic: string): Promise<number[]> {
  const admin = new Kafka({ clientId: 'iotmsg-test', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
  } finally {
    await admin.disconnect();
  }
}

/**
 * A project folder of its own: the repository's schemas and a topics.yaml whose `test`
 * environment points at the test cluster and declares the given topics with the sensor schema.
 */
export async function sensorProject(bootstrap: string, registryUrl: string, sensorTopics: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iotmsg-messages-'));
  await cp(new URL('../../schemas', import.meta.url), join(dir, 'schemas'), { recursive: true });
  const topics = sensorTopics.map((name) => `  - name: ${name}\n    partitions: 3\n    valueSchema:\n      schema: schemas/sensor-data.avsc\n      subject: ${name}-value\n`).join('');
  await writeFile(
    join(dir, 'topics.yaml'),
    `environments:\n  test:\n    brokers: [${bootstrap}]\n    schemaRegistry: ${registryUrl}\n    replicationFactor: 1\ntopics:${topics ? `\n${topics}` : ' []\n'}`,
  );
  return dir;
}
