import { Kafka, logLevel, type Admin } from 'kafkajs';

/** A plain KafkaJS admin, independent of iotmsg's adapter, to check what the broker really holds. */
export async function withAdmin<T>(brokers: string[], work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({ clientId: 'iotmsg-test', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}
