import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../errors.js';
import { readCommandConfig } from './commandConfig.js';
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

describe('resolveSettings with a command config and a project security block', () => {
  const commandConfig = readCommandConfig(
    [
      'bootstrap.servers=cc:9093',
      'security.protocol=SASL_SSL',
      'sasl.mechanism=SCRAM-SHA-512',
      'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="cc-user" password="cc-pw";',
      'ssl.truststore.location=/cc/ca.pem',
      'basic.auth.user.info=reg:reg-pw',
    ].join('\n'),
    'client.properties',
  );
  const secured = {
    ...project,
    security: {
      protocol: 'SASL_SSL' as const,
      sasl: { mechanism: 'SCRAM-SHA-256' as const, username: 'proj-user', password: { env: 'PROJ_PW' } },
      tls: { caFile: '/proj/ca.pem', verifyHostname: false },
    },
    registrySecurity: { username: 'proj-reg', password: { file: '/proj/reg.pw' }, caFile: '/proj/reg-ca.pem' },
  };
  const secrets: Record<string, string> = { 'env:PROJ_PW': 'proj-pw', 'file:/proj/reg.pw': 'proj-reg-pw' };
  const readSecret = (ref: { env: string } | { file: string }) => {
    const value = secrets['env' in ref ? `env:${ref.env}` : `file:${ref.file}`];
    if (value === undefined) throw new ConfigError(`unreadable ${JSON.stringify(ref)}`);
    return value;
  };

  it('the project file alone: SASL and TLS from its security block, secrets read through their references', () => {
    const { settings, origins } = resolve({ project: secured, readSecret });
    expect(settings.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'proj-user', password: 'proj-pw' });
    expect(settings.tls).toMatchObject({ caFile: '/proj/ca.pem', verifyHostname: false });
    expect(settings.schemaRegistry).toMatchObject({ username: 'proj-reg', password: 'proj-reg-pw', caFile: '/proj/reg-ca.pem' });
    expect(origins['sasl.password']).toEqual({ source: 'project', from: 'topics.yaml (environments.prod)' });
  });

  it('ranks the command config above the project file and below variables and flags, per setting', () => {
    const { settings, origins } = resolve({ project: secured, commandConfig, readSecret, environment: { KAFKA_SASL_USERNAME: 'env-user' }, flags: { bootstrapServer: 'flag:9092' } });
    expect(settings.brokers).toEqual(['flag:9092']);
    expect(settings.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'env-user', password: 'cc-pw' });
    expect(origins['sasl.username']).toEqual({ source: 'env', from: 'KAFKA_SASL_USERNAME' });
    expect(origins['sasl.password']).toEqual({ source: 'command-config', from: 'client.properties:4 (sasl.jaas.config)' });
    expect(origins['sasl.mechanism']?.from).toBe('client.properties:3 (sasl.mechanism)');
    expect(settings.tls?.caFile).toBe('/cc/ca.pem');
    // Said only by the project file: still used.
    expect(settings.tls?.verifyHostname).toBe(false);
    expect(origins['tls.verifyHostname']?.source).toBe('project');
    expect(settings.schemaRegistry).toMatchObject({ username: 'reg', password: 'reg-pw', caFile: '/proj/reg-ca.pem' });
  });

  it('ranks a profile below the command config and above the project file', () => {
    const profile = { ...readCommandConfig('bootstrap.servers=profile:9092\nsecurity.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="p-user" password="p-pw";', 'prod.properties'), location: 'profile prod' };
    const alone = resolve({ project: secured, profile, readSecret });
    expect(alone.settings.brokers).toEqual(['profile:9092']);
    expect(alone.settings.sasl).toEqual({ mechanism: 'plain', username: 'p-user', password: 'p-pw' });
    expect(alone.origins.brokers?.source).toBe('profile');
    // Said only by the project file: still used.
    expect(alone.settings.tls?.caFile).toBe('/proj/ca.pem');
    const under = resolve({ project: secured, profile, commandConfig, readSecret });
    expect(under.settings.brokers).toEqual(['cc:9093']);
    expect(under.origins['sasl.password']?.source).toBe('command-config');
  });

  it('reads a losing secret never: an unset variable the project names does not matter when the password comes from elsewhere', () => {
    const { settings } = resolve({ project: secured, commandConfig, readSecret: () => { throw new ConfigError('must not be read'); } });
    expect(settings.sasl?.password).toBe('cc-pw');
  });

  it('a PLAINTEXT command config turns off what the project file switches on', () => {
    const { settings } = resolve({ project: secured, readSecret, commandConfig: readCommandConfig('security.protocol=PLAINTEXT', 'c') });
    expect(settings.tls).toBeUndefined();
    expect(settings.sasl).toBeUndefined();
  });

  it('labels IOTMSG_ENV as an environment variable', () => {
    expect(resolve({ environment: { IOTMSG_ENV: 'prod' } }).origins.env).toEqual({ source: 'env', from: 'IOTMSG_ENV' });
  });

  it('redacts every secret', () => {
    const pkcs12 = readCommandConfig('security.protocol=SSL\nssl.keystore.location=k.p12\nssl.keystore.password=ks-pw\nssl.truststore.location=t.p12\nssl.truststore.password=ts-pw', 'c');
    const { settings } = resolve({ commandConfig: pkcs12 });
    expect(settings.tls).toMatchObject({ pfxFile: 'k.p12', passphrase: 'ks-pw', caType: 'PKCS12', caPassword: 'ts-pw' });
    const printed = JSON.stringify(redactSettings(resolve({ project: secured, readSecret }).settings)) + JSON.stringify(redactSettings(settings));
    for (const secret of ['proj-pw', 'proj-reg-pw', 'ks-pw', 'ts-pw']) expect(printed).not.toContain(secret);
  });
});
