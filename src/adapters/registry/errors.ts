import {
  AuthError,
  IncompatibleSchemaError,
  InputError,
  InterruptedError,
  IotmsgError,
  OperationError,
  UnavailableError,
} from '../../core/errors.js';
import { tlsReason } from '../socketErrors.js';

/**
 * Registry failures translated into iotmsg errors, one table keyed by the
 * Confluent error code, then by HTTP status, so every command words a failure
 * the same way. Apicurio's ccompat API answers with the same codes, except
 * error_code 0 on a 409, which the status still classifies.
 */

export interface RegistryFailureContext {
  url: string;
  /** The basic-auth user the request was sent as (never the password). */
  username?: string;
  /** What we were doing, e.g. "register a schema for sensor-data-value". */
  action: string;
  subject?: string;
  version?: number | 'latest';
}

/** The body a registry sends with an error. */
export interface RegistryErrorBody {
  error_code?: number;
  message?: string;
}

/** A refusal by the compatibility check, with the registry's reasons (one line each). */
export class RegistryIncompatibleError extends IncompatibleSchemaError {
  constructor(
    message: string,
    readonly reasons: string[],
    details?: { hint?: string; cause?: unknown },
  ) {
    super(message, details);
  }
}

type Translate = (message: string, ctx: RegistryFailureContext) => IotmsgError;

const subjectLabel = (ctx: RegistryFailureContext) => `subject "${ctx.subject ?? '?'}"`;
const apiBaseHint = 'the URL must be the registry API base, e.g. http://localhost:8081 (Confluent) or http://localhost:8081/apis/ccompat/v7 (Apicurio)';

const BY_ERROR_CODE: Record<number, Translate> = {
  40401: (_m, c) => new OperationError(`cannot ${c.action}: ${subjectLabel(c)} not found`, { hint: 'list subjects with "iotmsg schema list"' }),
  40402: (_m, c) =>
    c.version === 'latest'
      ? new OperationError(`cannot ${c.action}: ${subjectLabel(c)} not found or has no versions`, { hint: 'list subjects with "iotmsg schema list"' })
      : new OperationError(`cannot ${c.action}: ${subjectLabel(c)} has no version ${c.version ?? ''}`.trimEnd(), {
          hint: `list its versions with "iotmsg schema versions ${c.subject ?? '<subject>'}"`,
        }),
  40403: (_m, c) => new OperationError(`cannot ${c.action}: the schema is not registered`),
  40404: (_m, c) => new OperationError(`cannot ${c.action}: ${subjectLabel(c)} was soft-deleted`, { hint: 'register it again, or delete it for good with --permanent' }),
  40405: (_m, c) => new OperationError(`cannot ${c.action}: ${subjectLabel(c)} must be soft-deleted before it is deleted permanently`),
  40406: (_m, c) => new OperationError(`cannot ${c.action}: version ${c.version ?? ''} of ${subjectLabel(c)} was soft-deleted`),
  40407: (_m, c) => new OperationError(`cannot ${c.action}: version ${c.version ?? ''} of ${subjectLabel(c)} must be soft-deleted first`),
  42201: (m, c) => new InputError(`cannot ${c.action}: the registry says the schema is invalid: ${m}`, { hint: 'run "iotmsg validate" to check the .avsc files' }),
  42202: (m, c) => new InputError(`cannot ${c.action}: invalid version: ${m}`),
  42203: (m, c) => new InputError(`cannot ${c.action}: invalid compatibility level: ${m}`),
};

function byStatus(status: number, message: string, ctx: RegistryFailureContext): IotmsgError {
  const auth = authFailure(status, ctx);
  if (auth) return auth;
  if (status === 404) return new OperationError(`cannot ${ctx.action}: ${ctx.url} answered 404 not found (${message})`, { hint: apiBaseHint });
  if (status === 409) return new RegistryIncompatibleError(`the registry refused to ${ctx.action}: the schema is incompatible`, [message]);
  if (status === 422) return new InputError(`cannot ${ctx.action}: the registry rejected the request as invalid: ${message}`);
  if (status === 502 || status === 503 || status === 504) {
    return new UnavailableError(`the schema registry at ${ctx.url} is unavailable (${status}) while trying to ${ctx.action}`, { hint: 'retry in a moment' });
  }
  return new OperationError(`cannot ${ctx.action}: the registry answered ${status}: ${message}`);
}

/** A 401 or 403 of the registry, naming the URL and the user (never the password). */
export function authFailure(status: number, ctx: RegistryFailureContext): AuthError | undefined {
  const user = ctx.username === undefined ? undefined : `user "${ctx.username}"`;
  if (status === 401) {
    return user
      ? new AuthError(`the schema registry at ${ctx.url} refused the credentials of ${user} (401)`, { hint: 'check SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD' })
      : new AuthError(`the schema registry at ${ctx.url} requires credentials (401)`, { hint: 'set SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD' });
  }
  if (status === 403) {
    return new AuthError(`${user ?? 'an anonymous user'} is not authorised to ${ctx.action} at ${ctx.url} (403)`, { hint: 'ask for the registry permissions this needs' });
  }
  return undefined;
}

/** The error for a registry answer that is not a success. */
export function translateRegistryResponse(status: number, body: RegistryErrorBody | undefined, ctx: RegistryFailureContext): IotmsgError {
  const message = (body?.message ?? '').split('\n')[0]!.slice(0, 300) || `HTTP ${status}`;
  const code = body?.error_code;
  // Auth and conflicts are decided by status: some registries send error_code 0 with them.
  const translate = status !== 401 && status !== 403 && status !== 409 && code !== undefined ? BY_ERROR_CODE[code] : undefined;
  return translate ? translate(message, ctx) : byStatus(status, message, ctx);
}

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed',
};

interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
}

/** A request that got no answer: refused, timed out (--timeout) or interrupted (Ctrl-C). */
export function translateRequestFailure(error: unknown, ctx: RegistryFailureContext & { timeoutMs: number; interrupted: boolean }): IotmsgError {
  if (error instanceof IotmsgError) return error;
  if (ctx.interrupted) return new InterruptedError(`interrupted while trying to ${ctx.action}`, { cause: error });
  const chain: ErrorShape[] = [];
  for (let current: unknown = error; typeof current === 'object' && current !== null && chain.length < 6; current = (current as ErrorShape).cause) {
    chain.push(current as ErrorShape);
  }
  if (chain.some((e) => e.name === 'TimeoutError')) {
    return new UnavailableError(`the schema registry at ${ctx.url} did not answer within ${ctx.timeoutMs / 1000}s (trying to ${ctx.action})`, {
      hint: 'is the URL right? raise --timeout for a slow network',
      cause: error,
    });
  }
  const tls = chain.map(tlsReason).find((r) => r !== undefined);
  if (tls) {
    return new UnavailableError(`cannot reach the schema registry at ${ctx.url}: ${tls}`, {
      hint: 'trust the CA that signed it (schema.registry.ssl.truststore.location, or the environment\'s registry CA file) and connect by a name the certificate holds',
      cause: error,
    });
  }
  const reason = chain.map((e) => (e.code === undefined ? undefined : CONNECTION_CODES[e.code])).find((r) => r !== undefined);
  return new UnavailableError(`cannot reach the schema registry at ${ctx.url}: ${reason ?? chain.at(-1)?.message ?? 'request failed'}`, {
    hint: 'is it running? Start one with "iotmsg deploy --env dev", or check --schema-registry / SCHEMA_REGISTRY_URL',
    cause: error,
  });
}
