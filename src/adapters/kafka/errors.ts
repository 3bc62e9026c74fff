import { AuthError, IotmsgError, OperationError, UnavailableError } from '../../core/errors.js';

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

export interface FailureContext {
  brokers: readonly string[];
  /** What we were doing, e.g. "list topics". */
  action: string;
  saslUsername?: string;
}

const reachHint = 'is the cluster running? Start one with "iotmsg deploy --env dev", or check --bootstrap-server / KAFKA_BROKERS';

const BROKER_ERRORS: Record<string, Translate> = {
  TOPIC_AUTHORIZATION_FAILED: (m, c) => new AuthError(`not authorised to ${c.action}: ${m}`, { hint: 'ask for the topic ACLs this needs' }),
  CLUSTER_AUTHORIZATION_FAILED: (m, c) => new AuthError(`not authorised to ${c.action}: ${m}`, { hint: 'this needs cluster-level ACLs' }),
  GROUP_AUTHORIZATION_FAILED: (m, c) => new AuthError(`not authorised to ${c.action}: ${m}`),
  SASL_AUTHENTICATION_FAILED: (_m, c) =>
    new AuthError(`Kafka refused the SASL credentials${c.saslUsername ? ` of "${c.saslUsername}"` : ''}`, {
      hint: 'check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM',
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
