import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { withAdmin } from '../support/kafka.js';
import { createTopic } from '../support/messagesKafka.js';
import { uniqueName } from '../support/names.js';

const brokers = inject('devCluster').bootstrapServers;

interface Shown {
  settings: { brokers: string[]; sasl?: { password: string }; tls?: { caFile: string } };
  origins: Record<string, { source: string; from: string }>;
}

describe('cluster profiles', () => {
  let home: string;
  let configDir: string;
  let elsewhere: string;
  let env: Record<string, string>;
  const topic = uniqueName('profile-topic');

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'iotmsg-profiles-'));
    configDir = join(home, 'config');
    elsewhere = join(home, 'anywhere');
    await mkdir(join(configDir, 'profiles'), { recursive: true });
    await mkdir(elsewhere);
    await writeFile(join(configDir, 'profiles', 'local.properties'), `bootstrap.servers=${brokers.join(',')}\n`);
    await writeFile(
      join(configDir, 'profiles', 'secured.properties'),
      [
        'bootstrap.servers=kafka-1.example:9093',
        'security.protocol=SASL_SSL',
        'sasl.mechanism=SCRAM-SHA-512',
        'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="svc-iot" password="profile-secret-9";',
        'ssl.truststore.location=certs/ca.pem',
        'ssl.truststore.type=PEM',
        '',
      ].join('\n'),
    );
    env = { IOTMSG_CONFIG_DIR: configDir };
    await createTopic(brokers, topic, 1);
  });

  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('connects with a profile from any directory, by flag or IOTMSG_PROFILE', async () => {
    const listed = await iotmsg(['topics', 'list', '--profile', 'local', '-o', 'json'], { cwd: elsewhere, env });
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((t) => t.name)).toContain(topic);
    const byVariable = await iotmsg(['topics', 'describe', topic, '-o', 'json'], { cwd: elsewhere, env: { ...env, IOTMSG_PROFILE: 'local' } });
    expect(byVariable.exitCode, byVariable.stderr).toBe(0);
  });

  it('says where each setting came from, reads paths from the profiles directory and never shows the password', async () => {
    const shown = await iotmsg(['config', 'show', '--profile', 'secured', '-o', 'json'], { cwd: elsewhere, env });
    expect(shown.exitCode, shown.stderr).toBe(0);
    expect(shown.stdout).not.toContain('profile-secret-9');
    const { settings, origins } = JSON.parse(shown.stdout) as Shown;
    expect(settings.brokers).toEqual(['kafka-1.example:9093']);
    expect(settings.tls?.caFile).toBe(join(configDir, 'profiles', 'certs', 'ca.pem'));
    expect(settings.sasl?.password).toBe('********');
    expect(origins.brokers?.source).toBe('profile');
    expect(origins.brokers?.from).toContain(join(configDir, 'profiles', 'secured.properties'));
    // A flag still wins over the profile.
    const flagged = JSON.parse((await iotmsg(['config', 'show', '--profile', 'secured', '-b', 'other:9092', '-o', 'json'], { cwd: elsewhere, env })).stdout) as Shown;
    expect(flagged.origins.brokers).toEqual({ source: 'flag', from: '--bootstrap-server' });
  });

  it('is the whole cluster inside a project unless --env is named, and its brokers do not unlock protected topics', async () => {
    const project = join(home, 'project');
    await mkdir(project);
    await writeFile(
      join(project, 'topics.yaml'),
      `environments:\n  dev:\n    brokers: [localhost:1]\n    schemaRegistry: http://localhost:2\n    protectedTopics: [${topic}]\ntopics:\n  - name: ${topic}\n    partitions: 1\n    replicationFactor: 1\n`,
    );
    const shown = JSON.parse((await iotmsg(['config', 'show', '--profile', 'local', '-o', 'json'], { cwd: project, env })).stdout) as Shown;
    expect(shown.settings.brokers).toEqual(brokers);
    // The project's dev registry is not mixed into the profile's cluster.
    expect(shown.origins['schemaRegistry.url']).toEqual({ source: 'default', from: 'built-in default' });

    const refused = await iotmsg(['topics', 'delete', topic, '--yes', '--profile', 'local'], { cwd: project, env });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('--env');
    const still = await withAdmin(brokers, (admin) => admin.listTopics());
    expect(still).toContain(topic);
  });

  it('names the profiles there are when asked for one that is not, and lists them', async () => {
    const missing = await iotmsg(['topics', 'list', '--profile', 'prod-eu'], { cwd: elsewhere, env });
    expect(missing.exitCode).toBe(78);
    expect(missing.stderr).toBe(`error: no profile "prod-eu": ${join(configDir, 'profiles', 'prod-eu.properties')} does not exist\nhint: profiles: local, secured`);
    const traversal = await iotmsg(['topics', 'list', '--profile', '../x'], { cwd: elsewhere, env });
    expect(traversal.exitCode).toBe(78);

    const listed = await iotmsg(['config', 'profiles', '-o', 'json'], { cwd: elsewhere, env });
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain('profile-secret-9');
    expect((JSON.parse(listed.stdout) as { profiles: { name: string; brokers: string[] }[] }).profiles.map((p) => [p.name, p.brokers])).toEqual([
      ['local', brokers],
      ['secured', ['kafka-1.example:9093']],
    ]);
  });
});
