import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UnavailableError } from '../../core/errors.js';
import { httpRequest, succeeded } from '../http.js';
import { registryTransport } from '../registry/transport.js';
import { buildOnce, runMaven } from './maven.js';

/** How the local runtime fetches, starts and probes its schema registry. */
export interface RegistryLaunch {
  description: string;
  port: number;
  /** Base URL of the Confluent-compatible API. */
  url: string;
  /** Fetches and builds the registry once into the cache; returns the jar to run. */
  resolve(cache: string): Promise<string>;
  /** Writes the registry's configuration file under the state directory (secrets included, mode 0600). */
  prepare(stateDir: string): Promise<void>;
  args(jar: string, stateDir: string): string[];
  /** True once the API answers; a registry starting on empty storage is configured like a Confluent one first. */
  isReady(stateDir: string): Promise<boolean>;
}

/**
 * What a secured environment's registry serves with: HTTPS with this certificate, and basic
 * auth for one user (the deployment's admin). Paths only: the password stays in its file and
 * goes into the registry's own 0600 configuration, never onto a command line or into runtime.json.
 */
export interface RegistryServerSecurity {
  certFile: string;
  keyFile: string;
  /** The CA that signed certFile: what the readiness check trusts. */
  caFile: string;
  username: string;
  passwordFile: string;
}

export const APICURIO_VERSION = '2.4.2';
const POM = fileURLToPath(new URL('../../../deploy/local/apicurio-registry/pom.xml', import.meta.url));

/**
 * Build-time settings of the secured variant. Quarkus 2.16 fixes HTTP permissions at build
 * time, so the secured registry is its own build: every path needs an authenticated user.
 * Apicurio's OIDC-only authentication (it needs Keycloak) is left out: its mechanism hands the
 * challenge to an unconfigured OIDC one, which fails every unauthenticated request instead of
 * answering 401, so Quarkus' own basic mechanism (against the users of the config) is the only one.
 */
const SECURED_BUILD = [
  '-Dquarkus.oidc.enabled=false',
  '-Dquarkus.arc.exclude-types=io.apicurio.common.apps.auth.authn.AppAuthenticationMechanism',
  '-Dquarkus.http.auth.permission.registry.paths=/*',
  '-Dquarkus.http.auth.permission.registry.policy=authenticated',
];

/** Under the state directory, so `deploy down --volumes` removes the registry's data with the brokers'. */
export function registryDataDir(stateDir: string): string {
  return join(stateDir, 'registry');
}

/**
 * Apicurio Registry spoken to through its Confluent-compatible (ccompat v7) API: a real
 * registry that needs no Docker and nothing beyond Maven Central. Its SQL storage runs on an
 * H2 database file under the state directory (Apicurio's "in-memory" storage is that same SQL
 * storage on an H2 memory URL), so subjects, versions and ids survive restarts.
 */
export function registryLauncher(port: number, host: string, security?: RegistryServerSecurity): RegistryLaunch {
  const url = `${security ? 'https' : 'http'}://${host}:${port}/apis/ccompat/v7`;
  const configFile = (stateDir: string) => join(registryDataDir(stateDir), 'registry.properties');
  // Set once the fresh storage got Confluent's default level: a later start keeps what users set.
  const configuredMarker = (stateDir: string) => join(registryDataDir(stateDir), 'configured');
  return {
    description: `Apicurio Registry ${APICURIO_VERSION}${security ? ' (HTTPS, basic auth)' : ''}`,
    port,
    url,
    resolve: (cache) => buildApicurio(cache, security ? SECURED_BUILD : []),
    prepare: async (stateDir) => {
      await mkdir(registryDataDir(stateDir), { recursive: true });
      const lines = [`quarkus.datasource.jdbc.url=${storageUrl(stateDir)}`, ...(security ? await securedProperties(security) : [])];
      await writeFile(configFile(stateDir), `${lines.join('\n')}\n`, { mode: 0o600 });
      await chmod(configFile(stateDir), 0o600);
    },
    args: (jar, stateDir) => [
      '-Xms64m',
      '-Xmx256m',
      '-XX:+UseSerialGC',
      '-XX:+ExitOnOutOfMemoryError',
      `-Dquarkus.http.host=${host}`,
      // The secured registry listens on its port with TLS only (insecure requests disabled).
      `-Dquarkus.http.${security ? 'ssl-port' : 'port'}=${port}`,
      ...(security ? ['-Dquarkus.http.insecure-requests=disabled'] : []),
      `-Dquarkus.config.locations=${configFile(stateDir)}`,
      // Not registry.ccompat.use-canonical-hash: with it Apicurio serves schemas with their
      // fields sorted by name, and a reader decoding with that writer schema reads garbage.
      '-Dquarkus.log.category."io.apicurio.common.apps.logging.audit".level=WARN',
      '-Dquarkus.log.category."io.sentry".level=ERROR',
      `-Diotmsg.state=${stateDir}`,
      '-Diotmsg.component=schema-registry',
      '-jar',
      jar,
    ],
    isReady: async (stateDir) => {
      const transport = await readyTransport(security);
      const call = (method: 'GET' | 'PUT', body?: string) =>
        httpRequest(`${url}/config`, {
          method,
          headers: { ...transport.headers, ...(body ? { 'content-type': 'application/vnd.schemaregistry.v1+json' } : {}) },
          body,
          ca: transport.ca,
          timeoutMs: 2_000,
        });
      try {
        if (!succeeded(await call('GET'))) return false;
        if (existsSync(configuredMarker(stateDir))) return true;
        // Confluent's default global level is BACKWARD, Apicurio's is NONE.
        if (!succeeded(await call('PUT', JSON.stringify({ compatibility: 'BACKWARD' })))) return false;
        await writeFile(configuredMarker(stateDir), 'global compatibility BACKWARD\n');
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** WRITE_DELAY=0: a commit is on disk before the registry answers, so even a killed registry keeps what it acknowledged. */
function storageUrl(stateDir: string): string {
  return `jdbc:h2:file:${join(registryDataDir(stateDir), 'registry')};WRITE_DELAY=0`;
}

async function securedProperties(security: RegistryServerSecurity): Promise<string[]> {
  const password = await readSecret(security.passwordFile);
  return [
    `quarkus.http.ssl.certificate.files=${security.certFile}`,
    `quarkus.http.ssl.certificate.key-files=${security.keyFile}`,
    `quarkus.security.users.embedded.users.${security.username}=${propertiesValue(password)}`,
    `quarkus.security.users.embedded.roles.${security.username}=admin`,
  ];
}

/** Escapes what java.util.Properties would otherwise read as markup. */
function propertiesValue(value: string): string {
  return value.replace(/[\\:=#!\s]/g, (c) => (c === ' ' ? '\\ ' : `\\${c}`));
}

async function readSecret(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    throw new UnavailableError(`cannot read the registry admin's password file ${file}: ${(error as Error).message}`, { cause: error });
  }
}

async function readyTransport(security: RegistryServerSecurity | undefined): Promise<{ headers: Record<string, string>; ca: Buffer | undefined }> {
  if (!security) return { headers: {}, ca: undefined };
  const password = await readSecret(security.passwordFile);
  return registryTransport({ url: '', username: security.username, password, caFile: security.caFile });
}

/** The cache directory is keyed by the POM and the build flags, so a changed build never reuses (or clobbers) another's. */
async function buildApicurio(cache: string, flags: readonly string[]): Promise<string> {
  const key = createHash('sha256').update(await readFile(POM)).update(flags.join('\n')).digest('hex').slice(0, 12);
  const targetDir = join(cache, `apicurio-registry-${APICURIO_VERSION}-${key}`);
  await buildOnce(targetDir, async (scratch) => {
    await copyFile(POM, join(scratch, 'pom.xml'));
    await runMaven(scratch, ['-DskipDefault', '-D%prod.quarkus.package.type=fast-jar', ...flags, 'package'], `Apicurio Registry ${APICURIO_VERSION}`);
    await rename(join(scratch, 'target', 'quarkus-app'), join(scratch, 'quarkus-app'));
    await rm(join(scratch, 'target'), { recursive: true, force: true });
  });
  return join(targetDir, 'quarkus-app', 'quarkus-run.jar');
}
