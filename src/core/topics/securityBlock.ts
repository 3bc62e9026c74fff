import { keytoolConversionHint } from '../config/commandConfig.js';
import {
  SASL_MECHANISM_NAMES,
  SECURITY_PROTOCOLS,
  usesSasl,
  usesTls,
  type EnvironmentSecurity,
  type RegistrySecurity,
  type SaslMechanismName,
  type SecretRef,
  type TlsSecurity,
} from '../config/security.js';
import { didYouMean } from './didYouMean.js';
import { REGISTRY_KEYS, registryUrlProblem, SASL_KEYS, SECRET_REF_KEYS, SECURITY_KEYS, TLS_KEYS } from './fileFormat.js';
import type { Position } from './model.js';
import type { Field, YamlReader } from './yamlReader.js';

/**
 * An environment's `security` block and `schemaRegistry` mapping. Secrets are accepted only
 * by reference ({env: NAME} or {file: path}): a password written into topics.yaml would end
 * up in every clone of the repository.
 */
const label = (key: string, context: string): string => `"${key}" in ${context}`;

export function readSecurity(reader: YamlReader, field: Field, envContext: string): EnvironmentSecurity | undefined {
  const context = `the security of ${envContext}`;
  const at = reader.valuePosition(field);
  const fields = reader.mapping(field.value, at, label('security', envContext), context, SECURITY_KEYS);
  if (fields === undefined) return undefined;
  const protocolField = fields.get('protocol');
  if (protocolField === undefined) {
    reader.error(at, 'missing-key', `missing key "protocol" in ${context}`, `one of: ${SECURITY_PROTOCOLS.join(', ')}`);
    return undefined;
  }
  const protocol = oneOf(reader, protocolField, context, SECURITY_PROTOCOLS);
  if (protocol === undefined) return undefined;
  const security: EnvironmentSecurity = { protocol };
  const saslField = fields.get('sasl');
  if (usesSasl(protocol)) {
    if (saslField === undefined) reader.error(at, 'missing-key', `${context} uses ${protocol} but has no "sasl" block`, 'add sasl: {mechanism, username, password}');
    else security.sasl = readSasl(reader, saslField, context);
  } else if (saslField !== undefined) {
    reader.error(reader.positionOf(saslField.keyNode), 'unused-key', `"sasl" in ${context} has no effect with protocol ${protocol}`, 'use SASL_PLAINTEXT or SASL_SSL');
  }
  const tlsField = fields.get('tls');
  if (usesTls(protocol)) {
    security.tls = tlsField === undefined ? { verifyHostname: true } : readTls(reader, tlsField, context);
  } else if (tlsField !== undefined) {
    reader.error(reader.positionOf(tlsField.keyNode), 'unused-key', `"tls" in ${context} has no effect with protocol ${protocol}`, 'use SSL or SASL_SSL');
  }
  return security;
}

function readSasl(reader: YamlReader, field: Field, securityContext: string): EnvironmentSecurity['sasl'] {
  const context = `the sasl of ${securityContext}`;
  const at = reader.valuePosition(field);
  const fields = reader.mapping(field.value, at, label('sasl', securityContext), context, SASL_KEYS);
  if (fields === undefined) return undefined;
  for (const key of SASL_KEYS) {
    if (!fields.has(key)) reader.error(at, 'missing-key', `missing key "${key}" in ${context}`);
  }
  const mechanismField = fields.get('mechanism');
  const mechanism: SaslMechanismName | undefined = mechanismField && oneOf(reader, mechanismField, context, SASL_MECHANISM_NAMES);
  const usernameField = fields.get('username');
  const username = usernameField && reader.string(usernameField.value, reader.valuePosition(usernameField), label('username', context));
  const passwordField = fields.get('password');
  const password = passwordField && readSecretRef(reader, passwordField, context);
  if (mechanism === undefined || username === undefined || password === undefined) return undefined;
  return { mechanism, username, password };
}

function readTls(reader: YamlReader, field: Field, securityContext: string): TlsSecurity | undefined {
  const context = `the tls of ${securityContext}`;
  const fields = reader.mapping(field.value, reader.valuePosition(field), label('tls', securityContext), context, TLS_KEYS);
  if (fields === undefined) return undefined;
  const tls: TlsSecurity = { verifyHostname: true };
  for (const key of ['caFile', 'certFile', 'keyFile', 'keystoreFile'] as const) {
    const pathField = fields.get(key);
    const path = pathField && readPath(reader, pathField, context);
    if (path !== undefined) tls[key] = path;
  }
  const passwordField = fields.get('keystorePassword');
  if (passwordField !== undefined) {
    const ref = readSecretRef(reader, passwordField, context);
    if (ref !== undefined) tls.keystorePassword = ref;
  }
  const verify = fields.get('verifyHostname');
  if (verify !== undefined) tls.verifyHostname = reader.boolean(verify.value, reader.valuePosition(verify), label('verifyHostname', context)) ?? true;
  const at = reader.valuePosition(field);
  if (fields.has('certFile') !== fields.has('keyFile')) {
    reader.error(at, 'missing-key', `${context} needs both "certFile" and "keyFile" for mutual TLS`);
  }
  if (fields.has('keystoreFile') && (fields.has('certFile') || fields.has('keyFile'))) {
    reader.error(at, 'conflicting-keys', `${context} names both a PKCS#12 "keystoreFile" and PEM "certFile"/"keyFile"`, 'use one of them');
  }
  if (fields.has('keystorePassword') && !fields.has('keystoreFile')) {
    reader.error(reader.positionOf(passwordField!.keyNode), 'unused-key', `"keystorePassword" in ${context} has no "keystoreFile" to open`);
  }
  return tls;
}

/** The mapping form of `schemaRegistry`; the string form stays a bare URL. */
export function readRegistry(reader: YamlReader, field: Field, envContext: string): RegistrySecurity | undefined {
  const at = reader.valuePosition(field);
  const urlOf = (value: string | undefined, where: Position): string | undefined => {
    const problem = value === undefined ? undefined : registryUrlProblem(value);
    if (problem !== undefined) reader.error(where, 'invalid-url', `invalid schema registry URL "${value}" in ${envContext}`, problem);
    return problem === undefined ? value : undefined;
  };
  if (typeof reader.scalarValue(field.value) === 'string') {
    const url = urlOf(reader.string(field.value, at, label('schemaRegistry', envContext)), at);
    return url === undefined ? undefined : { url };
  }
  const context = `the schemaRegistry of ${envContext}`;
  const fields = reader.mapping(field.value, at, label('schemaRegistry', envContext), context, REGISTRY_KEYS, 'a URL or a mapping');
  if (fields === undefined) return undefined;
  const urlField = fields.get('url');
  if (urlField === undefined) {
    reader.error(at, 'missing-key', `missing key "url" in ${context}`);
    return undefined;
  }
  const urlAt = reader.valuePosition(urlField);
  const url = urlOf(reader.string(urlField.value, urlAt, label('url', context)), urlAt);
  if (url === undefined) return undefined;
  const registry: RegistrySecurity = { url };
  const usernameField = fields.get('username');
  const username = usernameField && reader.string(usernameField.value, reader.valuePosition(usernameField), label('username', context));
  if (username !== undefined) registry.username = username;
  const passwordField = fields.get('password');
  const password = passwordField && readSecretRef(reader, passwordField, context);
  if (password !== undefined) registry.password = password;
  if ((username === undefined) !== (passwordField === undefined)) {
    reader.error(at, 'missing-key', `${context} needs both "username" and "password" for basic auth`);
  }
  const caField = fields.get('caFile');
  const caFile = caField && readPath(reader, caField, context);
  if (caFile !== undefined) registry.caFile = caFile;
  return registry;
}

function oneOf<T extends string>(reader: YamlReader, field: Field, context: string, values: readonly T[]): T | undefined {
  const at = reader.valuePosition(field);
  const raw = reader.string(field.value, at, label(field.key, context));
  if (raw === undefined) return undefined;
  const value = values.find((v) => v === raw.toUpperCase());
  if (value === undefined) reader.error(at, 'invalid-value', `invalid ${field.key} "${raw}" in ${context}`, didYouMean(raw, values) ?? `expected one of: ${values.join(', ')}`);
  return value;
}

/** A file path; a JKS store is refused here, where the user can still convert it. */
function readPath(reader: YamlReader, field: Field, context: string): string | undefined {
  const at = reader.valuePosition(field);
  const path = reader.string(field.value, at, label(field.key, context));
  if (path === undefined) return undefined;
  if (path.trim() === '') {
    reader.error(at, 'invalid-path', `${label(field.key, context)} must not be empty`);
    return undefined;
  }
  if (/\.jks$/i.test(path)) {
    reader.error(at, 'jks-store', `${path} in ${context} is a JKS store, which iotmsg cannot read`, keytoolConversionHint(path));
    return undefined;
  }
  return path;
}

function readSecretRef(reader: YamlReader, field: Field, context: string): SecretRef | undefined {
  const at = reader.valuePosition(field);
  const hint = `write ${field.key}: {env: VARIABLE} or ${field.key}: {file: path/to/secret}`;
  if (reader.scalarValue(field.value) !== undefined) {
    // The value itself is never echoed: it may be a real password.
    reader.error(at, 'literal-secret', `${label(field.key, context)} must be a reference, not a literal password`, hint);
    return undefined;
  }
  const fields = reader.mapping(field.value, at, label(field.key, context), `the ${field.key} of ${context}`, SECRET_REF_KEYS, '{env: NAME} or {file: path}');
  if (fields === undefined) return undefined;
  if (fields.size !== 1) {
    reader.error(at, 'invalid-secret-ref', `${label(field.key, context)} needs exactly one of "env" or "file"`, hint);
    return undefined;
  }
  const [only] = [...fields.values()];
  const refAt = reader.valuePosition(only!);
  const value = reader.string(only!.value, refAt, label(only!.key, `the ${field.key} of ${context}`));
  if (value === undefined || value.trim() === '') {
    if (value !== undefined) reader.error(refAt, 'invalid-secret-ref', `${label(only!.key, `the ${field.key} of ${context}`)} must not be empty`);
    return undefined;
  }
  if (only!.key === 'env') {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
      reader.error(refAt, 'invalid-secret-ref', `"${value}" is not an environment variable name`);
      return undefined;
    }
    return { env: value };
  }
  return { file: value };
}
