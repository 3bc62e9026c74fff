import { hostname } from 'node:os';
import { join } from 'node:path';
import type { BrokerNode } from '../../core/cluster/profiles.js';
import { ADMIN_USER, certificatePlan, isSecured, REGISTRY_CERTIFICATE } from '../../core/cluster/security.js';
import type { EnvironmentSecurity } from '../../core/config/security.js';
import { caFile, certificateFiles, ensureCertificates } from './certificates.js';
import { adminConnection, ensureSecrets, passwordFile, type AdminConnection, saslUsers, scramArguments, secretsDir, writeClientFiles, type ClientFiles } from './credentials.js';
import type { NodeSecurity } from './kafkaNode.js';
import type { RegistryServerSecurity } from './registry.js';

/** What a secured start needs from its state directory, prepared before any JVM runs. */
export interface SecuredStart {
  security: EnvironmentSecurity;
  node: NodeSecurity;
  /** `--add-scram` arguments of the storage tool (empty for PLAIN and SSL). */
  scramArgs: string[];
  /** Where the storage tool's argument file goes (owner-only, removed after formatting). */
  formatArgFile: (nodeName: string) => string;
  /** How the runtime's own readiness checks connect: as the admin. */
  admin: AdminConnection;
  /** The registry of a secured deployment: HTTPS with the registry's certificate, basic auth as the admin. */
  registry: RegistryServerSecurity;
  /** Writes `<state-dir>/client/` once the endpoints are known. */
  writeClientFiles: (endpoints: { bootstrapServers: string[]; schemaRegistryUrl: string | undefined }) => Promise<ClientFiles>;
}

/**
 * Secrets, certificates and broker key material of a secured deployment, each made once
 * and kept across restarts; undefined for a PLAINTEXT one.
 */
export async function prepareSecuredStart(
  stateDir: string,
  security: EnvironmentSecurity,
  nodes: readonly BrokerNode[],
  environment: Readonly<Record<string, string | undefined>>,
): Promise<SecuredStart | undefined> {
  if (!isSecured(security)) return undefined;
  const secrets = await ensureSecrets(stateDir, security, environment);
  await ensureCertificates(stateDir, certificatePlan(nodes, hostname()), secrets.keystorePasswordFile);
  const plainUsers = security.sasl?.mechanism === 'PLAIN' ? saslUsers(secrets) : undefined;
  return {
    security,
    node: {
      security,
      keys: (node) => ({ keystoreFile: certificateFiles(stateDir, node.name).pkcs12File, truststoreFile: caFile(stateDir), keystorePassword: secrets.keystorePassword, plainUsers }),
    },
    scramArgs: scramArguments(security, secrets),
    formatArgFile: (nodeName) => join(secretsDir(stateDir), `format-${nodeName}.args`),
    admin: adminConnection(stateDir, security.protocol, security.sasl?.mechanism, secrets.adminPassword),
    registry: {
      certFile: certificateFiles(stateDir, REGISTRY_CERTIFICATE).certFile,
      keyFile: certificateFiles(stateDir, REGISTRY_CERTIFICATE).keyFile,
      caFile: caFile(stateDir),
      username: ADMIN_USER,
      passwordFile: passwordFile(stateDir, ADMIN_USER),
    },
    writeClientFiles: (endpoints) => writeClientFiles(stateDir, security, secrets, endpoints),
  };
}
