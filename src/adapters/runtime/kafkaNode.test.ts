import { describe, expect, it } from 'vitest';
import { composeStack } from '../../core/cluster/compose.js';
import { brokerNodes, brokerSettings, CLUSTER_PROFILES } from '../../core/cluster/profiles.js';
import { kafkaLogging, newClusterId, nodeLayout, serverProperties } from './kafkaNode.js';

function parseProperties(text: string): Record<string, string> {
  return Object.fromEntries(text.trimEnd().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

describe('serverProperties', () => {
  it.each(['dev', 'prod'] as const)('gives a local %s broker the same broker settings as the compose stack', (env) => {
    const profile = CLUSTER_PROFILES[env];
    const nodes = brokerNodes(profile);
    const local = parseProperties(serverProperties(profile, nodes, nodeLayout('/state', nodes[0]!), '127.0.0.1'));
    const composed = composeStack(profile).services['kafka-1']!.environment!;
    for (const [property, value] of Object.entries(brokerSettings(profile))) {
      expect(local[property], property).toBe(value);
      expect(composed[`KAFKA_${property.replace(/\./g, '_').toUpperCase()}`], property).toBe(value);
    }
  });

  it('lists every node of prod as a voter on its own controller port', () => {
    const profile = CLUSTER_PROFILES.prod;
    const nodes = brokerNodes(profile);
    const properties = parseProperties(serverProperties(profile, nodes, nodeLayout('/state', nodes[1]!), '127.0.0.1'));
    expect(properties['node.id']).toBe('2');
    expect(properties['controller.quorum.voters']).toBe('1@127.0.0.1:19192,2@127.0.0.1:19193,3@127.0.0.1:19194');
    expect(properties['log.dirs']).toBe('/state/data/kafka-2');
  });
});

describe('newClusterId', () => {
  it('is 16 bytes in URL-safe base64 without padding', () => {
    expect(newClusterId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('never starts with "-", which the storage tool would read as a flag', () => {
    const draws = [Buffer.alloc(16, 0xfb), Buffer.alloc(16, 0x01)];
    expect(newClusterId(() => draws.shift()!)).toBe(Buffer.alloc(16, 0x01).toString('base64url'));
  });
});

describe('kafkaLogging', () => {
  it('configures Kafka 4 through log4j2 and Kafka 3 through log4j 1, each with its slf4j binding', () => {
    const four = kafkaLogging('4.4.0');
    expect(four.systemProperty).toBe('log4j2.configurationFile');
    expect(four.binding.artifactId).toBe('log4j-slf4j-impl');
    expect(four.config).toContain('rootLogger.appenderRef.stdout.ref = STDOUT');
    expect(four.config).not.toContain('log4j.rootLogger');
    const three = kafkaLogging('3.9.1');
    expect(three.systemProperty).toBe('log4j.configuration');
    expect(three.binding.artifactId).toBe('slf4j-reload4j');
    expect(three.config).toContain('log4j.rootLogger=INFO, stdout');
    expect(nodeLayout('/state', brokerNodes(CLUSTER_PROFILES.dev)[0]!, '3.9.1').log4jFile).toBe('/state/config/kafka-1.log4j.properties');
    expect(nodeLayout('/state', brokerNodes(CLUSTER_PROFILES.dev)[0]!, '4.4.0').log4jFile).toBe('/state/config/kafka-1.log4j2.properties');
  });
});
