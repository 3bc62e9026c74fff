import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../errors.js';
import { parseTimeout, redactSettings, resolveSettings, type SettingsInput } from './settings.js';

const project = { location: 'topics.yaml (environments.prod)', brokers: ['p1:9092', 'p2:9092'], schemaRegistry: 'http://registry.prod:8081' };

function expectFailure(fn: () => unknown, type: new (...args: never[]) => Error, message: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(type);
  expect((caught as Error).message).toBe(message);
}

function resolve(partial: Partial<SettingsInput>) {
  return resolveSettings({ flags: {}, environment: {}, project: undefined, ...partial });
}

describe('resolveSettings', () => {
  it('uses built-in defaults when nothing is set', () => {
    const { settings, origins } = resolve({});
    expect(settings.brokers).toEqual(['localhost:9092']);
    expect(settings.schemaRegistry.url).toBe('http://localhost:8081');
    expect(settings.clientId).toBe('iotmsg');
    expect(settings.timeoutMs).toBe(10_000);
    expect(settings.tls).toBeUndefined();
    expect(settings.sasl).toBeUndefined();
    expect(origins.brokers).toEqual({ source: 'default', from: 'built-in default' });
  });

  it('ranks flag over environment variable over project over default, per setting', () => {
    const environment = { KAFKA_BROKERS: 'env1:9092, env2:9092', SCHEMA_REGISTRY_URL: 'http://env-registry:8081/' };
    const fromEnv = resolve({ environment, project });
    expect(fromEnv.settings.brokers).toEqual(['env1:9092', 'env2:9092']);
    expect(fromEnv.origins.brokers).toEqual({ source: 'env', from: 'KAFKA_BROKERS' });
    expect(fromEnv.settings.schemaRegistry.url).toBe('http://env-registry:8081');

    const fromFlag = resolve({ environment, project, flags: { bootstrapServer: 'flag:9092' } });
    expect(fromFlag.settings.brokers).toEqual(['flag:9092']);
    expect(fromFlag.origins.brokers?.source).toBe('flag');
    expect(fromFlag.settings.schemaRegistry.url).toBe('http://env-registry:8081');

    const fromProject = resolve({ project });
    expect(fromProject.settings.brokers).toEqual(['p1:9092', 'p2:9092']);
    expect(fromProject.origins.brokers).toEqual({ source: 'project', from: 'topics.yaml (environments.prod)' });
    expect(fromProject.settings.schemaRegistry.url).toBe('http://registry.prod:8081');
  });

  it('reads SASL and TLS from the variables the services use', () => {
    const { settings } = resolve({
      environment: {
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: '/etc/ca.pem',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'svc',
        KAFKA_SASL_PASSWORD: 's3cret',
      },
    });
    expect(settings.tls).toEqual({ caFile: '/etc/ca.pem', certFile: undefined, keyFile: undefined, rejectUnauthorized: true, verifyHostname: true });
    expect(settings.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'svc', password: 's3cret' });
    expect(redactSettings(settings).sasl?.password).toBe('********');
  });

  it.each([
    [{ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'a', KAFKA_SASL_PASSWORD: 'b' }, 'KAFKA_SASL_MECHANISM=gssapi is not a supported SASL mechanism'],
    [{ KAFKA_SASL_MECHANISM: 'plain' }, 'SASL plain needs a username and a password'],
    [{ KAFKA_SSL: 'maybe' }, 'KAFKA_SSL=maybe is not a boolean'],
    [{ KAFKA_SSL_CA_FILE: '/ca.pem' }, 'KAFKA_SSL_CA_FILE is set but KAFKA_SSL is not'],
    [{ KAFKA_SSL: '1', KAFKA_SSL_CERT_FILE: '/c.pem' }, 'mutual TLS needs both a client certificate and its key'],
  ])('refuses inconsistent security settings %#', (environment, message) => {
    expectFailure(() => resolve({ environment }), ConfigError, message);
  });

  it.each([
    [{ bootstrapServer: 'localhost' }, '"localhost" is not a broker address'],
    [{ bootstrapServer: 'localhost:99999' }, '"localhost:99999" is not a broker address'],
    [{ schemaRegistry: 'localhost:8081' }, '"localhost:8081" is not a schema registry URL'],
    [{ timeout: 'soon' }, '--timeout "soon" is not a duration'],
  ])('refuses malformed flags %#', (flags, message) => {
    expectFailure(() => resolve({ flags }), UsageError, message);
  });

  it('accepts IPv6 broker addresses', () => {
    expect(resolve({ flags: { bootstrapServer: '[::1]:9092' } }).settings.brokers).toEqual(['[::1]:9092']);
  });
});

describe('parseTimeout', () => {
  it.each([
    ['10s', 10_000],
    ['500ms', 500],
    ['1m', 60_000],
    ['3', 3_000],
    ['1.5s', 1_500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseTimeout(text, '--timeout')).toBe(ms);
  });
});
