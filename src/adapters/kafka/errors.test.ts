import { describe, expect, it } from 'vitest';
import { AuthError, ConfigError, UnavailableError } from '../../core/errors.js';
import { translateKafkaError, type FailureContext } from './errors.js';

/** Error chains as KafkaJS 2.2.4 reported them against a real secured broker (name, code, broker, message). */
const retries = (cause: object) => ({ name: 'KafkaJSNumberOfRetriesExceeded', message: 'retries exceeded', cause });
const connection = (code: string | undefined, message: string) => retries({ name: 'KafkaJSConnectionError', code, broker: 'b1:9093', message: `Connection error: ${message}` });
const ctx: FailureContext = { brokers: ['b1:9093'], action: 'list topics', saslUsername: 'svc', saslMechanism: 'SCRAM-SHA-512', tls: true };

describe('translateKafkaError for secured connections', () => {
  it.each([
    [
      { name: 'KafkaJSSASLAuthenticationError', message: 'SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512' },
      AuthError,
      'authentication failed for user svc with SCRAM-SHA-512 at b1:9093',
    ],
    [connection('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established'), UnavailableError, 'b1:9093 does not speak TLS: it looks like a PLAINTEXT or SASL_PLAINTEXT listener'],
    [connection('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), ConfigError, 'the TLS certificate of b1:9093 is signed by an untrusted CA'],
    [connection('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), ConfigError, 'the TLS certificate of b1:9093 does not name that host'],
    [connection('CERT_HAS_EXPIRED', 'certificate has expired'), ConfigError, 'the TLS certificate of b1:9093 has expired'],
    [connection('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'sslv3 alert bad certificate'), AuthError, "b1:9093 refused this client's TLS certificate (the listener wants mutual TLS)"],
  ])('%#', (error, type, message) => {
    const translated = translateKafkaError(error, ctx);
    expect(translated).toBeInstanceOf(type);
    expect(translated.message).toBe(message);
  });

  it('a connection refused on a plaintext client is still "cannot reach"', () => {
    const translated = translateKafkaError(connection('ECONNREFUSED', 'connect ECONNREFUSED'), { ...ctx, tls: false });
    expect(translated).toBeInstanceOf(UnavailableError);
    expect(translated.message).toBe('cannot reach Kafka at b1:9093: connection refused');
  });
});
