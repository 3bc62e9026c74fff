import type { SaslMechanism } from './settings.js';

/**
 * What one source of settings (the command config file, the project file) says about how
 * to connect; a field left undefined means the source is silent on it. Secrets are read
 * only when their source wins, so an overridden password's file or variable need not exist.
 */
export interface ConnectionLayer {
  /** How the source is named in `config show`, e.g. "client.properties" or "topics.yaml (environments.prod)". */
  location: string;
  /** Where a field is written, when the source knows it more precisely (a line number). */
  fieldLocation?: Partial<Record<LayerField, string>>;
  brokers?: string[];
  tls?: boolean;
  caFile?: string;
  /** PEM unless said otherwise: Kafka's ssl.truststore.type. */
  caType?: 'PEM' | 'PKCS12';
  caPassword?: Secret;
  certFile?: string;
  keyFile?: string;
  /** A PKCS#12 store with the client certificate and key. */
  keystoreFile?: string;
  keystorePassword?: Secret;
  /** The password of an encrypted PEM key (Kafka's ssl.key.password). */
  keyPassword?: Secret;
  verifyHostname?: boolean;
  /** null: the source says explicitly that SASL is off. */
  saslMechanism?: SaslMechanism | null;
  saslUsername?: string;
  saslPassword?: Secret;
  registryUrl?: string;
  registryUsername?: string;
  registryPassword?: Secret;
  registryCaFile?: string;
}

/** A secret, read when asked for. */
export type Secret = () => string;

export type LayerField = Exclude<keyof ConnectionLayer, 'location' | 'fieldLocation'>;

export function layerOrigin(layer: ConnectionLayer, field: LayerField): string {
  return layer.fieldLocation?.[field] ?? layer.location;
}
