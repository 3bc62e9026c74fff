import { Document, isMap } from 'yaml';
import type { EnvironmentSecurity } from '../config/security.js';
import { brokerNodes, brokerSettings, KAFKA_VERSION, quorumVoters, type BrokerNode, type ClusterEnv, type ClusterProfile } from './profiles.js';
import { ADMIN_USER, brokerSecuritySettings, CA_FILE, CLIENT_CERTIFICATE, isScram, LISTENERS, profileSecurity, securityProtocolMap } from './security.js';

/**
 * The Docker Compose stacks in deploy/, generated from the cluster profiles so a compose
 * broker and a local-runtime broker of the same environment get the same settings.
 * src/core/cluster/compose.test.ts keeps the checked-in files equal to this output.
 */

export const STACK_IMAGES = {
  kafka: `apache/kafka:${KAFKA_VERSION}`,
  schemaRegistry: 'confluentinc/cp-schema-registry:7.9.0',
  webUi: 'ghcr.io/kafbat/kafka-ui:v1.2.0',
  loadBalancer: 'haproxy:2.8.4-alpine',
} as const;

/** Container-side ports; only the host side of a mapping comes from the profile. */
export const CONTAINER_PORTS = {
  /** Broker-to-broker traffic and clients inside the stack (registry, UI, HAProxy health). */
  internal: 29092,
  /** The listener published to the host, advertised as the host's address. */
  external: 9092,
  controller: 9093,
  registry: 8081,
  webUi: 8080,
  stats: 8404,
} as const;

const EXTERNAL_LISTENER = 'EXTERNAL';
const DATA_DIR = '/var/lib/kafka/data';

export function composeProjectName(env: ClusterEnv): string {
  return `iotmsg-${env}`;
}

export function composeFileName(env: ClusterEnv): string {
  return `docker-compose.${env}.yml`;
}

/**
 * The environment variable the apache/kafka (and Confluent) images turn into `property`:
 * '.' becomes '_', '_' becomes '__' and '-' becomes '___'.
 */
export function imageEnvName(prefix: string, property: string): string {
  return prefix + property.replace(/_/g, '__').replace(/-/g, '___').replace(/\./g, '_').toUpperCase();
}

/** A fixed KRaft cluster id per environment: a named volume formatted once must match on the next `up`. */
export function stackClusterId(env: ClusterEnv): string {
  return Buffer.from(`iotmsg-${env}`.padEnd(16, '-')).toString('base64url');
}

/** Where clients on the host reach the stack. */
export interface StackEndpoints {
  bootstrapServers: string[];
  schemaRegistryUrl: string;
  webUiUrl: string | undefined;
  statsUrl: string | undefined;
  /** Every host port the stack publishes; all must be free before `up`. */
  publishedPorts: number[];
}

export function stackEndpoints(profile: ClusterProfile): StackEndpoints {
  const nodes = brokerNodes(profile);
  const { stack } = profile;
  const lb = stack.loadBalancer;
  return {
    bootstrapServers: lb ? [`localhost:${lb.bootstrapPort}`] : nodes.map((n) => `localhost:${n.port}`),
    schemaRegistryUrl: `http://localhost:${profile.ports.registryPort}`,
    webUiUrl: stack.webUiPort === undefined ? undefined : `http://localhost:${stack.webUiPort}`,
    statsUrl: lb ? `http://localhost:${lb.statsPort}/stats` : undefined,
    publishedPorts: [
      ...nodes.flatMap((n) => [n.port, jmxPort(profile, n)]),
      profile.ports.registryPort,
      ...(stack.webUiPort === undefined ? [] : [stack.webUiPort]),
      ...(lb ? [lb.bootstrapPort, lb.statsPort] : []),
    ],
  };
}

function jmxPort(profile: ClusterProfile, node: BrokerNode): number {
  return profile.stack.firstJmxPort + node.nodeId - 1;
}

interface HealthCheck {
  test: string[];
  interval: string;
  timeout: string;
  retries: number;
  start_period: string;
}

interface ComposeService {
  image: string;
  entrypoint?: string[];
  hostname?: string;
  depends_on?: Record<string, { condition: 'service_healthy' }>;
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck: HealthCheck;
  restart?: string;
}

export interface ComposeStack {
  services: Record<string, ComposeService>;
  volumes: Record<string, Record<string, never>>;
}

/** dev publishes on loopback only; prod on every interface, advertised under IOTMSG_ADVERTISED_HOST. */
function hostBinding(profile: ClusterProfile): { prefix: string; advertisedHost: string } {
  return profile.env === 'dev' ? { prefix: '127.0.0.1:', advertisedHost: 'localhost' } : { prefix: '', advertisedHost: '${IOTMSG_ADVERTISED_HOST:-localhost}' };
}

function healthCheck(command: string, startPeriodS: number): HealthCheck {
  return { test: ['CMD-SHELL', command], interval: '10s', timeout: '10s', retries: 12, start_period: `${startPeriodS}s` };
}

function healthyDependencies(names: readonly string[]): Record<string, { condition: 'service_healthy' }> {
  return Object.fromEntries(names.map((name) => [name, { condition: 'service_healthy' as const }]));
}

/**
 * Where a secured stack finds the state the local runtime's generator writes (certificates
 * in tls/, passwords in secrets/): `iotmsg deploy --env prod --runtime local` once, or the
 * same files made by hand. Containers read them as the image's user, so they must be
 * readable by it (the runtime writes them owner-only).
 */
export const STATE_DIR_VARIABLE = '${IOTMSG_STATE_DIR:-~/.local/state/iotmsg}';
const MOUNTED = { tls: '/etc/kafka/tls', secrets: '/etc/kafka/secrets' } as const;

function stateMounts(env: ClusterEnv): string[] {
  return [`${STATE_DIR_VARIABLE}/${env}/tls:${MOUNTED.tls}:ro`, `${STATE_DIR_VARIABLE}/${env}/secrets:${MOUNTED.secrets}:ro`];
}

function securityOf(profile: ClusterProfile): EnvironmentSecurity | undefined {
  const security = profileSecurity(profile.env);
  return security.protocol === 'PLAINTEXT' ? undefined : security;
}

function brokerService(profile: ClusterProfile, nodes: readonly BrokerNode[], node: BrokerNode): ComposeService {
  const { prefix, advertisedHost } = hostBinding(profile);
  const jmx = jmxPort(profile, node);
  const security = securityOf(profile);
  const listenerSettings: Record<string, string> = {
    'node.id': String(node.nodeId),
    'controller.quorum.voters': quorumVoters(nodes, (n) => `${n.name}:${CONTAINER_PORTS.controller}`),
    ...(security ? securedListeners(security, nodes, node, advertisedHost) : plaintextListeners(node, advertisedHost)),
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'INTERNAL',
    'log.dirs': DATA_DIR,
  };
  const properties = { ...listenerSettings, ...brokerSettings(profile) };
  return {
    image: STACK_IMAGES.kafka,
    hostname: node.name,
    ...(security ? { entrypoint: ['/bin/bash', '-c', securedBrokerEntrypoint(security, nodes, node)] } : {}),
    ports: [`${prefix}${node.port}:${CONTAINER_PORTS.external}`, `${prefix}${jmx}:${jmx}`],
    environment: {
      CLUSTER_ID: stackClusterId(profile.env),
      ...Object.fromEntries(Object.entries(properties).map(([k, v]) => [imageEnvName('KAFKA_', k), v])),
      KAFKA_HEAP_OPTS: `-Xms${profile.heapMb}m -Xmx${profile.heapMb}m`,
      // RMI must answer on the published port under the host's name for jconsole and friends.
      KAFKA_JMX_OPTS: [
        '-Dcom.sun.management.jmxremote=true',
        '-Dcom.sun.management.jmxremote.authenticate=false',
        '-Dcom.sun.management.jmxremote.ssl=false',
        `-Dcom.sun.management.jmxremote.port=${jmx}`,
        `-Dcom.sun.management.jmxremote.rmi.port=${jmx}`,
        '-Djava.rmi.server.hostname=localhost',
      ].join(' '),
    },
    volumes: [`${node.name}-data:${DATA_DIR}`, ...(security ? stateMounts(profile.env) : [])],
    // The probe is a Kafka client of its own: it must not claim the broker's JMX port or heap.
    healthcheck: healthCheck(
      `KAFKA_JMX_OPTS= KAFKA_HEAP_OPTS=-Xmx64m /opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:${CONTAINER_PORTS.internal}${security ? ` --command-config ${INTERNAL_CLIENT_CONFIG}` : ''} > /dev/null 2>&1`,
      30,
    ),
  };
}

function plaintextListeners(node: BrokerNode, advertisedHost: string): Record<string, string> {
  return {
    listeners: `INTERNAL://:${CONTAINER_PORTS.internal},${EXTERNAL_LISTENER}://:${CONTAINER_PORTS.external},CONTROLLER://:${CONTAINER_PORTS.controller}`,
    'advertised.listeners': `INTERNAL://${node.name}:${CONTAINER_PORTS.internal},${EXTERNAL_LISTENER}://${advertisedHost}:${node.port}`,
    'listener.security.protocol.map': `CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,${EXTERNAL_LISTENER}:PLAINTEXT`,
  };
}

/** The local runtime's listeners (security.ts), on the container's ports; the keystore password comes from the entrypoint. */
function securedListeners(security: EnvironmentSecurity, nodes: readonly BrokerNode[], node: BrokerNode, advertisedHost: string): Record<string, string> {
  const { client, internal, controller } = LISTENERS;
  const settings = brokerSecuritySettings(security, nodes, { keystoreFile: `${MOUNTED.tls}/${node.name}.p12`, truststoreFile: `${MOUNTED.tls}/${CA_FILE}`, keystorePassword: '' });
  delete settings['ssl.keystore.password'];
  delete settings['ssl.key.password'];
  return {
    listeners: `${internal}://:${CONTAINER_PORTS.internal},${client}://:${CONTAINER_PORTS.external},${controller}://:${CONTAINER_PORTS.controller}`,
    'advertised.listeners': `${internal}://${node.name}:${CONTAINER_PORTS.internal},${client}://${advertisedHost}:${node.port}`,
    'listener.security.protocol.map': securityProtocolMap(security),
    // Compose would read "$1" of the principal mapping rule as a variable.
    ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, v.replace(/\$/g, '$$$$')])),
  };
}

/** Inside a secured broker container: how its health check connects to the mTLS inter-broker listener, as the admin's certificate. */
const INTERNAL_CLIENT_CONFIG = '/tmp/iotmsg-internal-client.properties';

/**
 * A secured broker's entrypoint, before the image's own: the keystore password from the
 * mounted secrets into the environment (not into the compose file), the SCRAM users into
 * the storage at the first start (the storage tool takes them only as arguments, so they
 * are visible inside the container while it formats), and the health check's client config.
 */
function securedBrokerEntrypoint(security: EnvironmentSecurity, nodes: readonly BrokerNode[], node: BrokerNode): string {
  const mechanism = security.sasl?.mechanism;
  const users = [ADMIN_USER, ...(security.sasl && security.sasl.username !== ADMIN_USER ? [security.sasl.username] : [])];
  const scram = mechanism && isScram(mechanism) ? users.map((u) => `--add-scram "${mechanism}=[name=${u},password=$$(cat ${MOUNTED.secrets}/${u}.password)]"`).join(' ') : '';
  const formatConfig = [
    'process.roles=controller',
    `node.id=${node.nodeId}`,
    `controller.quorum.voters=${quorumVoters(nodes, (n) => `${n.name}:${CONTAINER_PORTS.controller}`)}`,
    'controller.listener.names=CONTROLLER',
    `listeners=CONTROLLER://:${CONTAINER_PORTS.controller}`,
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT',
    `log.dirs=${DATA_DIR}`,
  ];
  const clientConfig = [
    'security.protocol=SSL',
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${MOUNTED.tls}/${CA_FILE}`,
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.location=${MOUNTED.tls}/${CLIENT_CERTIFICATE}.p12`,
    'ssl.keystore.password=$$KAFKA_SSL_KEYSTORE_PASSWORD',
  ];
  return [
    'set -e',
    `export KAFKA_SSL_KEYSTORE_PASSWORD="$$(cat ${MOUNTED.secrets}/keystore.password)"`,
    'export KAFKA_SSL_KEY_PASSWORD="$$KAFKA_SSL_KEYSTORE_PASSWORD"',
    `printf '%s\\n' ${clientConfig.map((l) => `"${l}"`).join(' ')} > ${INTERNAL_CLIENT_CONFIG}`,
    `if [ ! -f ${DATA_DIR}/meta.properties ]; then`,
    `  printf '%s\\n' ${formatConfig.map((l) => `"${l}"`).join(' ')} > /tmp/iotmsg-format.properties`,
    `  /opt/kafka/bin/kafka-storage.sh format --cluster-id "$$CLUSTER_ID" -c /tmp/iotmsg-format.properties ${scram}`.trimEnd(),
    'fi',
    'exec /etc/kafka/docker/run',
  ].join('\n');
}

function registryService(profile: ClusterProfile, nodes: readonly BrokerNode[]): ComposeService {
  const { prefix } = hostBinding(profile);
  const secured = securityOf(profile) !== undefined;
  // On a secured stack the registry stores its schemas over the inter-broker listener, as the admin's certificate.
  const kafkastore: Record<string, string> = secured
    ? {
        SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: nodes.map((n) => `SSL://${n.name}:${CONTAINER_PORTS.internal}`).join(','),
        SCHEMA_REGISTRY_KAFKASTORE_SECURITY_PROTOCOL: 'SSL',
        SCHEMA_REGISTRY_KAFKASTORE_SSL_TRUSTSTORE_TYPE: 'PEM',
        SCHEMA_REGISTRY_KAFKASTORE_SSL_TRUSTSTORE_LOCATION: `${MOUNTED.tls}/${CA_FILE}`,
        SCHEMA_REGISTRY_KAFKASTORE_SSL_KEYSTORE_TYPE: 'PKCS12',
        SCHEMA_REGISTRY_KAFKASTORE_SSL_KEYSTORE_LOCATION: `${MOUNTED.tls}/${CLIENT_CERTIFICATE}.p12`,
      }
    : { SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: nodes.map((n) => `PLAINTEXT://${n.name}:${CONTAINER_PORTS.internal}`).join(',') };
  return {
    image: STACK_IMAGES.schemaRegistry,
    hostname: 'schema-registry',
    ...(secured
      ? {
          entrypoint: [
            '/bin/bash',
            '-c',
            [
              `export SCHEMA_REGISTRY_KAFKASTORE_SSL_KEYSTORE_PASSWORD="$$(cat ${MOUNTED.secrets}/keystore.password)"`,
              'export SCHEMA_REGISTRY_KAFKASTORE_SSL_KEY_PASSWORD="$$SCHEMA_REGISTRY_KAFKASTORE_SSL_KEYSTORE_PASSWORD"',
              'exec /etc/confluent/docker/run',
            ].join('\n'),
          ],
          volumes: stateMounts(profile.env),
        }
      : {}),
    // The old scripts started the registry before Kafka answered; it now waits for every broker.
    depends_on: healthyDependencies(nodes.map((n) => n.name)),
    ports: [`${prefix}${profile.ports.registryPort}:${CONTAINER_PORTS.registry}`],
    environment: {
      SCHEMA_REGISTRY_HOST_NAME: 'schema-registry',
      SCHEMA_REGISTRY_LISTENERS: `http://0.0.0.0:${CONTAINER_PORTS.registry}`,
      ...kafkastore,
      SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR: String(profile.defaultReplicationFactor),
      // Confluent's default, and what the local runtime's registry is set to.
      SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL: 'backward',
      SCHEMA_REGISTRY_HEAP_OPTS: '-Xms128m -Xmx256m',
    },
    healthcheck: healthCheck(`curl -fsS http://localhost:${CONTAINER_PORTS.registry}/subjects > /dev/null`, 30),
  };
}

function webUiService(profile: ClusterProfile, nodes: readonly BrokerNode[], port: number): ComposeService {
  const { prefix } = hostBinding(profile);
  return {
    image: STACK_IMAGES.webUi,
    depends_on: healthyDependencies([...nodes.map((n) => n.name), 'schema-registry']),
    ports: [`${prefix}${port}:${CONTAINER_PORTS.webUi}`],
    environment: {
      KAFKA_CLUSTERS_0_NAME: composeProjectName(profile.env),
      KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS: nodes.map((n) => `${n.name}:${CONTAINER_PORTS.internal}`).join(','),
      KAFKA_CLUSTERS_0_SCHEMAREGISTRY: `http://schema-registry:${CONTAINER_PORTS.registry}`,
      JAVA_OPTS: '-Xms64m -Xmx256m',
    },
    healthcheck: healthCheck(`wget -q -O /dev/null http://localhost:${CONTAINER_PORTS.webUi}/actuator/health`, 30),
  };
}

function loadBalancerService(nodes: readonly BrokerNode[], lb: { bootstrapPort: number; statsPort: number }): ComposeService {
  return {
    image: STACK_IMAGES.loadBalancer,
    depends_on: healthyDependencies(nodes.map((n) => n.name)),
    ports: [`${lb.bootstrapPort}:${CONTAINER_PORTS.external}`, `${lb.statsPort}:${CONTAINER_PORTS.stats}`],
    volumes: ['./haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro'],
    healthcheck: healthCheck(`wget -q -O /dev/null http://127.0.0.1:${CONTAINER_PORTS.stats}/healthz`, 5),
  };
}

export function composeStack(profile: ClusterProfile): ComposeStack {
  const nodes = brokerNodes(profile);
  const services: Record<string, ComposeService> = {};
  for (const node of nodes) services[node.name] = brokerService(profile, nodes, node);
  services['schema-registry'] = registryService(profile, nodes);
  if (profile.stack.webUiPort !== undefined) services['kafka-ui'] = webUiService(profile, nodes, profile.stack.webUiPort);
  if (profile.stack.loadBalancer) services.haproxy = loadBalancerService(nodes, profile.stack.loadBalancer);
  // A prod stack comes back after a host reboot or a crash; a dev stack stays down.
  if (profile.env === 'prod') for (const service of Object.values(services)) service.restart = 'unless-stopped';
  return { services, volumes: Object.fromEntries(nodes.map((n) => [`${n.name}-data`, {}])) };
}

/** The compose file as checked in under deploy/, comments included. */
export function renderComposeFile(profile: ClusterProfile): string {
  const stack = composeStack(profile);
  // YAML 1.1 quoting, because docker-compose v1 reads with PyYAML (where 22:22 is a number).
  const doc = new Document(stack, { version: '1.1' });
  const lb = profile.stack.loadBalancer;
  doc.commentBefore = [
    ` The ${profile.env} stack: ${profile.brokerCount} KRaft broker(s) (each also a controller), RF ${profile.defaultReplicationFactor}, min ISR ${profile.minInsyncReplicas},`,
    ` Schema Registry${profile.stack.webUiPort ? ', kafbat UI' : ''}${lb ? ', HAProxy for client bootstrap' : ''}. Start it with:`,
    `   iotmsg deploy --env ${profile.env} --runtime docker`,
    ` or docker compose -p ${composeProjectName(profile.env)} -f deploy/${composeFileName(profile.env)} up -d --wait`,
    '',
    ' Generated from src/core/cluster/profiles.ts, which the local runtime reads too: edit',
    ' the profile, then run "npx vitest run src/core/cluster/compose.test.ts -u".',
  ].join('\n');
  const security = securityOf(profile);
  if (security) {
    const environment = doc.getIn(['services', brokerNodes(profile)[0]!.name, 'environment'], true);
    if (isMap(environment)) environment.commentBefore = securityComment(profile.env, security);
  }
  return doc.toString({ lineWidth: 0 });
}

function securityComment(env: ClusterEnv, security: EnvironmentSecurity): string {
  return [
    ` Clients: ${security.protocol}${security.sasl ? ` with ${security.sasl.mechanism}` : ''} on CLIENT (HAProxy passes the TLS through); brokers and`,
    ' controllers among themselves: mutual TLS; StandardAuthorizer, admin and brokers are super users.',
    ` Certificates and passwords are mounted from ${STATE_DIR_VARIABLE}/${env}/{tls,secrets}, the files`,
    ` "iotmsg deploy --env ${env} --runtime local" generates (make them readable by the image's user).`,
  ].join('\n');
}
