import { describe, expect, it } from 'vitest';
import { brokerNodes, CLUSTER_PROFILES } from './profiles.js';
import { addScramArgument, brokerSecuritySettings, certificatePlan, clientProperties, librdkafkaConfig, profileSecurity, propertyValue } from './security.js';

const nodes = brokerNodes(CLUSTER_PROFILES.prod);
const keys = { keystoreFile: '/s/tls/kafka-1.p12', truststoreFile: '/s/tls/ca.pem', keystorePassword: 'ks' };

describe('certificatePlan', () => {
  it('names every broker by loopback, host name and service name, and makes the client certificate the admin', () => {
    const plan = certificatePlan(nodes, 'build-7');
    expect(plan.certificates.map((c) => c.name)).toEqual(['kafka-1', 'kafka-2', 'kafka-3', 'schema-registry', 'client']);
    expect(plan.certificates[1]).toMatchObject({ commonName: 'kafka-2', dnsNames: ['localhost', 'build-7', 'kafka-2'], ipAddresses: ['127.0.0.1'], use: 'server-and-client' });
    expect(plan.certificates.at(-1)).toMatchObject({ commonName: 'admin', use: 'client' });
  });
});

describe('brokerSecuritySettings', () => {
  it('requires client certificates on the SSL client listener only when the protocol is SSL', () => {
    expect(brokerSecuritySettings({ protocol: 'SSL' }, nodes, keys)['listener.name.client.ssl.client.auth']).toBe('required');
    expect(brokerSecuritySettings(profileSecurity('prod'), nodes, keys)['listener.name.client.ssl.client.auth']).toBeUndefined();
  });

  it('keeps PLAIN users in the JAAS line, quoted', () => {
    const settings = brokerSecuritySettings({ protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'PLAIN', username: 'svc', password: { env: 'X' } } }, nodes, { ...keys, plainUsers: { admin: 'a"b', svc: 'c\\d' } });
    expect(settings['listener.name.client.plain.sasl.jaas.config']).toBe('org.apache.kafka.common.security.plain.PlainLoginModule required user_admin="a\\"b" user_svc="c\\\\d";');
    expect(settings['listener.name.client.sasl.enabled.mechanisms']).toBe('PLAIN');
  });
});

describe('addScramArgument', () => {
  it('hands the storage tool the salted password, never the password', () => {
    const arg = addScramArgument('SCRAM-SHA-256', { user: 'admin', salt: Buffer.from('salt'), saltedPassword: Buffer.from('salted'), iterations: 8192 });
    expect(arg).toBe('SCRAM-SHA-256=[name=admin,iterations=8192,salt="c2FsdA==",saltedpassword="c2FsdGVk"]');
  });
});

describe('client files', () => {
  const input = { security: profileSecurity('prod'), bootstrapServers: ['127.0.0.1:1', '127.0.0.1:2'], caFile: '/s/client/ca.pem', adminPassword: 'p\\w', registry: { url: 'https://127.0.0.1:3', username: 'admin', password: 'p\\w' } };

  it('writes Java client properties Kafka tools read back as written, registry keys included', () => {
    const text = clientProperties(input);
    expect(text).toContain('security.protocol=SASL_SSL\n');
    expect(text).toContain('sasl.mechanism=SCRAM-SHA-512\n');
    expect(text).toContain('sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="p\\\\\\\\w";\n');
    expect(text).toContain('basic.auth.user.info=admin:p\\\\w\n');
    expect(text).toContain('schema.registry.ssl.truststore.location=/s/client/ca.pem\nschema.registry.ssl.truststore.type=PEM\n');
  });

  it('writes librdkafka properties for kcat -F', () => {
    expect(librdkafkaConfig(input)).toContain('security.protocol=sasl_ssl\nssl.ca.location=/s/client/ca.pem\n');
  });

  it('escapes what Java properties would otherwise read differently', () => {
    expect(propertyValue(' a\\b\nc')).toBe('\\ a\\\\b\\nc');
  });
});
