import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { Kafka, KafkaConfig, SASLOptions } from 'kafkajs';
import type { ConnectionSettings, TlsSettings } from '../../core/config/settings.js';
import { ConfigError } from '../../core/errors.js';
import { reason } from '../secrets.js';

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
    ssl: settings.tls ? tlsOptions(settings.tls) : false,
    sasl: settings.sasl ? saslOptions(settings.sasl) : undefined,
  };
}

/** Node TLS options for the settings; every file is read now, so a bad path fails before any connection. */
export function tlsOptions(tls: TlsSettings): ConnectionOptions {
  const options: ConnectionOptions = { rejectUnauthorized: tls.rejectUnauthorized };
  if (tls.caFile) options.ca = tls.caType === 'PKCS12' ? pkcs12Certificates(tls.caFile, tls.caPassword) : [readTlsFile(tls.caFile, 'CA')];
  if (tls.certFile) options.cert = readTlsFile(tls.certFile, 'client certificate');
  if (tls.keyFile) options.key = readTlsFile(tls.keyFile, 'client key');
  if (tls.pfxFile) options.pfx = readTlsFile(tls.pfxFile, 'PKCS#12 keystore', null);
  if (tls.passphrase !== undefined) options.passphrase = tls.passphrase;
  // ssl.endpoint.identification.algorithm= (empty): the chain is still checked, the name is not.
  if (tls.verifyHostname === false) options.checkServerIdentity = () => undefined;
  return options;
}

function saslOptions(sasl: NonNullable<ConnectionSettings['sasl']>): SASLOptions {
  return { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions;
}

function readTlsFile(file: string, what: string): string;
function readTlsFile(file: string, what: string, encoding: null): Buffer;
function readTlsFile(file: string, what: string, encoding: 'utf8' | null = 'utf8'): string | Buffer {
  try {
    return encoding === null ? readFileSync(file) : readFileSync(file, encoding);
  } catch (error) {
    throw new ConfigError(`cannot read the TLS ${what} file ${file}: ${reason(error)}`, { hint: 'check the path and that it is readable by you', cause: error });
  }
}

/**
 * The certificates of a PKCS#12 trust store as PEM. Node's `pfx` wants a private key, which
 * a trust store has none of, so openssl unpacks it; the password goes through the
 * environment, never the command line (which `ps` shows).
 */
function pkcs12Certificates(file: string, password: string | undefined): string[] {
  readTlsFile(file, 'trust store', null);
  try {
    const pem = execFileSync('openssl', ['pkcs12', '-in', file, '-nokeys', '-passin', 'env:IOTMSG_TRUSTSTORE_PASSWORD'], {
      env: { ...process.env, IOTMSG_TRUSTSTORE_PASSWORD: password ?? '' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const certificates = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (certificates.length === 0) throw new Error('no certificates in it');
    return certificates;
  } catch (error) {
    throw new ConfigError(`cannot open the PKCS#12 trust store ${file}: wrong password or not a PKCS#12 file`, { hint: 'check ssl.truststore.password, or use a PEM CA file', cause: error });
  }
}
