import { ConfigError } from '../errors.js';
import type { ConnectionLayer, LayerField } from './layer.js';
import { parseProperties, PropertiesSyntaxError, type PropertyValue } from './properties.js';
import { SECURITY_PROTOCOLS, usesSasl, usesTls, type SecurityProtocol } from './security.js';
import type { SaslMechanism } from './settings.js';

/**
 * A Kafka client properties file, the one Kafka's own tools take with --command-config,
 * read into the settings iotmsg understands. Keys iotmsg has no use for (acks, linger.ms...)
 * are ignored as a Java client ignores unknown keys; a setting iotmsg cannot honour
 * (GSSAPI, a JKS store) is refused rather than silently dropped.
 *
 * Relative paths stay as written: Kafka's tools resolve them against the working directory.
 */
export function readCommandConfig(text: string, file: string): ConnectionLayer {
  let properties: Map<string, PropertyValue>;
  try {
    properties = parseProperties(text);
  } catch (error) {
    if (error instanceof PropertiesSyntaxError) throw new ConfigError(`${file}:${error.line}: ${error.message}`);
    throw error;
  }
  return new CommandConfigReader(properties, file).read();
}

const JAAS_MODULES: Record<string, 'plain' | 'scram'> = {
  'org.apache.kafka.common.security.plain.PlainLoginModule': 'plain',
  'org.apache.kafka.common.security.scram.ScramLoginModule': 'scram',
};

const SASL_MECHANISMS: Record<string, SaslMechanism> = { PLAIN: 'plain', 'SCRAM-SHA-256': 'scram-sha-256', 'SCRAM-SHA-512': 'scram-sha-512' };

export function keytoolConversionHint(store: string): string {
  const target = store.replace(/\.jks$/i, '') + '.p12';
  return `convert it to PKCS12: keytool -importkeystore -srckeystore ${store} -destkeystore ${target} -deststoretype PKCS12`;
}

class CommandConfigReader {
  private readonly layer: ConnectionLayer;
  private readonly where: Partial<Record<LayerField, string>> = {};

  constructor(
    private readonly properties: Map<string, PropertyValue>,
    private readonly file: string,
  ) {
    this.layer = { location: file, fieldLocation: this.where };
  }

  read(): ConnectionLayer {
    this.readBrokers();
    const protocol = this.readProtocol();
    if (protocol !== undefined) {
      this.set('tls', usesTls(protocol), 'security.protocol');
      if (!usesSasl(protocol)) this.set('saslMechanism', null, 'security.protocol');
    }
    if (protocol !== undefined && usesSasl(protocol)) this.readSasl();
    if (protocol === undefined || usesTls(protocol)) this.readTls();
    this.readRegistry();
    return this.layer;
  }

  private get(key: string): PropertyValue | undefined {
    const found = this.properties.get(key);
    return found === undefined || found.value.trim() === '' ? undefined : { value: found.value.trim(), line: found.line };
  }

  private at(key: string): string {
    const line = this.properties.get(key)?.line;
    return line === undefined ? this.file : `${this.file}:${line}`;
  }

  private fail(key: string, message: string, hint?: string): never {
    throw new ConfigError(`${this.at(key)}: ${message}`, { hint });
  }

  private set<F extends LayerField>(field: F, value: ConnectionLayer[F], key: string): void {
    this.layer[field] = value;
    this.where[field] = `${this.at(key)} (${key})`;
  }

  private readBrokers(): void {
    const servers = this.get('bootstrap.servers');
    if (servers === undefined) return;
    const list = servers.value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (list.length > 0) this.set('brokers', list, 'bootstrap.servers');
  }

  private readProtocol(): SecurityProtocol | undefined {
    const raw = this.get('security.protocol');
    if (raw === undefined) return undefined;
    const protocol = raw.value.toUpperCase();
    if (!(SECURITY_PROTOCOLS as readonly string[]).includes(protocol)) {
      this.fail('security.protocol', `security.protocol=${raw.value} is not a security protocol`, `use one of ${SECURITY_PROTOCOLS.join(', ')}`);
    }
    return protocol as SecurityProtocol;
  }

  private readSasl(): void {
    // Kafka's default mechanism is GSSAPI, which iotmsg does not speak: say so rather than guess.
    const raw = this.get('sasl.mechanism')?.value ?? 'GSSAPI';
    const mechanism = SASL_MECHANISMS[raw.toUpperCase()];
    if (mechanism === undefined) {
      this.fail(this.properties.has('sasl.mechanism') ? 'sasl.mechanism' : 'security.protocol', `sasl.mechanism=${raw} is not supported`, `iotmsg signs in with ${Object.keys(SASL_MECHANISMS).join(', ')}`);
    }
    this.set('saslMechanism', mechanism, this.properties.has('sasl.mechanism') ? 'sasl.mechanism' : 'security.protocol');
    const jaas = this.get('sasl.jaas.config');
    if (jaas === undefined) {
      this.fail('security.protocol', 'SASL needs sasl.jaas.config with a username and a password', `e.g. sasl.jaas.config=${exampleJaas(mechanism)}`);
    }
    const login = parseJaasConfig(jaas.value);
    if (login === undefined) {
      this.fail('sasl.jaas.config', 'sasl.jaas.config is not a JAAS login module entry', `write e.g. ${exampleJaas(mechanism)}`);
    }
    const kind = JAAS_MODULES[login.module];
    if (kind === undefined || kind !== (mechanism === 'plain' ? 'plain' : 'scram')) {
      this.fail('sasl.jaas.config', `${login.module} does not sign in with ${raw.toUpperCase()}`, `write ${exampleJaas(mechanism)}`);
    }
    const { username, password } = login.options;
    if (username === undefined || password === undefined) {
      this.fail('sasl.jaas.config', 'sasl.jaas.config needs both username="..." and password="..."');
    }
    this.set('saslUsername', username, 'sasl.jaas.config');
    this.set('saslPassword', () => password, 'sasl.jaas.config');
  }

  private readTls(): void {
    const endpoint = this.properties.get('ssl.endpoint.identification.algorithm');
    if (endpoint !== undefined) {
      const algorithm = endpoint.value.trim().toLowerCase();
      if (algorithm !== '' && algorithm !== 'https') {
        this.fail('ssl.endpoint.identification.algorithm', `ssl.endpoint.identification.algorithm=${endpoint.value} is not supported`, 'use https, or leave it empty to skip the host-name check');
      }
      this.set('verifyHostname', algorithm === 'https', 'ssl.endpoint.identification.algorithm');
    }
    const truststore = this.get('ssl.truststore.location');
    if (truststore !== undefined) {
      const type = this.storeType('ssl.truststore.type', truststore.value);
      this.set('caFile', truststore.value, 'ssl.truststore.location');
      if (type === 'PKCS12') {
        this.set('caType', 'PKCS12', 'ssl.truststore.type');
        const password = this.get('ssl.truststore.password');
        if (password !== undefined) this.set('caPassword', () => password.value, 'ssl.truststore.password');
      }
    }
    const keystore = this.get('ssl.keystore.location');
    if (keystore !== undefined) {
      const type = this.storeType('ssl.keystore.type', keystore.value);
      const keyPassword = this.get('ssl.key.password');
      if (type === 'PEM') {
        // Kafka's PEM keystore is one file holding the private key and the certificate chain.
        this.set('certFile', keystore.value, 'ssl.keystore.location');
        this.set('keyFile', keystore.value, 'ssl.keystore.location');
        if (keyPassword !== undefined) this.set('keyPassword', () => keyPassword.value, 'ssl.key.password');
      } else {
        this.set('keystoreFile', keystore.value, 'ssl.keystore.location');
        const password = this.get('ssl.keystore.password') ?? keyPassword;
        if (password !== undefined) this.set('keystorePassword', () => password.value, this.properties.has('ssl.keystore.password') ? 'ssl.keystore.password' : 'ssl.key.password');
      }
    }
  }

  /** ssl.*.type: JKS is Kafka's default but cannot be read outside the JVM. */
  private storeType(key: string, location: string): 'PEM' | 'PKCS12' {
    const raw = (this.get(key)?.value ?? (/\.(p12|pfx)$/i.test(location) ? 'PKCS12' : /\.(pem|crt)$/i.test(location) ? 'PEM' : 'JKS')).toUpperCase();
    if (raw === 'PEM' || raw === 'PKCS12') return raw;
    if (raw === 'JKS') this.fail(this.properties.has(key) ? key : key.replace(/\.type$/, '.location'), `${location} is a JKS store, which iotmsg cannot read`, keytoolConversionHint(location));
    return this.fail(key, `${key}=${raw} is not supported`, 'use PEM or PKCS12');
  }

  private readRegistry(): void {
    const url = this.get('schema.registry.url');
    if (url !== undefined) this.set('registryUrl', url.value.split(',')[0]!.trim(), 'schema.registry.url');
    const source = this.get('basic.auth.credentials.source')?.value.toUpperCase();
    const userInfoKey = ['basic.auth.user.info', 'schema.registry.basic.auth.user.info'].find((k) => this.get(k) !== undefined);
    if (userInfoKey !== undefined) {
      if (source !== undefined && source !== 'USER_INFO') {
        this.fail('basic.auth.credentials.source', `basic.auth.credentials.source=${source} is not supported`, 'use USER_INFO with basic.auth.user.info=<user>:<password>');
      }
      const info = this.get(userInfoKey)!.value;
      const colon = info.indexOf(':');
      if (colon <= 0) this.fail(userInfoKey, `${userInfoKey} must be <user>:<password>`);
      this.set('registryUsername', info.slice(0, colon), userInfoKey);
      this.set('registryPassword', () => info.slice(colon + 1), userInfoKey);
    }
    const truststore = this.get('schema.registry.ssl.truststore.location');
    if (truststore !== undefined) {
      const type = (this.get('schema.registry.ssl.truststore.type')?.value ?? 'PEM').toUpperCase();
      if (type !== 'PEM') {
        this.fail('schema.registry.ssl.truststore.type', `schema.registry.ssl.truststore.type=${type} is not supported for the registry`, type === 'JKS' ? keytoolConversionHint(truststore.value) + ', or point it at a PEM CA file' : 'point it at a PEM CA file with type PEM');
      }
      this.set('registryCaFile', truststore.value, 'schema.registry.ssl.truststore.location');
    }
  }
}

function exampleJaas(mechanism: SaslMechanism): string {
  const module = mechanism === 'plain' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule';
  return `${module} required username="alice" password="...";`;
}

export interface JaasLogin {
  module: string;
  flag: string;
  options: Record<string, string>;
}

/**
 * One JAAS login module entry, as Kafka's JaasConfig parses sasl.jaas.config:
 * `<class> <required|requisite|sufficient|optional> key=value ... ;` with values quoted
 * (a backslash escapes the next character) or bare.
 */
export function parseJaasConfig(text: string): JaasLogin | undefined {
  const tokens = jaasTokens(text.trim());
  if (tokens === undefined || tokens.length < 2) return undefined;
  const [module, flag, ...rest] = tokens;
  if (!['required', 'requisite', 'sufficient', 'optional'].includes(flag!.value.toLowerCase()) || module!.quoted || flag!.quoted) return undefined;
  if (rest.at(-1)?.value !== ';' || rest.at(-1)?.quoted) return undefined;
  const options: Record<string, string> = {};
  const body = rest.slice(0, -1);
  for (let i = 0; i < body.length; i += 3) {
    const [key, equals, value] = [body[i], body[i + 1], body[i + 2]];
    if (key === undefined || equals?.value !== '=' || equals.quoted || value === undefined || key.quoted) return undefined;
    options[key.value] = value.value;
  }
  return { module: module!.value, flag: flag!.value, options };
}

function jaasTokens(text: string): { value: string; quoted: boolean }[] | undefined {
  const tokens: { value: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '=' || c === ';') {
      tokens.push({ value: c, quoted: false });
      i++;
    } else if (c === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      if (i >= text.length) return undefined;
      i++;
      tokens.push({ value, quoted: true });
    } else {
      const start = i;
      while (i < text.length && !/[\s=;"]/.test(text[i]!)) i++;
      tokens.push({ value: text.slice(start, i), quoted: false });
    }
  }
  return tokens;
}
