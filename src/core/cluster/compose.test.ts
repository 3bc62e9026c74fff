import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeStack, imageEnvName, renderComposeFile, stackEndpoints, type ComposeStack } from './compose.js';
import { haproxyConfig } from './haproxy.js';
import { brokerNodes, brokerSettings, CLUSTER_PROFILES, KAFKA_VERSION } from './profiles.js';
import { brokerSecuritySettings, profileSecurity } from './security.js';

const DEPLOY = '../../../deploy';

/** The apache/kafka image's rule, read backwards: KAFKA_A_B__C___D is a.b_c-d. */
function propertiesOf(environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment)
      .filter(([k]) => k.startsWith('KAFKA_') && !['KAFKA_HEAP_OPTS', 'KAFKA_JMX_OPTS'].includes(k))
      .map(([k, v]) => [k.slice('KAFKA_'.length).toLowerCase().split('___').map((part) => part.split('__').map((p) => p.replace(/_/g, '.')).join('_')).join('-'), v.replace(/\$\$/g, '$')]),
  );
}

function parsedStack(env: 'dev' | 'prod'): ComposeStack {
  return parse(renderComposeFile(CLUSTER_PROFILES[env])) as ComposeStack;
}

describe('the checked-in deploy files', () => {
  // Fails when a profile changed without regenerating; `vitest run <this file> -u` rewrites them.
  it('are what the generator makes of the profiles', async () => {
    await expect(renderComposeFile(CLUSTER_PROFILES.dev)).toMatchFileSnapshot(`${DEPLOY}/docker-compose.dev.yml`);
    await expect(renderComposeFile(CLUSTER_PROFILES.prod)).toMatchFileSnapshot(`${DEPLOY}/docker-compose.prod.yml`);
    await expect(haproxyConfig(CLUSTER_PROFILES.prod)).toMatchFileSnapshot(`${DEPLOY}/haproxy/haproxy.cfg`);
  });

  it('end with exactly one newline', () => {
    for (const text of [renderComposeFile(CLUSTER_PROFILES.dev), renderComposeFile(CLUSTER_PROFILES.prod), haproxyConfig(CLUSTER_PROFILES.prod)]) {
      expect(text.endsWith('\n')).toBe(true);
      expect(text.endsWith('\n\n')).toBe(false);
    }
  });
});

describe('the Kafka line', () => {
  it('is 4.x for the local runtime and every Compose broker, and `npm test` also runs the integration suite against 3.9', () => {
    expect(KAFKA_VERSION).toMatch(/^4\.\d+\.\d+$/);
    for (const env of ['dev', 'prod'] as const) {
      const images = Object.values(parsedStack(env).services).map((s) => s.image).filter((image) => image.startsWith('apache/kafka:'));
      expect(new Set(images)).toEqual(new Set([`apache/kafka:${KAFKA_VERSION}`]));
    }
    const scripts = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['test:kafka-3.9']).toMatch(/^IOTMSG_KAFKA_VERSION=3\.9\.\d+ vitest run --project integration /);
    expect(scripts.test).toMatch(/&& npm run test:kafka-3\.9$/);
  });
});

describe('composeStack', () => {
  it.each(['dev', 'prod'] as const)('gives %s brokers exactly the broker settings of the profile the local runtime uses', (env) => {
    const profile = CLUSTER_PROFILES[env];
    const stack = parsedStack(env);
    const brokers = Object.entries(stack.services).filter(([, s]) => s.image.startsWith('apache/kafka:'));
    expect(brokers.map(([name]) => name)).toEqual(Array.from({ length: profile.brokerCount }, (_, i) => `kafka-${i + 1}`));
    for (const [, broker] of brokers) {
      expect(propertiesOf(broker.environment!)).toMatchObject(brokerSettings(profile));
      expect(broker.environment!.KAFKA_HEAP_OPTS).toBe(`-Xms${profile.heapMb}m -Xmx${profile.heapMb}m`);
    }
  });

  it('makes dev one broker with the profile heap, without automatic topic creation, a registry, the kafbat UI and a JMX port', () => {
    const { services } = parsedStack('dev');
    expect(Object.keys(services)).toEqual(['kafka-1', 'schema-registry', 'kafka-ui']);
    const broker = services['kafka-1']!;
    expect(broker.environment!.KAFKA_HEAP_OPTS).toContain(`-Xmx${CLUSTER_PROFILES.dev.heapMb}m`);
    expect(broker.environment!.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    expect(broker.environment!.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe('1@kafka-1:9093');
    expect(broker.ports).toEqual(['127.0.0.1:9092:9092', '127.0.0.1:9101:9101']);
    expect(broker.environment!.KAFKA_JMX_OPTS).toContain('jmxremote.port=9101');
    expect(services['kafka-ui']!.image).toMatch(/^ghcr\.io\/kafbat\/kafka-ui:v\d/);
    expect(services['schema-registry']!.environment!.SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR).toBe('1');
  });

  it('makes prod three brokers in a 3-voter quorum with RF 3, min ISR 2, no unclean election, behind HAProxy', () => {
    const { services } = parsedStack('prod');
    expect(Object.keys(services)).toEqual(['kafka-1', 'kafka-2', 'kafka-3', 'schema-registry', 'haproxy']);
    for (const id of [1, 2, 3]) {
      const env = services[`kafka-${id}`]!.environment!;
      expect(env.KAFKA_NODE_ID).toBe(String(id));
      expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe('1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093');
      expect(env.KAFKA_DEFAULT_REPLICATION_FACTOR).toBe('3');
      expect(env.KAFKA_MIN_INSYNC_REPLICAS).toBe('2');
      expect(env.KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE).toBe('false');
      expect(env.KAFKA_INTER_BROKER_LISTENER_NAME).toBe('INTERNAL');
      expect(env.KAFKA_ADVERTISED_LISTENERS).toBe(`INTERNAL://kafka-${id}:29092,CLIENT://\${IOTMSG_ADVERTISED_HOST:-localhost}:${19091 + id}`);
      expect(services[`kafka-${id}`]!.ports).toContain(`${19100 + id}:${19100 + id}`);
    }
    expect(services['schema-registry']!.depends_on).toEqual({
      'kafka-1': { condition: 'service_healthy' },
      'kafka-2': { condition: 'service_healthy' },
      'kafka-3': { condition: 'service_healthy' },
    });
    expect(services.haproxy!.ports).toEqual(['19090:9092', '18404:8404']);
    expect(services.haproxy!.volumes).toEqual(['./haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro']);
  });

  it.each(['dev', 'prod'] as const)('gives every %s service a health check and a pinned image', (env) => {
    for (const [name, service] of Object.entries(composeStack(CLUSTER_PROFILES[env]).services)) {
      expect(service.healthcheck.test[0], name).toBe('CMD-SHELL');
      expect(service.image, name).toMatch(/:v?\d+\.\d+\.\d+(-alpine)?$/);
    }
  });

  it('secures prod as the local runtime does: SASL_SSL + SCRAM-SHA-512 for clients, mTLS between brokers, the authorizer on', () => {
    const nodes = brokerNodes(CLUSTER_PROFILES.prod);
    const { services } = parsedStack('prod');
    for (const node of nodes) {
      const broker = services[node.name]!;
      const properties = propertiesOf(broker.environment!);
      // The runtime's own generator, with the container's paths and no password in the file.
      const expected = brokerSecuritySettings(profileSecurity('prod'), nodes, { keystoreFile: `/etc/kafka/tls/${node.name}.p12`, truststoreFile: '/etc/kafka/tls/ca.pem', keystorePassword: '' });
      delete expected['ssl.keystore.password'];
      delete expected['ssl.key.password'];
      expect(properties).toMatchObject(expected);
      expect(properties['listener.security.protocol.map']).toBe('CLIENT:SASL_SSL,INTERNAL:SSL,CONTROLLER:SSL');
      expect(properties['super.users']).toBe('User:admin;User:kafka-1;User:kafka-2;User:kafka-3');
      expect(properties['ssl.keystore.password']).toBeUndefined();
      expect(broker.volumes).toEqual([`${node.name}-data:/var/lib/kafka/data`, '${IOTMSG_STATE_DIR:-~/.local/state/iotmsg}/prod/tls:/etc/kafka/tls:ro', '${IOTMSG_STATE_DIR:-~/.local/state/iotmsg}/prod/secrets:/etc/kafka/secrets:ro']);
      // SCRAM users go into the storage at the first start; passwords come from the mounted files.
      const entrypoint = broker.entrypoint!.join(' ');
      expect(entrypoint).toContain('--add-scram "SCRAM-SHA-512=[name=admin,password=$$(cat /etc/kafka/secrets/admin.password)]"');
      expect(entrypoint).toContain('--add-scram "SCRAM-SHA-512=[name=iotmsg,password=$$(cat /etc/kafka/secrets/iotmsg.password)]"');
      expect(broker.healthcheck.test[1]).toContain('--command-config /tmp/iotmsg-internal-client.properties');
    }
    expect(services['schema-registry']!.environment!.SCHEMA_REGISTRY_KAFKASTORE_SECURITY_PROTOCOL).toBe('SSL');
  });

  it('leaves dev PLAINTEXT, with no entrypoint of its own and nothing mounted from the state', () => {
    const broker = parsedStack('dev').services['kafka-1']!;
    expect(broker.entrypoint).toBeUndefined();
    expect(broker.environment!.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP).toBe('CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT');
    expect(broker.environment!.KAFKA_AUTHORIZER_CLASS_NAME).toBeUndefined();
  });
});

describe('imageEnvName', () => {
  it('writes dots, underscores and dashes the way the Kafka images read them back', () => {
    expect(imageEnvName('KAFKA_', 'auto.create.topics.enable')).toBe('KAFKA_AUTO_CREATE_TOPICS_ENABLE');
    expect(imageEnvName('KAFKA_', 'listener.name.external.scram-sha-512.sasl.jaas.config')).toBe('KAFKA_LISTENER_NAME_EXTERNAL_SCRAM___SHA___512_SASL_JAAS_CONFIG');
    expect(imageEnvName('KAFKA_', 'a_b.c')).toBe('KAFKA_A__B_C');
  });
});

describe('stackEndpoints', () => {
  it('bootstraps dev from its broker and prod from HAProxy, and lists every published port', () => {
    expect(stackEndpoints(CLUSTER_PROFILES.dev)).toEqual({
      bootstrapServers: ['localhost:9092'],
      schemaRegistryUrl: 'http://localhost:8081',
      webUiUrl: 'http://localhost:8080',
      statsUrl: undefined,
      publishedPorts: [9092, 9101, 8081, 8080],
    });
    const prod = stackEndpoints(CLUSTER_PROFILES.prod);
    expect(prod.bootstrapServers).toEqual(['localhost:19090']);
    expect(prod.statsUrl).toBe('http://localhost:18404/stats');
    expect(prod.publishedPorts).toEqual([19092, 19101, 19093, 19102, 19094, 19103, 18081, 19090, 18404]);
  });
});
