import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UnavailableError } from '../../core/errors.js';
import { brokerSettings, quorumVoters, type BrokerNode, type ClusterProfile } from '../../core/cluster/profiles.js';
import { resolveArtifacts } from './maven.js';

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
  const libs = await resolveArtifacts(join(cache, `kafka-${version}`), [
    { groupId: 'org.apache.kafka', artifactId: `kafka_${SCALA_VERSION}`, version },
    // Kafka 3.x logs through slf4j 1.x; the distribution ships this binding, the POM does not.
    { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: '1.7.36' },
  ]);
  return join(libs, '*');
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
  logFile: string;
}

export function nodeLayout(stateDir: string, node: BrokerNode): NodeLayout {
  const { name } = node;
  return {
    node,
    name,
    dataDir: join(stateDir, 'data', name),
    configFile: join(stateDir, 'config', `${name}.properties`),
    log4jFile: join(stateDir, 'config', `${name}.log4j.properties`),
    logFile: join(stateDir, 'logs', `${name}.log`),
  };
}

export function serverProperties(profile: ClusterProfile, nodes: readonly BrokerNode[], layout: NodeLayout, host: string): string {
  const { node } = layout;
  const settings: Record<string, string> = {
    ...brokerSettings(profile),
    'node.id': String(node.nodeId),
    'controller.quorum.voters': quorumVoters(nodes, (n) => `${host}:${n.controllerPort}`),
    listeners: `PLAINTEXT://${host}:${node.port},CONTROLLER://${host}:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${host}:${node.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': layout.dataDir,
  };
  return `${Object.entries(settings)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

// Everything to stdout, which the supervisor sends to the node's log file; the chattiest
// loggers are turned down so a long-running dev cluster does not fill the disk.
const LOG4J = `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.controller=WARN
log4j.logger.org.apache.kafka.controller=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.storage=WARN
log4j.logger.kafka.log=WARN
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.org.apache.kafka.common.utils.AppInfoParser=WARN
`;

export async function writeNodeFiles(profile: ClusterProfile, nodes: readonly BrokerNode[], layout: NodeLayout, host: string): Promise<void> {
  await mkdir(layout.dataDir, { recursive: true });
  await mkdir(join(layout.configFile, '..'), { recursive: true });
  await mkdir(join(layout.logFile, '..'), { recursive: true });
  await writeFile(layout.configFile, serverProperties(profile, nodes, layout, host));
  await writeFile(layout.log4jFile, LOG4J);
}

export function jvmArgs(classpath: string, layout: NodeLayout, heapMb: number, stateDir: string): string[] {
  return [
    `-Xms${Math.min(128, heapMb)}m`,
    `-Xmx${heapMb}m`,
    '-XX:+UseSerialGC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${layout.log4jFile}`,
    // Lets `deploy down` recognise its own processes by command line.
    `-Diotmsg.state=${stateDir}`,
    `-Diotmsg.component=${layout.name}`,
    '-cp',
    classpath,
  ];
}

export function formatStorageArgs(classpath: string, layout: NodeLayout, clusterId: string, stateDir: string): string[] {
  return [...jvmArgs(classpath, layout, 256, stateDir), 'kafka.tools.StorageTool', 'format', '--ignore-formatted', `--cluster-id=${clusterId}`, '-c', layout.configFile];
}

export function brokerArgs(classpath: string, layout: NodeLayout, heapMb: number, stateDir: string): string[] {
  return [...jvmArgs(classpath, layout, heapMb, stateDir), 'kafka.Kafka', layout.configFile];
}

/** The line Kafka logs once the node has joined the quorum and is unfenced. */
export const BROKER_STARTED = /\] Kafka Server started/;
