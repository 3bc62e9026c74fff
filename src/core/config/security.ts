/**
 * How a client connects to a secured cluster, as an environment of topics.yaml, a Kafka
 * client properties file (--command-config) or environment variables describe it. The
 * local runtime reads the same shape to start brokers with exactly those listeners.
 *
 * Secrets are never values here, only references: a password is read from the named
 * environment variable or file when a connection is opened, and nothing else sees it.
 */

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

export const SASL_MECHANISM_NAMES = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanismName = (typeof SASL_MECHANISM_NAMES)[number];

/** Where a secret is kept: an environment variable's name, or a file (relative to the file that names it). */
export type SecretRef = { env: string } | { file: string };

export interface SaslSecurity {
  mechanism: SaslMechanismName;
  username: string;
  password: SecretRef;
}

export interface TlsSecurity {
  /** PEM bundle of the CAs to trust; the system's CAs when absent. */
  caFile?: string;
  /** Client certificate and key (PEM) for mutual TLS. */
  certFile?: string;
  keyFile?: string;
  /** A PKCS#12 store holding the client certificate and key, instead of certFile/keyFile. */
  keystoreFile?: string;
  keystorePassword?: SecretRef;
  /** Check that the broker's certificate names the host connected to (Kafka's ssl.endpoint.identification.algorithm=https). */
  verifyHostname: boolean;
}

export interface EnvironmentSecurity {
  protocol: SecurityProtocol;
  /** Present exactly when the protocol is SASL_PLAINTEXT or SASL_SSL. */
  sasl?: SaslSecurity;
  /** Present when the protocol is SSL or SASL_SSL. */
  tls?: TlsSecurity;
}

/** The schema registry of an environment: topics.yaml's `schemaRegistry` as a mapping. */
export interface RegistrySecurity {
  url: string;
  /** HTTP basic auth. */
  username?: string;
  password?: SecretRef;
  /** PEM bundle of the CAs to trust for an https:// URL. */
  caFile?: string;
}

export function usesTls(protocol: SecurityProtocol): boolean {
  return protocol === 'SSL' || protocol === 'SASL_SSL';
}

export function usesSasl(protocol: SecurityProtocol): boolean {
  return protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
}
