import { readFileSync } from 'node:fs';
import type { Kafka, KafkaConfig, SASLOptions } from 'kafkajs';
import type { ConnectionSettings } from '../../core/config/settings.js';
import { ConfigError } from '../../core/errors.js';

export type LogSink = (message: string) => void;

/** KafkaJS is loaded only by commands that talk to the cluster: `--help` stays fast. */
export async function createKafka(settings: ConnectionSettings, debug?: LogSink): Promise<Kafka> {
  const kafkajs = await import('kafkajs');
  const { Kafka: KafkaClass, logLevel } = kafkajs.default ?? kafkajs;
  const { registerCompressionCodecs } = await import('./compression.js');
  await registerCompressionCodecs(kafkajs.default ?? kafkajs);
  return new KafkaClass({
    ...kafkaConfig(settings),
    logLevel: debug ? logLevel.INFO : logLevel.NOTHING,
    logCreator: () => (entry) => debug?.(`kafkajs ${entry.namespace}: ${entry.log.message}`),
  });
}

/**
 * The client configuration for the resolved settings. Retries are kept short so a failure
 * surfaces within --timeout instead of after KafkaJS's default retry storm.
 */
export function kafkaConfig(settings: ConnectionSettings): KafkaConfig {
  const connectionTimeout = Math.min(3_000, settings.timeoutMs);
  return {
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout,
    requestTimeout: settings.timeoutMs,
    authenticationTimeout: connectionTimeout,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
    ssl: settings.tls
      ? {
          rejectUnauthorized: settings.tls.rejectUnauthorized,
          ca: settings.tls.caFile ? [readPem(settings.tls.caFile)] : undefined,
          cert: settings.tls.certFile ? readPem(settings.tls.certFile) : undefined,
          key: settings.tls.keyFile ? readPem(settings.tls.keyFile) : undefined,
        }
      : false,
    sasl: settings.sasl ? saslOptions(settings.sasl) : undefined,
  };
}

function saslOptions(sasl: NonNullable<ConnectionSettings['sasl']>): SASLOptions {
  return { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions;
}

function readPem(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read TLS file ${file}: ${(error as Error).message}`, { cause: error });
  }
}
