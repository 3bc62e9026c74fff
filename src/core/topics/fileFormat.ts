/** The keys topics.yaml allows at each level: shared by the loader and the JSON Schema. */

export const FILE_KEYS = ['defaults', 'environments', 'protectedTopics', 'topics', 'access'] as const;
export const DEFAULTS_KEYS = ['partitions', 'replicationFactor', 'configs', 'dlq'] as const;
export const DLQ_DEFAULTS_KEYS = ['enabled', 'suffixes', 'partitions', 'configs'] as const;
export const ENVIRONMENT_KEYS = [
  'brokers',
  'schemaRegistry',
  'security',
  'partitions',
  'replicationFactor',
  'configs',
  'protectedTopics',
  'superUsers',
  'access',
] as const;
export const SECURITY_KEYS = ['protocol', 'sasl', 'tls'] as const;
export const SASL_KEYS = ['mechanism', 'username', 'password'] as const;
export const TLS_KEYS = ['caFile', 'certFile', 'keyFile', 'keystoreFile', 'keystorePassword', 'verifyHostname'] as const;
export const REGISTRY_KEYS = ['url', 'username', 'password', 'caFile'] as const;
export const SECRET_REF_KEYS = ['env', 'file'] as const;
export const TOPIC_KEYS = [
  'name',
  'description',
  'owner',
  'partitions',
  'replicationFactor',
  'configs',
  'keySchema',
  'valueSchema',
  'dlq',
] as const;
export const TOPIC_DLQ_KEYS = ['suffixes', 'partitions', 'replicationFactor', 'configs'] as const;
export const SCHEMA_REF_KEYS = ['schema', 'subject', 'compatibility'] as const;

/** host:port, with an IPv6 host in brackets. */
export const BROKER_ADDRESS = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/;

/** Why a bootstrap address is unusable, or undefined. */
export function brokerAddressProblem(address: string): string | undefined {
  const match = BROKER_ADDRESS.exec(address);
  const port = match ? Number(match[2]) : 0;
  if (match === null || port < 1 || port > 65535) return 'expected host:port, e.g. localhost:9092';
  return undefined;
}

/** Why a schema registry URL is unusable, or undefined. */
export function registryUrlProblem(url: string): string | undefined {
  if (!URL.canParse(url)) return 'expected an http(s) URL, e.g. http://localhost:8081';
  const { protocol } = new URL(url);
  return protocol === 'http:' || protocol === 'https:' ? undefined : `expected http or https, got "${protocol.slice(0, -1)}"`;
}
