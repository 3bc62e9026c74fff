import { parseDuration } from '../duration.js';
import { ConfigError, UsageError } from '../errors.js';

/**
 * Connection settings resolve, per setting, as: flag > environment variable > the selected
 * environment of topics.yaml > built-in default. Each resolved value remembers its origin
 * so `iotmsg config show` can say where it came from.
 */
export type SettingSource = 'flag' | 'env' | 'project' | 'default';

export interface Origin {
  source: SettingSource;
  /** The flag, variable or file location that supplied the value. */
  from: string;
}

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface SaslSettings {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

export interface TlsSettings {
  caFile: string | undefined;
  /** Client certificate and key for mutual TLS. */
  certFile: string | undefined;
  keyFile: string | undefined;
  rejectUnauthorized: boolean;
}

export interface RegistrySettings {
  url: string;
  username: string | undefined;
  password: string | undefined;
  /** PEM bundle of the CAs to trust for an https registry; the system's CAs when absent. */
  caFile?: string;
}

export interface ConnectionSettings {
  env: string | undefined;
  brokers: string[];
  clientId: string;
  timeoutMs: number;
  /** undefined means plaintext. */
  tls: TlsSettings | undefined;
  sasl: SaslSettings | undefined;
  schemaRegistry: RegistrySettings;
}

export interface ConnectionFlags {
  bootstrapServer?: string;
  schemaRegistry?: string;
  env?: string;
  clientId?: string;
  timeout?: string;
}

export interface ProjectConnection {
  /** Where these values are written, e.g. "topics.yaml (environments.dev)". */
  location: string;
  brokers: string[] | undefined;
  schemaRegistry: string | undefined;
}

export interface SettingsInput {
  flags: ConnectionFlags;
  environment: Readonly<Record<string, string | undefined>>;
  /** The selected environment of the project file, when there is one. */
  project: ProjectConnection | undefined;
}

export interface ResolvedSettings {
  settings: ConnectionSettings;
  origins: Record<string, Origin>;
}

export const DEFAULTS = {
  brokers: ['localhost:9092'],
  clientId: 'iotmsg',
  timeoutMs: 10_000,
  schemaRegistryUrl: 'http://localhost:8081',
} as const;

/** Environment variables read by iotmsg, as the platform's services already use them. */
export const ENV_VARS = {
  env: 'IOTMSG_ENV',
  timeout: 'IOTMSG_TIMEOUT',
  brokers: 'KAFKA_BROKERS',
  clientId: 'KAFKA_CLIENT_ID',
  ssl: 'KAFKA_SSL',
  sslCaFile: 'KAFKA_SSL_CA_FILE',
  sslCertFile: 'KAFKA_SSL_CERT_FILE',
  sslKeyFile: 'KAFKA_SSL_KEY_FILE',
  sslRejectUnauthorized: 'KAFKA_SSL_REJECT_UNAUTHORIZED',
  saslMechanism: 'KAFKA_SASL_MECHANISM',
  saslUsername: 'KAFKA_SASL_USERNAME',
  saslPassword: 'KAFKA_SASL_PASSWORD',
  registryUrl: 'SCHEMA_REGISTRY_URL',
  registryUsername: 'SCHEMA_REGISTRY_USERNAME',
  registryPassword: 'SCHEMA_REGISTRY_PASSWORD',
} as const;

type Candidate<T> = { value: T | undefined; origin: Origin };

function firstDefined<T>(name: string, origins: Record<string, Origin>, ...candidates: Candidate<T>[]): T | undefined {
  for (const c of candidates) {
    if (c.value !== undefined) {
      origins[name] = c.origin;
      return c.value;
    }
  }
  return undefined;
}

const flag = (from: string): Origin => ({ source: 'flag', from });
const env = (from: string): Origin => ({ source: 'env', from });
const byDefault: Origin = { source: 'default', from: 'built-in default' };

/** Picks the environment name only: needed before the project file can be read. */
export function selectedEnvName(flags: ConnectionFlags, environment: SettingsInput['environment']): string | undefined {
  return nonEmpty(flags.env) ?? nonEmpty(environment[ENV_VARS.env]);
}

export function resolveSettings(input: SettingsInput): ResolvedSettings {
  const { flags, environment: e, project } = input;
  const origins: Record<string, Origin> = {};
  const projectOrigin: Origin = { source: 'project', from: project?.location ?? '' };

  const envName = firstDefined('env', origins, { value: nonEmpty(flags.env), origin: flag('--env') }, { value: nonEmpty(e[ENV_VARS.env]), origin: env(ENV_VARS.env) });

  const brokers = firstDefined<string[]>(
    'brokers',
    origins,
    { value: listOf(flags.bootstrapServer), origin: flag('--bootstrap-server') },
    { value: listOf(e[ENV_VARS.brokers]), origin: env(ENV_VARS.brokers) },
    { value: project?.brokers?.length ? project.brokers : undefined, origin: projectOrigin },
    { value: [...DEFAULTS.brokers], origin: byDefault },
  )!;
  brokers.forEach(assertBrokerAddress);

  const clientId = firstDefined<string>(
    'clientId',
    origins,
    { value: nonEmpty(flags.clientId), origin: flag('--client-id') },
    { value: nonEmpty(e[ENV_VARS.clientId]), origin: env(ENV_VARS.clientId) },
    { value: DEFAULTS.clientId, origin: byDefault },
  )!;

  const timeoutMs = firstDefined<number>(
    'timeout',
    origins,
    { value: flags.timeout === undefined ? undefined : parseTimeout(flags.timeout, '--timeout'), origin: flag('--timeout') },
    { value: nonEmpty(e[ENV_VARS.timeout]) === undefined ? undefined : parseTimeout(e[ENV_VARS.timeout]!, ENV_VARS.timeout), origin: env(ENV_VARS.timeout) },
    { value: DEFAULTS.timeoutMs, origin: byDefault },
  )!;

  const registryUrl = firstDefined<string>(
    'schemaRegistry.url',
    origins,
    { value: nonEmpty(flags.schemaRegistry), origin: flag('--schema-registry') },
    { value: nonEmpty(e[ENV_VARS.registryUrl]), origin: env(ENV_VARS.registryUrl) },
    { value: project?.schemaRegistry, origin: projectOrigin },
    { value: DEFAULTS.schemaRegistryUrl, origin: byDefault },
  )!;
  assertHttpUrl(registryUrl);

  return {
    settings: {
      env: envName,
      brokers,
      clientId,
      timeoutMs,
      tls: resolveTls(e, origins),
      sasl: resolveSasl(e, origins),
      schemaRegistry: {
        url: registryUrl.replace(/\/+$/, ''),
        username: fromEnv(e, ENV_VARS.registryUsername, 'schemaRegistry.username', origins),
        password: fromEnv(e, ENV_VARS.registryPassword, 'schemaRegistry.password', origins),
      },
    },
    origins,
  };
}

function fromEnv(e: SettingsInput['environment'], variable: string, name: string, origins: Record<string, Origin>): string | undefined {
  return firstDefined<string>(name, origins, { value: nonEmpty(e[variable]), origin: env(variable) });
}

function resolveTls(e: SettingsInput['environment'], origins: Record<string, Origin>): TlsSettings | undefined {
  const enabled = parseBoolean(e[ENV_VARS.ssl], ENV_VARS.ssl);
  if (enabled === undefined) {
    const related = [ENV_VARS.sslCaFile, ENV_VARS.sslCertFile, ENV_VARS.sslKeyFile].find((v) => nonEmpty(e[v]));
    if (related) throw new ConfigError(`${related} is set but ${ENV_VARS.ssl} is not`, { hint: `set ${ENV_VARS.ssl}=true to connect with TLS` });
  }
  if (!enabled) return undefined;
  origins.tls = env(ENV_VARS.ssl);
  const certFile = fromEnv(e, ENV_VARS.sslCertFile, 'tls.certFile', origins);
  const keyFile = fromEnv(e, ENV_VARS.sslKeyFile, 'tls.keyFile', origins);
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConfigError('mutual TLS needs both a client certificate and its key', {
      hint: `set both ${ENV_VARS.sslCertFile} and ${ENV_VARS.sslKeyFile}, or neither`,
    });
  }
  return {
    caFile: fromEnv(e, ENV_VARS.sslCaFile, 'tls.caFile', origins),
    certFile,
    keyFile,
    rejectUnauthorized: parseBoolean(e[ENV_VARS.sslRejectUnauthorized], ENV_VARS.sslRejectUnauthorized) ?? true,
  };
}

const SASL_MECHANISMS: readonly SaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512'];

function resolveSasl(e: SettingsInput['environment'], origins: Record<string, Origin>): SaslSettings | undefined {
  const raw = nonEmpty(e[ENV_VARS.saslMechanism]);
  if (raw === undefined) return undefined;
  const mechanism = raw.toLowerCase().replace(/_/g, '-') as SaslMechanism;
  if (!SASL_MECHANISMS.includes(mechanism)) {
    throw new ConfigError(`${ENV_VARS.saslMechanism}=${raw} is not a supported SASL mechanism`, { hint: `use one of ${SASL_MECHANISMS.join(', ')}` });
  }
  origins['sasl.mechanism'] = env(ENV_VARS.saslMechanism);
  const username = fromEnv(e, ENV_VARS.saslUsername, 'sasl.username', origins);
  const password = fromEnv(e, ENV_VARS.saslPassword, 'sasl.password', origins);
  if (username === undefined || password === undefined) {
    throw new ConfigError(`SASL ${mechanism} needs a username and a password`, { hint: `set ${ENV_VARS.saslUsername} and ${ENV_VARS.saslPassword}` });
  }
  return { mechanism, username, password };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function listOf(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
}

function assertBrokerAddress(address: string): void {
  const match = /^(\[[0-9a-fA-F:]+\]|[^:\s/]+):(\d{1,5})$/.exec(address);
  if (!match || Number(match[2]) > 65535) {
    throw new UsageError(`"${address}" is not a broker address`, { hint: 'write host:port, several separated by commas, e.g. localhost:9092' });
  }
}

function assertHttpUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
    throw new UsageError(`"${url}" is not a schema registry URL`, { hint: 'write an http:// or https:// URL, e.g. http://localhost:8081' });
  }
}

function parseBoolean(value: string | undefined, name: string): boolean | undefined {
  const v = nonEmpty(value)?.toLowerCase();
  if (v === undefined) return undefined;
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name}=${value} is not a boolean`, { hint: 'use true or false' });
}

/** "10s", "500ms", "1m"; a bare number means seconds, as with timeout(1). */
export function parseTimeout(value: string, name: string): number {
  const bareSeconds = /^\s*\d+(?:\.\d+)?\s*$/.test(value) ? Math.round(Number(value) * 1000) : undefined;
  const ms = bareSeconds ?? parseDuration(value);
  if (ms === undefined || ms <= 0) {
    throw new UsageError(`${name} "${value}" is not a duration`, { hint: 'write e.g. 10s, 500ms or 1m' });
  }
  return ms;
}

/** Settings safe to print: secrets replaced by a marker. */
export function redactSettings(settings: ConnectionSettings): ConnectionSettings {
  const hidden = (v: string | undefined) => (v === undefined ? undefined : '********');
  return {
    ...settings,
    sasl: settings.sasl && { ...settings.sasl, password: hidden(settings.sasl.password)! },
    schemaRegistry: { ...settings.schemaRegistry, password: hidden(settings.schemaRegistry.password) },
  };
}
