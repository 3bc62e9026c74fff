import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UnavailableError } from '../../core/errors.js';
import { brokerSettings, KAFKA_VERSION, quorumVoters, type BrokerNode, type ClusterProfile } from '../../core/cluster/profiles.js';
import { brokerSecuritySettings, LISTENERS, propertyValue, securityProtocolMap, type BrokerKeyMaterial } from '../../core/cluster/security.js';
import type { EnvironmentSecurity } from '../../core/config/security.js';
import { resolveArtifacts, type MavenArtifact } from './maven.js';

const SCALA_VERSION = '2.13';

/**
 * The broker's classpath: `$KAFKA_HOME/libs` when the user has a Kafka distribution,
 * otherwise the pinned Kafka jars resolved from Maven Central into the user cache.
 */
export async function kafkaClasspath(version: string, cache: string, kafkaHome: string | undefined): Promise<string> {
  if (kafkaHome) {
    const libs = join(kafkaHome, 'libs');
    if (!existsSync(libs)) {
      throw new UnavailableError(`KAFKA_HOME=${kafkaHome} has no libs/ directory`, {
        hint: 'point KAFKA_HOME at an unpacked Apache Kafka distribution, or unset it to download the jars with Maven',
      });
    }
    return join(libs, '*');
  }
  const libs = await resolveArtifacts(join(cache, `kafka-${version}`), [{ groupId: 'org.apache.kafka', artifactId: `kafka_${SCALA_VERSION}`, version }, kafkaLogging(version).binding]);
  return join(libs, '*');
}

/** The version of the Kafka distribution in `kafkaHome`, read from its kafka_<scala>-<version>.jar. */
export function distributionVersion(kafkaHome: string): string | undefined {
  const libs = join(kafkaHome, 'libs');
  if (!existsSync(libs)) return undefined;
  for (const file of readdirSync(libs)) {
    const match = /^kafka_\d+\.\d+-(\d+\.\d+\.\d+)\.jar$/.exec(file);
    if (match) return match[1];
  }
  return undefined;
}

/** Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding. */
export function newClusterId(random: () => Buffer = () => randomBytes(16)): string {
  // Like Kafka's Uuid.randomUuid: an id starting with "-" would read as a flag on the
  // storage tool's command line.
  for (;;) {
    const id = random().toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export interface NodeLayout {
  node: BrokerNode;
  name: string;
  dataDir: string;
  configFile: string;
  log4jFile: string;
  logging: KafkaLogging;
  logFile: string;
}

export function nodeLayout(stateDir: string, node: BrokerNode, kafkaVersion = KAFKA_VERSION): NodeLayout {
  const { name } = node;
  const logging = kafkaLogging(kafkaVersion);
  return {
    node,
    name,
    dataDir: join(stateDir, 'data', name),
    configFile: join(stateDir, 'config', `${name}.properties`),
    log4jFile: join(stateDir, 'config', `${name}.${logging.fileSuffix}`),
    logging,
    logFile: join(stateDir, 'logs', `${name}.log`),
  };
}

/** What a node of a secured cluster needs beyond the PLAINTEXT layout. */
export interface NodeSecurity {
  security: EnvironmentSecurity;
  keys: (node: BrokerNode) => BrokerKeyMaterial;
}

export function serverProperties(profile: ClusterProfile, nodes: readonly BrokerNode[], layout: NodeLayout, host: string, secured?: NodeSecurity): string {
  const { node } = layout;
  const settings: Record<string, string> = {
    ...brokerSettings(profile),
    'node.id': String(node.nodeId),
    'controller.quorum.voters': quorumVoters(nodes, (n) => `${host}:${n.controllerPort}`),
    ...(secured ? securedListeners(nodes, node, host, secured) : plaintextListeners(node, host)),
    'log.dirs': layout.dataDir,
  };
  return `${Object.entries(settings)
    .map(([k, v]) => `${k}=${propertyValue(v)}`)
    .join('\n')}\n`;
}

function plaintextListeners(node: BrokerNode, host: string): Record<string, string> {
  return {
    listeners: `PLAINTEXT://${host}:${node.port},CONTROLLER://${host}:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${host}:${node.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
  };
}

/** Clients on exactly the environment's protocol; brokers and controllers among themselves over mutual TLS. */
function securedListeners(nodes: readonly BrokerNode[], node: BrokerNode, host: string, secured: NodeSecurity): Record<string, string> {
  const { client, internal, controller } = LISTENERS;
  return {
    listeners: `${client}://${host}:${node.port},${internal}://${host}:${node.internalPort},${controller}://${host}:${node.controllerPort}`,
    'advertised.listeners': `${client}://${host}:${node.port},${internal}://${host}:${node.internalPort}`,
    'controller.listener.names': controller,
    'inter.broker.listener.name': internal,
    'listener.security.protocol.map': securityProtocolMap(secured.security),
    ...brokerSecuritySettings(secured.security, nodes, secured.keys(node)),
  };
}

/**
 * How a Kafka version logs: 3.x through slf4j 1.x and reload4j (log4j 1 configuration),
 * 4.x through log4j2 (KIP-653). The distribution ships the slf4j binding; the POM does not.
 */
export interface KafkaLogging {
  binding: MavenArtifact;
  /** The JVM property that names the configuration file. */
  systemProperty: string;
  fileSuffix: string;
  config: string;
}

// Everything to stdout, which the supervisor sends to the node's log file; the chattiest
// loggers are turned down so a long-running dev cluster does not fill the disk.
const QUIET_LOGGERS = [
  'kafka.request.logger',
  'state.change.logger',
  'kafka.controller',
  'org.apache.kafka.controller',
  'kafka.log.LogCleaner',
  'org.apache.kafka.storage',
  'kafka.log',
  'org.apache.kafka.clients',
  'org.apache.kafka.common.utils.AppInfoParser',
];
const PATTERN = '[%d] %p %m (%c)%n';

const LOG4J = [
  'log4j.rootLogger=INFO, stdout',
  'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
  `log4j.appender.stdout.layout.ConversionPattern=${PATTERN}`,
  ...QUIET_LOGGERS.map((logger) => `log4j.logger.${logger}=WARN`),
].join('\n');

const LOG4J2 = [
  'status = warn',
  'appender.stdout.type = Console',
  'appender.stdout.name = STDOUT',
  'appender.stdout.layout.type = PatternLayout',
  `appender.stdout.layout.pattern = ${PATTERN}`,
  'rootLogger.level = INFO',
  'rootLogger.appenderRef.stdout.ref = STDOUT',
  ...QUIET_LOGGERS.flatMap((logger, i) => [`logger.quiet${i}.name = ${logger}`, `logger.quiet${i}.level = WARN`]),
].join('\n');

/** Log4j 2 version of the binding: the one the Kafka 4 POMs bring log4j-core at. */
const LOG4J2_VERSION = '2.25.5';

export function kafkaLogging(kafkaVersion: string): KafkaLogging {
  if (Number(kafkaVersion.split('.')[0]) >= 4) {
    return {
      binding: { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-slf4j-impl', version: LOG4J2_VERSION },
      systemProperty: 'log4j2.configurationFile',
      fileSuffix: 'log4j2.properties',
      config: `${LOG4J2}\n`,
    };
  }
  return {
    binding: { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: '1.7.36' },
    systemProperty: 'log4j.configuration',
    fileSuffix: 'log4j.properties',
    config: `${LOG4J}\n`,
  };
}

export async function writeNodeFiles(profile: ClusterProfile, nodes: readonly BrokerNode[], layout: NodeLayout, host: string, secured?: NodeSecurity): Promise<void> {
  await mkdir(layout.dataDir, { recursive: true });
  await mkdir(join(layout.configFile, '..'), { recursive: true });
  await mkdir(join(layout.logFile, '..'), { recursive: true });
  // A secured node's config holds its keystore password (and PLAIN's users): owner-only.
  await writeFile(layout.configFile, serverProperties(profile, nodes, layout, host, secured), { mode: 0o600 });
  await chmod(layout.configFile, 0o600);
  await writeFile(layout.log4jFile, layout.logging.config);
}

export function jvmArgs(classpath: string, layout: NodeLayout, heapMb: number, stateDir: string): string[] {
  return [
    `-Xms${Math.min(128, heapMb)}m`,
    `-Xmx${heapMb}m`,
    '-XX:+UseSerialGC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-D${layout.logging.systemProperty}=file:${layout.log4jFile}`,
    // Lets `deploy down` recognise its own processes by command line.
    `-Diotmsg.state=${stateDir}`,
    `-Diotmsg.component=${layout.name}`,
    '-cp',
    classpath,
  ];
}

export function formatStorageArgs(classpath: string, layout: NodeLayout, clusterId: string, stateDir: string): string[] {
  return [...jvmArgs(classpath, layout, 256, stateDir), ...formatToolArgs(layout, clusterId)];
}

function formatToolArgs(layout: NodeLayout, clusterId: string): string[] {
  return ['kafka.tools.StorageTool', 'format', '--ignore-formatted', `--cluster-id=${clusterId}`, '-c', layout.configFile];
}

/**
 * The storage tool with SCRAM credentials: it takes them only as arguments, so the tool's
 * arguments go into a Java argument file (`java @file`, owner-only, removed afterwards)
 * and `ps` shows the file's name, not the (salted) credentials.
 */
export function formatStorageWithScram(classpath: string, layout: NodeLayout, clusterId: string, stateDir: string, scramArgs: readonly string[], argFile: string): { args: string[]; argFileText: string } {
  const toolArgs = [...formatToolArgs(layout, clusterId), ...scramArgs];
  return { args: [...jvmArgs(classpath, layout, 256, stateDir), `@${argFile}`], argFileText: `${toolArgs.map(argFileQuote).join('\n')}\n` };
}

/** One argument of a Java argument file: double-quoted, with backslash and quote escaped. */
function argFileQuote(arg: string): string {
  return `"${arg.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function brokerArgs(classpath: string, layout: NodeLayout, heapMb: number, stateDir: string): string[] {
  return [...jvmArgs(classpath, layout, heapMb, stateDir), 'kafka.Kafka', layout.configFile];
}

/** The line Kafka logs once the node has joined the quorum and is unfenced. */
export const BROKER_STARTED = /\] Kafka Server started/;
