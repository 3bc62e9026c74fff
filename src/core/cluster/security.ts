import { usesSasl, usesTls, type EnvironmentSecurity, type SaslMechanismName } from '../config/security.js';
import type { BrokerNode, ClusterEnv } from './profiles.js';

/**
 * How a secured cluster is laid out, as data: which certificates exist (names, SANs,
 * validity), which listeners a broker gets and what they require, and the client files
 * a deployment hands to its users. The local runtime and the compose generator both read
 * it, so a secured local cluster and a secured compose stack cannot drift apart.
 */

/** The super user every secured deployment creates; its credentials are in `<state-dir>/secrets/`. */
export const ADMIN_USER = 'admin';

/** The user a profile's own default environment connects as. */
export const DEFAULT_SERVICE_USER = 'iotmsg';

/** The security a cluster gets when the environment does not say: prod as the platform's production, dev open. */
export function profileSecurity(env: ClusterEnv): EnvironmentSecurity {
  if (env === 'dev') return { protocol: 'PLAINTEXT' };
  return {
    protocol: 'SASL_SSL',
    sasl: { mechanism: 'SCRAM-SHA-512', username: DEFAULT_SERVICE_USER, password: { env: 'IOTMSG_PROD_SASL_PASSWORD' } },
    tls: { verifyHostname: true },
  };
}

export function isSecured(security: EnvironmentSecurity): boolean {
  return security.protocol !== 'PLAINTEXT';
}

export type CertificateUse = 'server' | 'client' | 'server-and-client';

export interface CertificateSpec {
  /** File stem under `<state-dir>/tls/`: <name>.pem, <name>-key.pem and, for brokers, <name>.p12. */
  name: string;
  commonName: string;
  dnsNames: string[];
  ipAddresses: string[];
  use: CertificateUse;
  /** Brokers read a PKCS#12 keystore; other holders read PEM. */
  pkcs12: boolean;
}

export interface CertificatePlan {
  caCommonName: string;
  validityDays: number;
  certificates: CertificateSpec[];
}

export const CA_FILE = 'ca.pem';
export const REGISTRY_CERTIFICATE = 'schema-registry';
export const CLIENT_CERTIFICATE = 'client';

/**
 * Every certificate of a deployment. Brokers are servers and, on the mTLS inter-broker and
 * controller listeners, clients of each other; their names cover the loopback address, the
 * machine's host name and the compose service name. The client certificate's CN is the admin
 * principal (see principalMappingRule).
 */
export function certificatePlan(nodes: readonly BrokerNode[], hostName: string): CertificatePlan {
  const hostNames = (own: string) => [...new Set(['localhost', hostName, own])];
  return {
    caCommonName: 'iotmsg local CA',
    validityDays: 825,
    certificates: [
      ...nodes.map((n) => ({ name: n.name, commonName: n.name, dnsNames: hostNames(n.name), ipAddresses: ['127.0.0.1'], use: 'server-and-client' as const, pkcs12: true })),
      { name: REGISTRY_CERTIFICATE, commonName: REGISTRY_CERTIFICATE, dnsNames: hostNames(REGISTRY_CERTIFICATE), ipAddresses: ['127.0.0.1'], use: 'server', pkcs12: true },
      { name: CLIENT_CERTIFICATE, commonName: ADMIN_USER, dnsNames: [], ipAddresses: [], use: 'client', pkcs12: true },
    ],
  };
}

/** A certificate whose subject is only `CN=name` is the principal `User:name`. */
export const PRINCIPAL_MAPPING_RULES = 'RULE:^CN=([^,]+)$/$1/,DEFAULT';

export function superUsers(nodes: readonly BrokerNode[]): string {
  return [ADMIN_USER, ...nodes.map((n) => n.name)].map((u) => `User:${u}`).join(';');
}

/** Listener names of a secured broker; PLAINTEXT clusters keep the single PLAINTEXT listener. */
export const LISTENERS = { client: 'CLIENT', internal: 'INTERNAL', controller: 'CONTROLLER' } as const;

/** Where a broker finds its key material, and how its secrets are spelled in its config. */
export interface BrokerKeyMaterial {
  keystoreFile: string;
  truststoreFile: string;
  /** The keystore password as written into the config: a value, or a config-provider reference. */
  keystorePassword: string;
  /** PLAIN keeps its users in the JAAS line; the passwords as they are written there. */
  plainUsers?: Record<string, string>;
}

/**
 * The security part of a broker's config for a client listener of `security.protocol`:
 * the inter-broker and controller listeners use mutual TLS (the brokers' certificates are
 * their principals), StandardAuthorizer denies whatever no ACL allows, and the admin and the
 * brokers are super users.
 */
export function brokerSecuritySettings(security: EnvironmentSecurity, nodes: readonly BrokerNode[], keys: BrokerKeyMaterial): Record<string, string> {
  const client = LISTENERS.client.toLowerCase();
  const settings: Record<string, string> = {
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': keys.keystoreFile,
    'ssl.keystore.password': keys.keystorePassword,
    'ssl.key.password': keys.keystorePassword,
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': keys.truststoreFile,
    'ssl.principal.mapping.rules': PRINCIPAL_MAPPING_RULES,
    [`listener.name.${LISTENERS.internal.toLowerCase()}.ssl.client.auth`]: 'required',
    [`listener.name.${LISTENERS.controller.toLowerCase()}.ssl.client.auth`]: 'required',
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found': 'false',
    'super.users': superUsers(nodes),
  };
  if (security.protocol === 'SSL') settings[`listener.name.${client}.ssl.client.auth`] = 'required';
  if (usesSasl(security.protocol) && security.sasl) {
    const mechanism = security.sasl.mechanism;
    settings[`listener.name.${client}.sasl.enabled.mechanisms`] = mechanism;
    settings[`listener.name.${client}.${mechanism.toLowerCase()}.sasl.jaas.config`] = serverJaas(mechanism, keys.plainUsers ?? {});
  }
  return settings;
}

function serverJaas(mechanism: SaslMechanismName, plainUsers: Record<string, string>): string {
  if (mechanism !== 'PLAIN') return 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  const users = Object.entries(plainUsers).map(([user, password]) => ` user_${user}=${jaasQuote(password)}`);
  return `org.apache.kafka.common.security.plain.PlainLoginModule required${users.join('')};`;
}

/** A JAAS option value: double-quoted, with backslash and quote escaped. */
export function jaasQuote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `listener.security.protocol.map` of a secured broker. */
export function securityProtocolMap(security: EnvironmentSecurity): string {
  return `${LISTENERS.client}:${security.protocol},${LISTENERS.internal}:SSL,${LISTENERS.controller}:SSL`;
}

/** SCRAM's salted password size is the hash's output size. */
export const SCRAM_HASH: Readonly<Record<Exclude<SaslMechanismName, 'PLAIN'>, { digest: 'sha256' | 'sha512'; bytes: number }>> = {
  'SCRAM-SHA-256': { digest: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { digest: 'sha512', bytes: 64 },
};
export const SCRAM_ITERATIONS = 8192;

export interface SaltedCredential {
  user: string;
  salt: Buffer;
  saltedPassword: Buffer;
  iterations: number;
}

/**
 * One `--add-scram` argument of the storage tool. It takes the salted password instead of
 * the password, so the password itself reaches no other process.
 */
export function addScramArgument(mechanism: Exclude<SaslMechanismName, 'PLAIN'>, credential: SaltedCredential): string {
  const { user, salt, saltedPassword, iterations } = credential;
  return `${mechanism}=[name=${user},iterations=${iterations},salt="${salt.toString('base64')}",saltedpassword="${saltedPassword.toString('base64')}"]`;
}

export function isScram(mechanism: SaslMechanismName): mechanism is Exclude<SaslMechanismName, 'PLAIN'> {
  return mechanism !== 'PLAIN';
}

/** What the client files of a secured deployment say. */
export interface ClientFilesInput {
  security: EnvironmentSecurity;
  bootstrapServers: string[];
  caFile: string;
  /** SASL: the admin's password. */
  adminPassword?: string;
  /** SSL: the admin's client certificate, as a PKCS#12 store and as PEM files. */
  clientKeystore?: { file: string; password: string; certFile: string; keyFile: string };
  registry?: { url: string; username: string; password: string };
}

/** Java client properties, as Kafka's tools take them with --command-config (and iotmsg too). */
export function clientProperties(input: ClientFilesInput): string {
  const { security } = input;
  const lines = [
    '# The admin super user of this deployment. Contains secrets: keep it owner-readable only.',
    `bootstrap.servers=${input.bootstrapServers.join(',')}`,
    `security.protocol=${security.protocol}`,
  ];
  if (usesTls(security.protocol)) {
    lines.push('ssl.truststore.type=PEM', `ssl.truststore.location=${propertyValue(input.caFile)}`, 'ssl.endpoint.identification.algorithm=https');
  }
  if (security.protocol === 'SSL' && input.clientKeystore) {
    const ks = input.clientKeystore;
    lines.push('ssl.keystore.type=PKCS12', `ssl.keystore.location=${propertyValue(ks.file)}`, `ssl.keystore.password=${propertyValue(ks.password)}`, `ssl.key.password=${propertyValue(ks.password)}`);
  }
  if (usesSasl(security.protocol) && security.sasl && input.adminPassword !== undefined) {
    const module = security.sasl.mechanism === 'PLAIN' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule';
    lines.push(`sasl.mechanism=${security.sasl.mechanism}`, `sasl.jaas.config=${propertyValue(`${module} required username=${jaasQuote(ADMIN_USER)} password=${jaasQuote(input.adminPassword)};`)}`);
  }
  if (input.registry) {
    const { url, username, password } = input.registry;
    lines.push(`schema.registry.url=${propertyValue(url)}`, 'basic.auth.credentials.source=USER_INFO', `basic.auth.user.info=${propertyValue(`${username}:${password}`)}`);
    if (url.startsWith('https:')) lines.push(`schema.registry.ssl.truststore.location=${propertyValue(input.caFile)}`, 'schema.registry.ssl.truststore.type=PEM');
  }
  return `${lines.join('\n')}\n`;
}

/** librdkafka properties, for `kcat -F`. */
export function librdkafkaConfig(input: ClientFilesInput): string {
  const { security } = input;
  const lines = ['# The admin super user of this deployment, for kcat -F. Contains secrets.', `bootstrap.servers=${input.bootstrapServers.join(',')}`, `security.protocol=${security.protocol.toLowerCase()}`];
  if (usesTls(security.protocol)) lines.push(`ssl.ca.location=${input.caFile}`, 'ssl.endpoint.identification.algorithm=https');
  if (security.protocol === 'SSL' && input.clientKeystore) lines.push(`ssl.certificate.location=${input.clientKeystore.certFile}`, `ssl.key.location=${input.clientKeystore.keyFile}`);
  if (usesSasl(security.protocol) && security.sasl && input.adminPassword !== undefined) {
    lines.push(`sasl.mechanisms=${security.sasl.mechanism}`, `sasl.username=${ADMIN_USER}`, `sasl.password=${input.adminPassword}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A Java properties value: backslashes, and characters that would end or start a value early, escaped. */
export function propertyValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/^\s/, (c) => `\\${c}`);
}
