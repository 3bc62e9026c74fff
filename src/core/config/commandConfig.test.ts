import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { parseJaasConfig, readCommandConfig } from './commandConfig.js';

const SCRAM = 'org.apache.kafka.common.security.scram.ScramLoginModule';
const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule';

function failure(text: string): string {
  try {
    readCommandConfig(text, 'client.properties');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return `${(error as ConfigError).message} | ${(error as ConfigError).hint ?? ''}`;
  }
  throw new Error('expected a failure');
}

describe('readCommandConfig', () => {
  it('reads SASL_SSL with SCRAM-SHA-512, a PEM trust store and the registry keys, with the line of each', () => {
    const layer = readCommandConfig(
      [
        'bootstrap.servers=b1:9093, b2:9093',
        'security.protocol=SASL_SSL',
        'sasl.mechanism=SCRAM-SHA-512',
        `sasl.jaas.config=${SCRAM} required \\`,
        '  username="svc" password="p\\\\"w;d";',
        'ssl.truststore.type=PEM',
        'ssl.truststore.location=/etc/ca.pem',
        'ssl.endpoint.identification.algorithm=',
        'schema.registry.url=https://registry:8443/apis/ccompat/v7',
        'basic.auth.credentials.source=USER_INFO',
        'basic.auth.user.info=reg:s3:cret',
        'schema.registry.ssl.truststore.location=/etc/reg-ca.pem',
        'schema.registry.ssl.truststore.type=PEM',
        'linger.ms=5',
      ].join('\n'),
      'client.properties',
    );
    expect(layer.brokers).toEqual(['b1:9093', 'b2:9093']);
    expect(layer.tls).toBe(true);
    expect(layer.saslMechanism).toBe('scram-sha-512');
    expect(layer.saslUsername).toBe('svc');
    expect(layer.saslPassword?.()).toBe('p"w;d');
    expect(layer.caFile).toBe('/etc/ca.pem');
    expect(layer.verifyHostname).toBe(false);
    expect(layer.registryUrl).toBe('https://registry:8443/apis/ccompat/v7');
    expect(layer.registryUsername).toBe('reg');
    expect(layer.registryPassword?.()).toBe('s3:cret');
    expect(layer.registryCaFile).toBe('/etc/reg-ca.pem');
    expect(layer.fieldLocation?.saslPassword).toBe('client.properties:4 (sasl.jaas.config)');
  });

  it('PLAINTEXT says TLS and SASL are off', () => {
    const layer = readCommandConfig('security.protocol=plaintext\n', 'c');
    expect(layer.tls).toBe(false);
    expect(layer.saslMechanism).toBeNull();
  });

  it('reads a PKCS#12 keystore and trust store for mutual TLS, and a PEM keystore as certificate and key in one file', () => {
    const p12 = readCommandConfig(
      'security.protocol=SSL\nssl.truststore.location=t.p12\nssl.truststore.type=PKCS12\nssl.truststore.password=tp\nssl.keystore.location=k.p12\nssl.keystore.type=PKCS12\nssl.keystore.password=kp\nssl.key.password=kp\n',
      'c',
    );
    expect([p12.caFile, p12.caType, p12.caPassword?.(), p12.keystoreFile, p12.keystorePassword?.()]).toEqual(['t.p12', 'PKCS12', 'tp', 'k.p12', 'kp']);
    expect(p12.verifyHostname).toBeUndefined();
    const pem = readCommandConfig('security.protocol=SSL\nssl.keystore.type=PEM\nssl.keystore.location=/k/client.pem\nssl.key.password=kp\n', 'c');
    expect([pem.certFile, pem.keyFile, pem.keyPassword?.(), pem.keystoreFile]).toEqual(['/k/client.pem', '/k/client.pem', 'kp', undefined]);
  });

  it('reads PLAIN with a PlainLoginModule and SCRAM-SHA-256 with a ScramLoginModule', () => {
    expect(readCommandConfig(`security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=${PLAIN} required username=u password=p;`, 'c').saslMechanism).toBe('plain');
    expect(readCommandConfig(`security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-256\nsasl.jaas.config=${SCRAM} required username="u" password="p";`, 'c').saslMechanism).toBe('scram-sha-256');
  });

  it.each([
    ['security.protocol=TLS', 'client.properties:1: security.protocol=TLS is not a security protocol'],
    ['security.protocol=SASL_SSL\nsasl.jaas.config=x required;', 'client.properties:1: sasl.mechanism=GSSAPI is not supported'],
    ['security.protocol=SASL_SSL\nsasl.mechanism=PLAIN', 'client.properties:1: SASL needs sasl.jaas.config with a username and a password'],
    [`security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=${PLAIN} required username="u" password="p";`, `client.properties:3: ${PLAIN} does not sign in with SCRAM-SHA-512`],
    [`security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=${PLAIN} required username="u";`, 'client.properties:3: sasl.jaas.config needs both username="..." and password="..."'],
    [`security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=${PLAIN} required username="u" password="p"`, 'client.properties:3: sasl.jaas.config is not a JAAS login module entry'],
    ['security.protocol=SSL\nssl.endpoint.identification.algorithm=ldap', 'client.properties:2: ssl.endpoint.identification.algorithm=ldap is not supported'],
    ['basic.auth.credentials.source=URL\nbasic.auth.user.info=a:b', 'client.properties:1: basic.auth.credentials.source=URL is not supported'],
    ['basic.auth.user.info=nocolon', 'client.properties:1: basic.auth.user.info must be <user>:<password>'],
  ])('refuses %j', (text, message) => {
    expect(failure(text).split(' | ')[0]).toBe(message);
  });

  it('refuses a JKS store in one line saying how to convert it with keytool', () => {
    expect(failure('security.protocol=SSL\nssl.keystore.location=/s/client.jks\n')).toBe(
      'client.properties:2: /s/client.jks is a JKS store, which iotmsg cannot read | convert it to PKCS12: keytool -importkeystore -srckeystore /s/client.jks -destkeystore /s/client.p12 -deststoretype PKCS12',
    );
    expect(failure('security.protocol=SSL\nssl.truststore.location=/s/trust\nssl.truststore.type=JKS\n')).toContain('keytool -importkeystore -srckeystore /s/trust -destkeystore /s/trust.p12');
  });

  it('never puts a secret into a refusal', () => {
    const message = failure(`security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=${SCRAM} required username="u" password="hunter2";`);
    expect(message).not.toContain('hunter2');
  });
});

describe('parseJaasConfig', () => {
  it('reads quoted and bare options, escapes inside quotes, any control flag', () => {
    expect(parseJaasConfig(`${SCRAM} sufficient username=bob password="a \\"b\\" ; c" tokenauth=false;`)).toEqual({
      module: SCRAM,
      flag: 'sufficient',
      options: { username: 'bob', password: 'a "b" ; c', tokenauth: 'false' },
    });
  });

  it.each([`${SCRAM} required username="u"`, `${SCRAM} maybe username="u";`, `${SCRAM} required username "u";`, `${SCRAM} required username="u;`])('refuses %j', (text) => {
    expect(parseJaasConfig(text)).toBeUndefined();
  });
});
