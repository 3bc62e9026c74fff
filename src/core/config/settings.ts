import { parseDuration } from '../duration.js';
import { ConfigError, UsageError } from '../errors.js';
import { layerOrigin, type ConnectionLayer, type LayerField, type Secret } from './layer.js';
import { usesTls, type EnvironmentSecurity, type RegistrySecurity, type SaslMechanismName, type SecretRef } from './security.js';

/**
 * Connection settings resolve, per setting, as: flag > environment variable > the
 * --command-config file > the --profile > the selected environment of topics.yaml > built-in default.
 * Each resolved value remembers its origin so `iotmsg config show` can say where it came from.
 */
export type SettingSource = 'flag' | 'env' | 'command-config' | 'profile' | 'project' | 'default';

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
  /** The CA file is a PKCS#12 trust store (Kafka's ssl.truststore.type=PKCS12), opened with caPassword. */
  caType?: 'PKCS12';
  caPassword?: string;
  /** Client certificate and key (PEM) for mutual TLS. */
  certFile: string | undefined;
  keyFile: string | undefined;
  /** A PKCS#12 store with the client certificate and key, instead of certFile/keyFile. */
  pfxFile?: string;
  /** Opens pfxFile, or an encrypted keyFile. */
  passphrase?: string;
  rejectUnauthorized: boolean;
  /** Check that the broker's certificate names the host connected to (when not false). */
  verifyHostname?: boolean;
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
  /** The environment's security block, paths already resolved against the project file. */
  security?: EnvironmentSecurity;
  registrySecurity?: Omit<RegistrySecurity, 'url'>;
}

export interface SettingsInput {
  flags: ConnectionFlags;
  environment: Readonly<Record<string, string | undefined>>;
  /** The --command-config file, read. */
  commandConfig?: ConnectionLayer;
  /** The --profile, read. */
  profile?: ConnectionLayer;
  /** The selected environment of the project file, when there is one. */
  project: ProjectConnection | undefined;
  /** Reads a secret the project file names; called only for the secrets that win. */
  readSecret?: (ref: SecretRef, what: string) => string;
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
  commandConfig: 'IOTMSG_COMMAND_CONFIG',
  profile: 'IOTMSG_PROFILE',
  brokers: 'KAFKA_BROKERS',
  clientId: 'KAFKA_CLIENT_ID',
  ssl: 'KAFKA_SSL',
  sslCaFile: 'KAFKA_SSL_CA_FILE',
  sslCertFile: 'KAFKA_SSL_CERT_FILE',
  sslKeyFile: 'KAFKA_SSL_KEY_FILE',
  sslRejectUnauthorized: 'KAFKA_SSL_REJECT_UNAUTHORIZED',
  sslVerifyHostname: 'KAFKA_SSL_VERIFY_HOSTNAME',
  saslMechanism: 'KAFKA_SASL_MECHANISM',
  saslUsername: 'KAFKA_SASL_USERNAME',
  saslPassword: 'KAFKA_SASL_PASSWORD',
  registryUrl: 'SCHEMA_REGISTRY_URL',
  registryUsername: 'SCHEMA_REGISTRY_USERNAME',
  registryPassword: 'SCHEMA_REGISTRY_PASSWORD',
  registryCaFile: 'SCHEMA_REGISTRY_CA_FILE',
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

/** --command-config, else IOTMSG_COMMAND_CONFIG. */
export function commandConfigPath(flagValue: string | undefined, environment: SettingsInput['environment']): string | undefined {
  return nonEmpty(flagValue) ?? nonEmpty(environment[ENV_VARS.commandConfig]);
}

/** --profile, else IOTMSG_PROFILE. */
export function profileName(flagValue: string | undefined, environment: SettingsInput['environment']): string | undefined {
  return nonEmpty(flagValue) ?? nonEmpty(environment[ENV_VARS.profile]);
}

/** The sources below flags and variables, highest first: the command config, the profile, then the project file. */
class Layers {
  private readonly layers: { layer: ConnectionLayer; source: SettingSource }[];

  constructor(input: SettingsInput) {
    this.layers = [];
    if (input.commandConfig) this.layers.push({ layer: input.commandConfig, source: 'command-config' });
    if (input.profile) this.layers.push({ layer: input.profile, source: 'profile' });
    if (input.project) this.layers.push({ layer: projectLayer(input.project, input.readSecret ?? refuseSecret), source: 'project' });
  }

  candidates<F extends LayerField>(field: F): Candidate<NonNullable<ConnectionLayer[F]> | null>[] {
    return this.layers.map(({ layer, source }) => ({
      value: layer[field] as NonNullable<ConnectionLayer[F]> | null | undefined,
      origin: { source, from: layerOrigin(layer, field) },
    }));
  }
}

function refuseSecret(): string {
  throw new ConfigError('the project file names a secret but nothing can read it');
}

export function resolveSettings(input: SettingsInput): ResolvedSettings {
  const { flags, environment: e } = input;
  const origins: Record<string, Origin> = {};
  const layers = new Layers(input);

  const envName = firstDefined('env', origins, { value: nonEmpty(flags.env), origin: flag('--env') }, { value: nonEmpty(e[ENV_VARS.env]), origin: env(ENV_VARS.env) });

  const brokers = firstDefined<string[] | null>(
    'brokers',
    origins,
    { value: listOf(flags.bootstrapServer), origin: flag('--bootstrap-server') },
    { value: listOf(e[ENV_VARS.brokers]), origin: env(ENV_VARS.brokers) },
    ...layers.candidates('brokers').map((c) => ({ ...c, value: c.value?.length ? c.value : undefined })),
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

  const registryUrl = firstDefined<string | null>(
    'schemaRegistry.url',
    origins,
    { value: nonEmpty(flags.schemaRegistry), origin: flag('--schema-registry') },
    { value: nonEmpty(e[ENV_VARS.registryUrl]), origin: env(ENV_VARS.registryUrl) },
    ...layers.candidates('registryUrl'),
    { value: DEFAULTS.schemaRegistryUrl, origin: byDefault },
  ) as string;
  assertHttpUrl(registryUrl);

  const secret = (name: string, variable: string, field: 'registryPassword'): string | undefined =>
    firstDefined<Secret | null>(name, origins, { value: envSecret(e, variable), origin: env(variable) }, ...layers.candidates(field))?.();
  const registryUsername = fromLayers<string>(e, ENV_VARS.registryUsername, 'schemaRegistry.username', origins, layers, 'registryUsername');
  const registryCaFile = fromLayers<string>(e, ENV_VARS.registryCaFile, 'schemaRegistry.caFile', origins, layers, 'registryCaFile');
  const registry: RegistrySettings = {
    url: registryUrl.replace(/\/+$/, ''),
    username: registryUsername,
    password: secret('schemaRegistry.password', ENV_VARS.registryPassword, 'registryPassword'),
  };
  if (registryCaFile !== undefined) registry.caFile = registryCaFile;

  return {
    settings: { env: envName, brokers, clientId, timeoutMs, tls: resolveTls(e, origins, layers), sasl: resolveSasl(e, origins, layers), schemaRegistry: registry },
    origins,
  };
}

function envSecret(e: SettingsInput['environment'], variable: string): Secret | undefined {
  const value = nonEmpty(e[variable]);
  return value === undefined ? undefined : () => value;
}

/** A setting a variable or one of the layers gives; null (a layer saying "none") counts as unset. */
function fromLayers<T>(
  e: SettingsInput['environment'],
  variable: string | undefined,
  name: string,
  origins: Record<string, Origin>,
  layers: Layers,
  field: LayerField,
  parse: (raw: string) => T = (raw) => raw as T,
): T | undefined {
  const raw = variable === undefined ? undefined : nonEmpty(e[variable]);
  const value = firstDefined<T | null>(
    name,
    origins,
    { value: raw === undefined ? undefined : parse(raw), origin: env(variable ?? '') },
    ...(layers.candidates(field) as Candidate<T | null>[]),
  );
  return value ?? undefined;
}

function resolveTls(e: SettingsInput['environment'], origins: Record<string, Origin>, layers: Layers): TlsSettings | undefined {
  const enabled = fromLayers<boolean>(e, ENV_VARS.ssl, 'tls', origins, layers, 'tls', (raw) => parseBoolean(raw, ENV_VARS.ssl)!);
  if (enabled === undefined) {
    const related = [ENV_VARS.sslCaFile, ENV_VARS.sslCertFile, ENV_VARS.sslKeyFile].find((v) => nonEmpty(e[v]));
    if (related) throw new ConfigError(`${related} is set but ${ENV_VARS.ssl} is not`, { hint: `set ${ENV_VARS.ssl}=true to connect with TLS` });
  }
  if (!enabled) {
    delete origins.tls;
    return undefined;
  }
  const file = (variable: string | undefined, name: string, field: LayerField) => fromLayers<string>(e, variable, name, origins, layers, field);
  const secret = (name: string, field: LayerField) => fromLayers<Secret>(e, undefined, name, origins, layers, field)?.();
  const certFile = file(ENV_VARS.sslCertFile, 'tls.certFile', 'certFile');
  const keyFile = file(ENV_VARS.sslKeyFile, 'tls.keyFile', 'keyFile');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConfigError('mutual TLS needs both a client certificate and its key', {
      hint: `set both ${ENV_VARS.sslCertFile} and ${ENV_VARS.sslKeyFile}, or neither`,
    });
  }
  const tls: TlsSettings = {
    caFile: file(ENV_VARS.sslCaFile, 'tls.caFile', 'caFile'),
    certFile,
    keyFile,
    rejectUnauthorized: parseBoolean(e[ENV_VARS.sslRejectUnauthorized], ENV_VARS.sslRejectUnauthorized) ?? true,
    verifyHostname: fromLayers<boolean>(e, ENV_VARS.sslVerifyHostname, 'tls.verifyHostname', origins, layers, 'verifyHostname', (raw) => parseBoolean(raw, ENV_VARS.sslVerifyHostname)!) ?? true,
  };
  // A CA type only means something for the CA file it came with.
  if (tls.caFile !== undefined && origins['tls.caFile']?.source !== 'env') {
    const caType = fromLayers<'PEM' | 'PKCS12'>(e, undefined, 'tls.caType', origins, layers, 'caType');
    if (caType === 'PKCS12') {
      tls.caType = caType;
      const caPassword = secret('tls.caPassword', 'caPassword');
      if (caPassword !== undefined) tls.caPassword = caPassword;
    }
  }
  const pfxFile = certFile === undefined ? file(undefined, 'tls.keystoreFile', 'keystoreFile') : undefined;
  if (pfxFile !== undefined) tls.pfxFile = pfxFile;
  const passphrase = pfxFile !== undefined ? secret('tls.keystorePassword', 'keystorePassword') : keyFile !== undefined ? secret('tls.keyPassword', 'keyPassword') : undefined;
  if (passphrase !== undefined) tls.passphrase = passphrase;
  return tls;
}

const SASL_MECHANISMS: readonly SaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512'];

function resolveSasl(e: SettingsInput['environment'], origins: Record<string, Origin>, layers: Layers): SaslSettings | undefined {
  const mechanism = fromLayers<SaslMechanism>(e, ENV_VARS.saslMechanism, 'sasl.mechanism', origins, layers, 'saslMechanism', (raw) => {
    const parsed = raw.toLowerCase().replace(/_/g, '-') as SaslMechanism;
    if (!SASL_MECHANISMS.includes(parsed)) {
      throw new ConfigError(`${ENV_VARS.saslMechanism}=${raw} is not a supported SASL mechanism`, { hint: `use one of ${SASL_MECHANISMS.join(', ')}` });
    }
    return parsed;
  });
  if (mechanism === undefined) {
    delete origins['sasl.mechanism'];
    return undefined;
  }
  const username = fromLayers<string>(e, ENV_VARS.saslUsername, 'sasl.username', origins, layers, 'saslUsername');
  const password = firstDefined<Secret | null>('sasl.password', origins, { value: envSecret(e, ENV_VARS.saslPassword), origin: env(ENV_VARS.saslPassword) }, ...layers.candidates('saslPassword'));
  if (username === undefined || !password) {
    throw new ConfigError(`SASL ${mechanism} needs a username and a password`, { hint: `set ${ENV_VARS.saslUsername} and ${ENV_VARS.saslPassword}` });
  }
  return { mechanism, username, password: password() };
}

const MECHANISM_OF: Record<SaslMechanismName, SaslMechanism> = { PLAIN: 'plain', 'SCRAM-SHA-256': 'scram-sha-256', 'SCRAM-SHA-512': 'scram-sha-512' };

/** The project file's environment as a layer; its secrets are read only if they win. */
function projectLayer(project: ProjectConnection, readSecret: (ref: SecretRef, what: string) => string): ConnectionLayer {
  const layer: ConnectionLayer = { location: project.location };
  if (project.brokers !== undefined) layer.brokers = project.brokers;
  if (project.schemaRegistry !== undefined) layer.registryUrl = project.schemaRegistry;
  const registry = project.registrySecurity;
  if (registry?.username !== undefined) layer.registryUsername = registry.username;
  if (registry?.password !== undefined) layer.registryPassword = () => readSecret(registry.password!, 'the schema registry password');
  if (registry?.caFile !== undefined) layer.registryCaFile = registry.caFile;
  const security = project.security;
  if (security === undefined) return layer;
  layer.tls = usesTls(security.protocol);
  const { sasl, tls } = security;
  layer.saslMechanism = sasl === undefined ? null : MECHANISM_OF[sasl.mechanism];
  if (sasl !== undefined) {
    layer.saslUsername = sasl.username;
    layer.saslPassword = () => readSecret(sasl.password, `the SASL password of ${sasl.username}`);
  }
  if (tls !== undefined) {
    layer.verifyHostname = tls.verifyHostname;
    for (const key of ['caFile', 'certFile', 'keyFile', 'keystoreFile'] as const) {
      if (tls[key] !== undefined) layer[key] = tls[key];
    }
    if (tls.keystorePassword !== undefined) layer.keystorePassword = () => readSecret(tls.keystorePassword!, 'the keystore password');
  }
  return layer;
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
  const tls = settings.tls && { ...settings.tls };
  if (tls?.passphrase !== undefined) tls.passphrase = hidden(tls.passphrase);
  if (tls?.caPassword !== undefined) tls.caPassword = hidden(tls.caPassword);
  return {
    ...settings,
    tls,
    sasl: settings.sasl && { ...settings.sasl, password: hidden(settings.sasl.password)! },
    schemaRegistry: { ...settings.schemaRegistry, password: hidden(settings.schemaRegistry.password) },
  };
}
