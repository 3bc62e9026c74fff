import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SASL_MECHANISM_NAMES, usesSasl, usesTls, type EnvironmentSecurity, type SaslMechanismName, type SecretRef, type SecurityProtocol } from '../../core/config/security.js';
import type { SaslSettings, TlsSettings } from '../../core/config/settings.js';
import {
  ADMIN_USER,
  addScramArgument,
  CLIENT_CERTIFICATE,
  clientProperties,
  isScram,
  librdkafkaConfig,
  SCRAM_HASH,
  SCRAM_ITERATIONS,
  type ClientFilesInput,
} from '../../core/cluster/security.js';
import { ConfigError } from '../../core/errors.js';
import { caFile, certificateFiles } from './certificates.js';

type Environment = Readonly<Record<string, string | undefined>>;

/** Owner-only directory of a deployment's passwords: `<state-dir>/secrets/`. */
export function secretsDir(stateDir: string): string {
  return join(stateDir, 'secrets');
}

export function keystorePasswordFile(stateDir: string): string {
  return join(secretsDir(stateDir), 'keystore.password');
}

export function passwordFile(stateDir: string, user: string): string {
  return join(secretsDir(stateDir), `${user}.password`);
}

/** Where the client files of a secured deployment are: `<state-dir>/client/`. */
export function clientDir(stateDir: string): string {
  return join(stateDir, 'client');
}

export interface ClientFiles {
  dir: string;
  caFile: string;
  clientProperties: string;
  librdkafkaConf: string;
}

export function clientFiles(stateDir: string): ClientFiles {
  const dir = clientDir(stateDir);
  return { dir, caFile: join(dir, 'ca.pem'), clientProperties: join(dir, 'client.properties'), librdkafkaConf: join(dir, 'librdkafka.conf') };
}

/** Writes a file only its owner can read, whatever the umask. */
export async function writeOwnerOnly(file: string, text: string): Promise<void> {
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** The secret a reference names, if it is there: the variable is set, or the file exists. */
function readSecretRef(ref: SecretRef, environment: Environment): string | undefined {
  if ('env' in ref) {
    const value = environment[ref.env];
    return value === undefined || value === '' ? undefined : value;
  }
  if (!existsSync(ref.file)) return undefined;
  try {
    return readFileSync(ref.file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new ConfigError(`cannot read the password file ${ref.file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * A password kept in `<state-dir>/secrets/`: read when the file exists (a restart keeps the
 * credentials formatted into the brokers), else made randomly and saved owner-only.
 */
async function storedPassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeOwnerOnly(file, `${password}\n`);
  return password;
}

export interface DeploymentSecrets {
  keystorePassword: string;
  keystorePasswordFile: string;
  adminPassword: string;
  /** The environment's own SASL user and its password. */
  user: { name: string; password: string } | undefined;
}

/**
 * The passwords of a secured deployment: the keystores', the admin's and the environment
 * user's (from its SecretRef when that supplies one, else generated).
 */
export async function ensureSecrets(stateDir: string, security: EnvironmentSecurity, environment: Environment): Promise<DeploymentSecrets> {
  await mkdir(secretsDir(stateDir), { recursive: true, mode: 0o700 });
  await chmod(secretsDir(stateDir), 0o700);
  const keystorePassword = await storedPassword(keystorePasswordFile(stateDir));
  const adminPassword = await storedPassword(passwordFile(stateDir, ADMIN_USER));
  const sasl = security.sasl;
  let user: DeploymentSecrets['user'];
  if (sasl && sasl.username !== ADMIN_USER) {
    user = { name: sasl.username, password: readSecretRef(sasl.password, environment) ?? (await storedPassword(passwordFile(stateDir, sasl.username))) };
  }
  return { keystorePassword, keystorePasswordFile: keystorePasswordFile(stateDir), adminPassword, user };
}

/** Every SASL user of the deployment with its password: the admin first. */
export function saslUsers(secrets: DeploymentSecrets): Record<string, string> {
  return { [ADMIN_USER]: secrets.adminPassword, ...(secrets.user ? { [secrets.user.name]: secrets.user.password } : {}) };
}

/** The storage tool's `--add-scram` arguments: salted here, so the passwords go to no process. */
export function scramArguments(security: EnvironmentSecurity, secrets: DeploymentSecrets): string[] {
  const mechanism = security.sasl?.mechanism;
  if (!mechanism || !isScram(mechanism)) return [];
  const { digest, bytes } = SCRAM_HASH[mechanism];
  return Object.entries(saslUsers(secrets)).flatMap(([user, password]) => {
    const salt = randomBytes(16);
    const saltedPassword = pbkdf2Sync(password.normalize('NFKC'), salt, SCRAM_ITERATIONS, bytes, digest);
    return ['--add-scram', addScramArgument(mechanism, { user, salt, saltedPassword, iterations: SCRAM_ITERATIONS })];
  });
}

/** How the runtime itself (readiness checks) and its users connect as the admin. */
export function adminConnection(stateDir: string, protocol: SecurityProtocol, mechanism: SaslMechanismName | undefined, adminPassword: string): AdminConnection {
  const client = certificateFiles(stateDir, CLIENT_CERTIFICATE);
  // mTLS: the client certificate is the admin (CN=admin); SASL: the admin's password.
  const tls: TlsSettings | undefined = usesTls(protocol)
    ? { caFile: caFile(stateDir), certFile: protocol === 'SSL' ? client.certFile : undefined, keyFile: protocol === 'SSL' ? client.keyFile : undefined, rejectUnauthorized: true }
    : undefined;
  const sasl: SaslSettings | undefined =
    mechanism && usesSasl(protocol) ? { mechanism: mechanism.toLowerCase() as SaslSettings['mechanism'], username: ADMIN_USER, password: adminPassword } : undefined;
  return { tls, sasl };
}

export interface AdminConnection {
  tls: TlsSettings | undefined;
  sasl: SaslSettings | undefined;
}

/**
 * `<state-dir>/client/`: the CA, Java client properties and a librdkafka config for the admin,
 * all owner-only (the two configs hold the admin's secrets).
 */
export async function writeClientFiles(
  stateDir: string,
  security: EnvironmentSecurity,
  secrets: DeploymentSecrets,
  endpoints: { bootstrapServers: string[]; schemaRegistryUrl: string | undefined },
): Promise<ClientFiles> {
  const files = clientFiles(stateDir);
  await mkdir(files.dir, { recursive: true, mode: 0o700 });
  await chmod(files.dir, 0o700);
  await writeOwnerOnly(files.caFile, await readFile(caFile(stateDir), 'utf8'));
  const client = certificateFiles(stateDir, CLIENT_CERTIFICATE);
  const input: ClientFilesInput = {
    security,
    bootstrapServers: endpoints.bootstrapServers,
    caFile: files.caFile,
    adminPassword: security.sasl ? secrets.adminPassword : undefined,
    clientKeystore: { file: client.pkcs12File, password: secrets.keystorePassword, certFile: client.certFile, keyFile: client.keyFile },
    registry: endpoints.schemaRegistryUrl ? { url: endpoints.schemaRegistryUrl, username: ADMIN_USER, password: secrets.adminPassword } : undefined,
  };
  await writeOwnerOnly(files.clientProperties, clientProperties(input));
  await writeOwnerOnly(files.librdkafkaConf, librdkafkaConfig(input));
  return files;
}

/** The admin connection of a deployed secured cluster, from its state directory. */
export async function localAdminConnection(stateDir: string, security: { protocol: SecurityProtocol; mechanism: string | undefined }): Promise<AdminConnection> {
  const mechanism = SASL_MECHANISM_NAMES.find((m) => m === security.mechanism);
  const adminPassword = mechanism ? (await readFile(passwordFile(stateDir, ADMIN_USER), 'utf8')).trim() : '';
  return adminConnection(stateDir, security.protocol, mechanism, adminPassword);
}
