import type { Admin, Kafka } from 'kafkajs';
import type { ConnectionSettings } from '../../core/config/settings.js';
import { UnavailableError, type IotmsgError } from '../../core/errors.js';
import { createKafka, type LogSink } from './client.js';
import { explainClosedConnection, failureContext, translateKafkaError, withDeadline, type AccessNeed } from './errors.js';

/**
 * One connection to a cluster for one command: the KafkaJS client, a connected admin,
 * and `run`, which bounds every call by --timeout and translates its failure. The
 * topic, group, producer and consumer adapters are built on it.
 */
export class KafkaSession {
  private constructor(
    readonly kafka: Kafka,
    readonly admin: Admin,
    readonly settings: ConnectionSettings,
  ) {}

  static async open(settings: ConnectionSettings, debug?: LogSink): Promise<KafkaSession> {
    const kafka = await createKafka(settings, debug);
    const session = new KafkaSession(kafka, kafka.admin(), settings);
    await session.run('connect to the cluster', () => session.admin.connect());
    return session;
  }

  /** `needs`: the right the work takes, so that an ACL refusal names it. */
  async run<T>(action: string, work: () => Promise<T>, timeoutMs = this.settings.timeoutMs, needs?: AccessNeed): Promise<T> {
    const ctx = failureContext(this.settings, action, needs);
    const timeout = (): IotmsgError =>
      new UnavailableError(`cannot reach Kafka at ${this.settings.brokers.join(',')} within ${timeoutMs / 1000}s (trying to ${action})`, {
        hint: 'is the cluster running? Start one with "iotmsg deploy --env dev", or check --bootstrap-server / KAFKA_BROKERS; raise --timeout for a slow network',
      });
    try {
      return await withDeadline(work(), timeoutMs, timeout);
    } catch (error) {
      throw (await explainClosedConnection(error, ctx)) ?? translateKafkaError(error, ctx);
    }
  }

  async close(): Promise<void> {
    await this.admin.disconnect().catch(() => {});
  }
}
