import { join } from 'node:path';
import { execa } from 'execa';
import { kafkaClasspath } from '../../src/adapters/runtime/kafkaNode.js';
import { resolveArtifacts } from '../../src/adapters/runtime/maven.js';
import { cacheDir } from '../../src/adapters/runtime/paths.js';
import { KAFKA_VERSION } from '../../src/core/cluster/profiles.js';

/**
 * Kafka's own command-line tools (kafka-topics.sh and friends), as an independent client:
 * org.apache.kafka:kafka-tools from Maven Central, resolved once into the user cache under
 * the same key as bench/topics.mjs, run with `java -cp`.
 */
export const KAFKA_TOOLS = {
  topics: 'org.apache.kafka.tools.TopicCommand',
  configs: 'kafka.admin.ConfigCommand',
  acls: 'kafka.admin.AclCommand',
  consumerGroups: 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
  consoleProducer: 'org.apache.kafka.tools.ConsoleProducer',
  consoleConsumer: 'org.apache.kafka.tools.consumer.ConsoleConsumer',
  brokerApiVersions: 'kafka.admin.BrokerApiVersionsCommand',
  logDirs: 'org.apache.kafka.tools.LogDirsCommand',
} as const;

/** The tools of the Kafka version the suite's clusters run. */
const TOOLS_VERSION = process.env.IOTMSG_KAFKA_VERSION ?? KAFKA_VERSION;

/** Kafka 4 moved the Scala commands of the broker's jar into the tools module, as Java classes. */
function toolClass(tool: keyof typeof KAFKA_TOOLS, version: string): string {
  const name = KAFKA_TOOLS[tool];
  return Number(version.split('.')[0]) >= 4 ? name.replace(/^kafka\.admin\./, 'org.apache.kafka.tools.') : name;
}

export async function kafkaToolsClasspath(version = TOOLS_VERSION): Promise<string> {
  const libs = await resolveArtifacts(join(cacheDir(), `kafka-tools-${version}`), [
    { groupId: 'org.apache.kafka', artifactId: 'kafka-tools', version },
    { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: '1.7.36' },
  ]);
  // Before Kafka 4, ConfigCommand and AclCommand live in the broker's jar, which the runtime has resolved already.
  return `${join(libs, '*')}:${await kafkaClasspath(version, cacheDir(), undefined)}`;
}

/** Runs one tool to completion; never throws on a non-zero exit (tests assert on it). */
export interface ToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function kafkaTool(tool: keyof typeof KAFKA_TOOLS, args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<ToolResult> {
  const classpath = await kafkaToolsClasspath();
  const result = await execa('java', ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Dlog4j.configuration=file:/dev/null', '-cp', classpath, toolClass(tool, TOOLS_VERSION), ...args], {
    reject: false,
    input: options.input,
    timeout: options.timeoutMs ?? 60_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}
