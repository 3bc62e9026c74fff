import { copyFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpRequest, succeeded } from '../http.js';
import { buildOnce, runMaven } from './maven.js';

/** How the local runtime fetches, starts and probes its schema registry. */
export interface RegistryLaunch {
  description: string;
  port: number;
  /** Base URL of the Confluent-compatible API. */
  url: string;
  /** Fetches and builds the registry once into the cache; returns the jar to run. */
  resolve(cache: string): Promise<string>;
  args(jar: string, stateDir: string): string[];
  /** True once the API answers and is configured like a Confluent registry. */
  isReady(): Promise<boolean>;
}

export const APICURIO_VERSION = '2.4.2';
const POM = fileURLToPath(new URL('../../../deploy/local/apicurio-registry/pom.xml', import.meta.url));

/**
 * Apicurio Registry with in-memory storage, spoken to through its Confluent-compatible
 * (ccompat v7) API: a real registry that needs no Docker and nothing beyond Maven Central.
 */
export function registryLauncher(port: number, host: string): RegistryLaunch {
  const base = `http://${host}:${port}`;
  const url = `${base}/apis/ccompat/v7`;
  return {
    description: `Apicurio Registry ${APICURIO_VERSION}`,
    port,
    url,
    resolve: (cache) => buildApicurio(join(cache, `apicurio-registry-${APICURIO_VERSION}`)),
    args: (jar, stateDir) => [
      '-Xms64m',
      '-Xmx256m',
      '-XX:+UseSerialGC',
      '-XX:+ExitOnOutOfMemoryError',
      `-Dquarkus.http.host=${host}`,
      `-Dquarkus.http.port=${port}`,
      // Not registry.ccompat.use-canonical-hash: with it Apicurio serves schemas with their
      // fields sorted by name, and a reader decoding with that writer schema reads garbage.
      '-Dquarkus.log.category."io.apicurio.common.apps.logging.audit".level=WARN',
      '-Dquarkus.log.category."io.sentry".level=ERROR',
      `-Diotmsg.state=${stateDir}`,
      '-Diotmsg.component=schema-registry',
      '-jar',
      jar,
    ],
    // Confluent's default global level is BACKWARD, Apicurio's is NONE: setting it is also the probe.
    isReady: async () => {
      try {
        const response = await httpRequest(`${url}/config`, {
          method: 'PUT',
          headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
          body: JSON.stringify({ compatibility: 'BACKWARD' }),
          timeoutMs: 2_000,
        });
        return succeeded(response);
      } catch {
        return false;
      }
    },
  };
}

async function buildApicurio(targetDir: string): Promise<string> {
  await buildOnce(targetDir, async (scratch) => {
    await copyFile(POM, join(scratch, 'pom.xml'));
    await runMaven(scratch, ['-DskipDefault', '-D%prod.quarkus.package.type=fast-jar', 'package'], `Apicurio Registry ${APICURIO_VERSION}`);
    await rename(join(scratch, 'target', 'quarkus-app'), join(scratch, 'quarkus-app'));
    await rm(join(scratch, 'target'), { recursive: true, force: true });
  });
  return join(targetDir, 'quarkus-app', 'quarkus-run.jar');
}
