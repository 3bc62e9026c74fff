import type { ConnectionSettings } from '../../core/config/settings.js';
import { AuthError, ConfigError, IotmsgError, OperationError, UnavailableError } from '../../core/errors.js';

/**
 * KafkaJS failures translated into iotmsg errors. Broker error types map through one table,
 * like KafkaJS's own protocol/error.js, so every command words a failure the same way.
 */
interface KafkaJsErrorShape {
  name?: string;
  type?: string;
  message?: string;
  retriable?: boolean;
  code?: string;
  cause?: unknown;
  originalError?: unknown;
  broker?: string;
}

type Translate = (message: string, ctx: FailureContext) => IotmsgError;

/** The right a request needs, as Kafka's ACLs name it: WRITE on topic "audit-logs". */
export interface AccessNeed {
  operation: 'READ' | 'WRITE' | 'CREATE' | 'DELETE' | 'ALTER' | 'DESCRIBE' | 'DESCRIBE_CONFIGS' | 'ALTER_CONFIGS';
  /** e.g. 'topic "audit-logs"', 'group "alerting"', 'the cluster'. */
  resource: string;
}

export interface FailureContext {
  brokers: readonly string[];
  /** What we were doing, e.g. "list topics". */
  action: string;
  /** Who the broker took us for, as a refusal names it: User:svc, or the client's certificate. */
  principal?: string;
  needs?: AccessNeed;
  saslUsername?: string;
  saslMechanism?: string;
  /** Whether the client spoke TLS: decides how a closed or reset connection is explained. */
  tls?: boolean;
}

function principalOf(settings: ConnectionSettings): string {
  if (settings.sasl) return `User:${settings.sasl.username}`;
  if (settings.tls?.certFile !== undefined || settings.tls?.pfxFile !== undefined) return "this client's certificate principal";
  return 'User:ANONYMOUS';
}

/** The facts a failure message needs from the settings (never the secrets). */
export function failureContext(settings: ConnectionSettings, action: string, needs?: AccessNeed): FailureContext {
  return {
    brokers: settings.brokers,
    action,
    principal: principalOf(settings),
    ...(needs ? { needs } : {}),
    saslUsername: settings.sasl?.username,
    saslMechanism: settings.sasl?.mechanism.toUpperCase(),
    tls: settings.tls !== undefined,
  };
}

/** An ACL refusal, naming who lacked which right on what: "User:sensor-gateway may not WRITE topic "audit-logs"". */
function refused(c: FailureContext): AuthError {
  const principal = c.principal ?? 'this client';
  if (!c.needs) return new AuthError(`${principal} may not ${c.action}`, { hint: 'the cluster\'s ACLs refuse it: see what is granted with "iotmsg access plan"' });
  return new AuthError(`${principal} may not ${c.needs.operation} ${c.needs.resource}`, {
    hint: `needed to ${c.action}; grant it in the access section of topics.yaml, or ask the cluster's admins`,
  });
}

const reachHint = 'is the cluster running? Start one with "iotmsg deploy --env dev", or check --bootstrap-server / KAFKA_BROKERS';

const BROKER_ERRORS: Record<string, Translate> = {
  TOPIC_AUTHORIZATION_FAILED: (_m, c) => refused(c),
  CLUSTER_AUTHORIZATION_FAILED: (_m, c) => refused(c),
  GROUP_AUTHORIZATION_FAILED: (_m, c) => refused(c),
  SASL_AUTHENTICATION_FAILED: (_m, c) =>
    new AuthError(`authentication failed for user ${c.saslUsername ?? '(none)'} with ${c.saslMechanism ?? 'SASL'} at ${c.brokers.join(',')}`, {
      hint: 'check the username, password and mechanism (config show says where each came from)',
    }),
  UNKNOWN_TOPIC_OR_PARTITION: (m, c) => new OperationError(`cannot ${c.action}: the topic does not exist (${m})`, { hint: 'list topics with "iotmsg topics list"' }),
  TOPIC_ALREADY_EXISTS: (m, c) => new OperationError(`cannot ${c.action}: ${m}`),
  INVALID_REPLICATION_FACTOR: (m, c) => new OperationError(`cannot ${c.action}: ${m}`, { hint: 'the replication factor cannot exceed the number of brokers' }),
  INVALID_PARTITIONS: (m, c) => new OperationError(`cannot ${c.action}: ${m}`),
  INVALID_CONFIG: (m, c) => new OperationError(`cannot ${c.action}: ${m}`),
  POLICY_VIOLATION: (m, c) => new OperationError(`cannot ${c.action}: the broker's topic policy refused it: ${m}`),
  INVALID_TOPIC_EXCEPTION: (m, c) => new OperationError(`cannot ${c.action}: ${m}`),
  NOT_CONTROLLER: (m, c) => new UnavailableError(`cannot ${c.action}: the controller moved (${m})`, { hint: 'retry in a moment' }),
  REQUEST_TIMED_OUT: (m, c) => new UnavailableError(`cannot ${c.action}: the broker timed out (${m})`, { hint: 'retry, or raise --timeout' }),
};

export function translateKafkaError(error: unknown, ctx: FailureContext): IotmsgError {
  if (error instanceof IotmsgError) return error;
  const chain = errorChain(error);
  const where = ctx.brokers.join(',');

  const sasl = chain.find((e) => e.name === 'KafkaJSSASLAuthenticationError');
  if (sasl) return BROKER_ERRORS.SASL_AUTHENTICATION_FAILED!(sasl.message ?? '', ctx);

  const typed = chain.find((e) => e.type !== undefined && BROKER_ERRORS[e.type] !== undefined);
  if (typed) {
    const translated = BROKER_ERRORS[typed.type!]!(typed.message ?? typed.type!, ctx);
    return withCause(translated, error);
  }

  const tls = tlsFailure(chain, ctx);
  if (tls) return withCause(tls, error);

  const connection = chain.find((e) => e.name === 'KafkaJSConnectionError' || e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT');
  if (connection) {
    return new UnavailableError(`cannot reach Kafka at ${where}: ${connectionReason(chain)}`, { hint: reachHint, cause: error });
  }
  if (chain.some((e) => e.name === 'KafkaJSRequestTimeoutError' || e.name === 'KafkaJSTimeout')) {
    return new UnavailableError(`Kafka at ${where} did not answer in time while trying to ${ctx.action}`, { hint: 'raise --timeout, or check the cluster with "iotmsg health"', cause: error });
  }
  const top = chain[0];
  return new OperationError(`cannot ${ctx.action}: ${top?.message ?? String(error)}`, { cause: error });
}

const untrustedHint = 'name the CA that signed the broker certificates: ssl.truststore.location, tls.caFile in topics.yaml or KAFKA_SSL_CA_FILE';

/** Certificate checks, by Node's error code (KafkaJS keeps it on its connection error). */
const TLS_ERRORS: Record<string, (where: string) => IotmsgError> = {
  CERT_HAS_EXPIRED: (w) => new ConfigError(`the TLS certificate of ${w} has expired`, { hint: "renew the broker's certificate" }),
  CERT_NOT_YET_VALID: (w) => new ConfigError(`the TLS certificate of ${w} is not valid yet`, { hint: 'check the clocks of this machine and the broker' }),
  ERR_TLS_CERT_ALTNAME_INVALID: (w) =>
    new ConfigError(`the TLS certificate of ${w} does not name that host`, {
      hint: 'connect by a name the certificate lists, or turn the check off with ssl.endpoint.identification.algorithm= (empty) / tls.verifyHostname: false',
    }),
  SELF_SIGNED_CERT_IN_CHAIN: (w) => new ConfigError(`the TLS certificate of ${w} is signed by an untrusted CA`, { hint: untrustedHint }),
  DEPTH_ZERO_SELF_SIGNED_CERT: (w) => new ConfigError(`the TLS certificate of ${w} is self-signed and not trusted`, { hint: untrustedHint }),
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: (w) => new ConfigError(`the TLS certificate of ${w} is signed by an untrusted CA`, { hint: untrustedHint }),
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: (w) => new ConfigError(`the TLS certificate of ${w} is signed by an untrusted CA`, { hint: untrustedHint }),
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: (w) => mtlsRefused(w),
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: (w) => mtlsRefused(w),
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: (w) => mtlsRefused(w),
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: (w) => mtlsRefused(w),
  ERR_SSL_WRONG_VERSION_NUMBER: (w) => notTls(w),
};

function mtlsRefused(where: string): AuthError {
  return new AuthError(`${where} refused this client's TLS certificate (the listener wants mutual TLS)`, {
    hint: 'give a client certificate its CA trusts: ssl.keystore.location, or tls.certFile + tls.keyFile / tls.keystoreFile',
  });
}

function notTls(where: string): UnavailableError {
  return new UnavailableError(`${where} does not speak TLS: it looks like a PLAINTEXT or SASL_PLAINTEXT listener`, {
    hint: 'use security.protocol PLAINTEXT or SASL_PLAINTEXT for this port, or the port of the TLS listener',
  });
}

function tlsFailure(chain: KafkaJsErrorShape[], ctx: FailureContext): IotmsgError | undefined {
  const broker = chain.find((e) => e.broker !== undefined)?.broker ?? ctx.brokers.join(',');
  for (const e of chain) {
    const byCode = e.code === undefined ? undefined : TLS_ERRORS[e.code];
    if (byCode) return byCode(broker);
    const message = e.message ?? '';
    if (ctx.tls && /before secure TLS connection was established|wrong version number/i.test(message)) return notTls(broker);
    if (/altnames/i.test(message)) return TLS_ERRORS.ERR_TLS_CERT_ALTNAME_INVALID!(broker);
    if (/certificate has expired/i.test(message)) return TLS_ERRORS.CERT_HAS_EXPIRED!(broker);
    if (/self[- ]signed certificate|unable to (get local issuer|verify the first) certificate/i.test(message)) return TLS_ERRORS.SELF_SIGNED_CERT_IN_CHAIN!(broker);
    if (/alert (bad certificate|certificate required|unknown ca)/i.test(message)) return mtlsRefused(broker);
  }
  return undefined;
}

/**
 * A broker that closes a plaintext connection after the first request usually expects TLS
 * (or SASL first). Which one is told apart by trying a TLS handshake with the same broker.
 */
export async function explainClosedConnection(error: unknown, ctx: FailureContext): Promise<IotmsgError | undefined> {
  if (ctx.tls) return undefined;
  const closed = errorChain(error).find((e) => e.name === 'KafkaJSConnectionClosedError');
  if (closed === undefined) return undefined;
  const broker = closed.broker ?? ctx.brokers[0];
  if (broker === undefined) return undefined;
  const answer = await tlsProbe(broker);
  if (answer === 'tls') {
    return new UnavailableError(`${broker} is a TLS listener and this client spoke PLAINTEXT to it`, {
      hint: 'connect with security.protocol SSL or SASL_SSL (--command-config, KAFKA_SSL=true or security.protocol in topics.yaml)',
      cause: error,
    });
  }
  // Listening, not TLS, and closing on a plaintext request: a SASL listener is the usual reason.
  if (answer === 'not-tls' && ctx.saslMechanism === undefined) {
    return new AuthError(`${broker} closed the connection: the listener probably wants SASL authentication`, {
      hint: 'connect with security.protocol SASL_PLAINTEXT and a sasl.mechanism, username and password',
      cause: error,
    });
  }
  return undefined;
}

/** Whether the broker completes a TLS handshake, refuses one, or cannot be reached at all (then nothing is guessed). */
async function tlsProbe(broker: string): Promise<'tls' | 'not-tls' | 'unreachable'> {
  const { connect } = await import('node:tls');
  const colon = broker.lastIndexOf(':');
  const host = broker.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(broker.slice(colon + 1));
  return new Promise((resolve) => {
    // Only the handshake matters here, not who the broker is: nothing is sent over it.
    const socket = connect({ host, port, rejectUnauthorized: false, servername: /^[\d.:]+$/.test(host) ? undefined : host });
    let connected = false;
    const done = (result: 'tls' | 'not-tls' | 'unreachable') => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => (connected = true));
    socket.setTimeout(2_000, () => done('unreachable'));
    socket.once('secureConnect', () => done('tls'));
    socket.once('error', () => done(connected ? 'not-tls' : 'unreachable'));
  });
}

function withCause(translated: IotmsgError, cause: unknown): IotmsgError {
  if (translated.cause === undefined) Object.defineProperty(translated, 'cause', { value: cause });
  return translated;
}

const STALE_METADATA_TYPES = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_CONTROLLER', 'NOT_LEADER_FOR_PARTITION']);

/**
 * Whether a failure may only mean that the metadata a client used was a moment old: a broker
 * that just stopped, a topic that not every broker knows of yet. Asking again can succeed.
 */
export function isStaleMetadataError(error: unknown): boolean {
  return error instanceof UnavailableError || errorChain(error).some((e) => e.type !== undefined && STALE_METADATA_TYPES.has(e.type));
}

function errorChain(error: unknown): KafkaJsErrorShape[] {
  const chain: KafkaJsErrorShape[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && chain.length < 8) {
    const shape = current as KafkaJsErrorShape;
    chain.push(shape);
    current = shape.originalError ?? shape.cause;
  }
  return chain;
}

function connectionReason(chain: KafkaJsErrorShape[]): string {
  const codes: Record<string, string> = { ECONNREFUSED: 'connection refused', ENOTFOUND: 'host not found', ETIMEDOUT: 'connection timed out', EHOSTUNREACH: 'host unreachable' };
  for (const e of chain) {
    if (e.code && codes[e.code]) return codes[e.code]!;
    const match = /\b(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH)\b/.exec(e.message ?? '');
    if (match) return codes[match[1]!]!;
  }
  return chain.find((e) => e.name === 'KafkaJSConnectionError')?.message ?? 'connection failed';
}

/** Rejects with an UnavailableError once `ms` have passed, whatever the client is still retrying. */
export async function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => IotmsgError): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
