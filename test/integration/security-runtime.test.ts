import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { kcat as runKcat } from '../support/kcat.js';
import { afterAll, describe, expect, it } from 'vitest';
import { readLocalClusterState, startLocalCluster, stopLocalCluster } from '../../src/adapters/runtime/localCluster.js';
import type { EnvironmentSecurity } from '../../src/core/config/security.js';
import { iotmsg, type CliResult } from '../support/cli.js';
import { freePortBlock, startTestCluster, stopTestCluster, testPortBase, type TestCluster } from '../support/cluster.js';
import { kafkaTool } from '../support/kafkaTools.js';
import { processesOf } from '../support/processes.js';

/** kcat as the independent client; -m bounds how long it waits for metadata. */
function kcat(args: string[]) {
  return runKcat([...args, '-m', '8']);
}

function brokersSeen(kcatOutput: string): number | undefined {
  const match = / (\d+) brokers:/.exec(kcatOutput);
  return match ? Number(match[1]) : undefined;
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

/** Every secret of a deployment, as its state directory keeps them. */
function secretsOf(stateDir: string): string[] {
  const dir = join(stateDir, 'secrets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.password'))
    .map((f) => readFileSync(join(dir, f), 'utf8').trim());
}

/** The topic's partitions as kcat sees them, with their in-sync replica counts. */
async function isrCounts(librdkafkaConf: string, topic: string): Promise<number[]> {
  const { stdout } = await kcat(['-F', librdkafkaConf, '-L', '-t', topic]);
  return [...stdout.matchAll(/isrs: ([\d,]+)/g)].map((m) => m[1]!.split(',').length);
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('iotmsg deploy --env prod: SASL_SSL with SCRAM-SHA-512 on three brokers', () => {
  let stateDir: string;
  let outputs: CliResult[] = [];
  let bootstrap: string[];

  it('deploys the profile default, and says which files to use without printing a secret', async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'iotmsg-secure-prod-'));
    cleanups.push(() => rm(stateDir, { recursive: true, force: true }), () => iotmsg(['deploy', 'down', '--state-dir', stateDir, '--volumes']));
    const base = await freePortBlock(10, testPortBase() + 200);
    const up = await iotmsg(['deploy', '--env', 'prod', '--runtime', 'local', '--no-registry', '--state-dir', stateDir, '--broker-port', String(base), '--controller-port', String(base + 3), '--registry-port', String(base + 6)], {
      timeoutMs: 280_000,
    });
    outputs.push(up);
    expect(up.exitCode, up.stderr).toBe(0);
    const client = join(stateDir, 'client');
    expect(up.stdout).toContain('SASL_SSL (SCRAM-SHA-512)');
    expect(up.stdout).toContain(`--command-config ${join(client, 'client.properties')}`);
    expect(up.stdout).toContain(`kcat -F ${join(client, 'librdkafka.conf')} -L`);
    expect(up.stdout).toContain(join(client, 'ca.pem'));
    bootstrap = (await readLocalClusterState(stateDir))!.bootstrapServers;
    expect(bootstrap).toEqual([0, 1, 2].map((i) => `127.0.0.1:${base + i}`));
  }, 300_000);

  it('lets kcat with the generated librdkafka.conf see all three brokers', async () => {
    const result = await kcat(['-F', join(stateDir, 'client', 'librdkafka.conf'), '-L']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(brokersSeen(result.stdout)).toBe(3);
    for (const address of bootstrap) expect(result.stdout).toContain(`at ${address}`);
  });

  it('refuses kcat without credentials, over plaintext, and with a wrong password', async () => {
    const ca = join(stateDir, 'client', 'ca.pem');
    const attempts = [
      ['-b', bootstrap[0]!, '-L'],
      ['-b', bootstrap[0]!, '-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${ca}`, '-L'],
      ['-b', bootstrap[0]!, '-X', 'security.protocol=sasl_ssl', '-X', `ssl.ca.location=${ca}`, '-X', 'sasl.mechanisms=SCRAM-SHA-512', '-X', 'sasl.username=admin', '-X', 'sasl.password=not-the-password', '-L'],
    ];
    for (const args of attempts) {
      const result = await kcat(args);
      expect(result.exitCode, args.join(' ')).not.toBe(0);
      expect(brokersSeen(result.stdout), args.join(' ')).toBeUndefined();
    }
    const wrong = await kcat(attempts[2]!);
    expect(wrong.stderr).toMatch(/Authentication failed/i);
  });

  it("lets Kafka's own kafka-topics --command-config client.properties create and list, replicated over the mTLS inter-broker listener", async () => {
    const config = join(stateDir, 'client', 'client.properties');
    const topic = `secure-${Date.now()}`;
    const create = await kafkaTool('topics', ['--bootstrap-server', bootstrap.join(','), '--command-config', config, '--create', '--topic', topic, '--partitions', '3', '--replication-factor', '3']);
    expect(create.exitCode, create.stderr).toBe(0);
    const list = await kafkaTool('topics', ['--bootstrap-server', bootstrap.join(','), '--command-config', config, '--list']);
    expect(list.exitCode, list.stderr).toBe(0);
    expect(list.stdout.split('\n')).toContain(topic);
    // Every replica catches up only if the brokers replicate to each other.
    const deadline = Date.now() + 30_000;
    let isrs = await isrCounts(join(stateDir, 'client', 'librdkafka.conf'), topic);
    while (!(isrs.length === 3 && isrs.every((n) => n === 3)) && Date.now() < deadline) {
      await sleep(500);
      isrs = await isrCounts(join(stateDir, 'client', 'librdkafka.conf'), topic);
    }
    expect(isrs).toEqual([3, 3, 3]);
  });

  it('authenticates the environment user, and the authorizer denies it what no ACL allows', async () => {
    const password = readFileSync(join(stateDir, 'secrets', 'iotmsg.password'), 'utf8').trim();
    const config = join(stateDir, 'iotmsg-user.properties');
    await writeFile(
      config,
      [
        'security.protocol=SASL_SSL',
        'ssl.truststore.type=PEM',
        `ssl.truststore.location=${join(stateDir, 'client', 'ca.pem')}`,
        'sasl.mechanism=SCRAM-SHA-512',
        `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="iotmsg" password="${password}";`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    const create = await kafkaTool('topics', ['--bootstrap-server', bootstrap[0]!, '--command-config', config, '--create', '--topic', `denied-${Date.now()}`, '--partitions', '1']);
    expect(create.exitCode).not.toBe(0);
    const said = create.stdout + create.stderr;
    expect(said).toMatch(/TopicAuthorizationException|Authorization failed/);
    expect(said).not.toMatch(/SaslAuthenticationException/);
  });

  it('keeps secrets and client files owner-only, and off every command line', async () => {
    expect(mode(join(stateDir, 'secrets'))).toBe(0o700);
    expect(mode(join(stateDir, 'client'))).toBe(0o700);
    for (const file of readdirSync(join(stateDir, 'secrets'))) expect(mode(join(stateDir, 'secrets', file)), file).toBe(0o600);
    for (const file of readdirSync(join(stateDir, 'client'))) expect(mode(join(stateDir, 'client', file)), file).toBe(0o600);
    for (const file of readdirSync(join(stateDir, 'tls')).filter((f) => f.endsWith('-key.pem') || f.endsWith('.p12'))) expect(mode(join(stateDir, 'tls', file)), file).toBe(0o600);
    for (const file of readdirSync(join(stateDir, 'config')).filter((f) => f.endsWith('.properties') && !f.includes('log4j'))) expect(mode(join(stateDir, 'config', file)), file).toBe(0o600);
    // The storage tool's argument file (the salted SCRAM credentials) is gone after formatting.
    expect(readdirSync(join(stateDir, 'secrets')).filter((f) => f.endsWith('.args'))).toEqual([]);

    const secrets = secretsOf(stateDir);
    expect(secrets).toHaveLength(3); // admin, keystore, environment user
    const pids = processesOf(stateDir);
    expect(pids).toHaveLength(3);
    for (const pid of pids) {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      for (const secret of secrets) expect(cmdline.includes(secret)).toBe(false);
    }
  });

  it('prints no password in any output of deploy, status or down', async () => {
    outputs.push(await iotmsg(['deploy', 'status', '--state-dir', stateDir]));
    outputs.push(await iotmsg(['deploy', 'status', '--state-dir', stateDir, '-o', 'json']));
    const secrets = secretsOf(stateDir);
    outputs.push(await iotmsg(['deploy', 'down', '--state-dir', stateDir]));
    expect(outputs.map((o) => o.exitCode)).toEqual([0, 0, 0, 0]);
    for (const output of outputs) {
      for (const secret of secrets) {
        expect(output.stdout.includes(secret)).toBe(false);
        expect(output.stderr.includes(secret)).toBe(false);
      }
    }
    outputs = [];
  });
});

const MECHANISM_CASES: [string, EnvironmentSecurity][] = [
  ['SCRAM-SHA-256 over SASL_SSL', { protocol: 'SASL_SSL', sasl: { mechanism: 'SCRAM-SHA-256', username: 'svc', password: { env: 'IOTMSG_TEST_SVC_PASSWORD' } }, tls: { verifyHostname: true } }],
  ['PLAIN over SASL_PLAINTEXT', { protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'PLAIN', username: 'svc', password: { env: 'IOTMSG_TEST_SVC_PASSWORD' } } }],
  ['SSL with an mTLS client certificate and no SASL', { protocol: 'SSL', tls: { verifyHostname: true } }],
];

describe.each(MECHANISM_CASES)('a one-broker cluster secured with %s', (_name, security) => {
  let cluster: TestCluster;
  // The environment's SecretRef supplies this user's password; the admin's is generated.
  const svcPassword = `svc-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 20)}`;
  afterAll(async () => {
    if (cluster) await stopTestCluster(cluster);
  });

  it('starts, and kcat with the generated librdkafka.conf sees the broker', async () => {
    cluster = await startTestCluster('dev', false, { security, portsFrom: testPortBase() + 300, environment: { IOTMSG_TEST_SVC_PASSWORD: svcPassword } });
    expect(cluster.security).toMatchObject({ protocol: security.protocol, mechanism: security.sasl?.mechanism });
    const result = await kcat(['-F', cluster.security!.librdkafkaConf, '-L']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(brokersSeen(result.stdout)).toBe(1);
  }, 240_000);

  it('refuses a client that does not present what the listener requires', async () => {
    const [broker] = cluster.bootstrapServers;
    const ca = cluster.security!.caFile;
    const attempt =
      security.protocol === 'SSL'
        ? ['-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${ca}`] // trusts the broker, but has no client certificate
        : ['-X', `security.protocol=${security.protocol.toLowerCase()}`, ...(security.protocol === 'SASL_SSL' ? ['-X', `ssl.ca.location=${ca}`] : []), '-X', `sasl.mechanisms=${security.sasl!.mechanism}`, '-X', 'sasl.username=admin', '-X', `sasl.password=${svcPassword}`];
    const result = await kcat(['-b', broker!, ...attempt, '-L']);
    expect(result.exitCode).not.toBe(0);
    expect(brokersSeen(result.stdout)).toBeUndefined();
  });

  if (security.sasl) it("authenticates the environment's user with the password its SecretRef supplies", async () => {
    const [broker] = cluster.bootstrapServers;
    const tls = security.protocol === 'SASL_SSL' ? ['-X', `ssl.ca.location=${cluster.security!.caFile}`] : [];
    const result = await kcat(['-b', broker!, '-X', `security.protocol=${security.protocol.toLowerCase()}`, ...tls, '-X', `sasl.mechanisms=${security.sasl!.mechanism}`, '-X', 'sasl.username=svc', '-X', `sasl.password=${svcPassword}`, '-L']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(brokersSeen(result.stdout)).toBe(1);
  });

  it("lets Kafka's own kafka-topics --command-config client.properties create and list", async () => {
    const topic = `secure-${Date.now()}`;
    const config = cluster.security!.clientProperties;
    const create = await kafkaTool('topics', ['--bootstrap-server', cluster.bootstrapServers[0]!, '--command-config', config, '--create', '--topic', topic, '--partitions', '2']);
    expect(create.exitCode, create.stderr).toBe(0);
    const list = await kafkaTool('topics', ['--bootstrap-server', cluster.bootstrapServers[0]!, '--command-config', config, '--list']);
    expect(list.stdout.split('\n')).toContain(topic);
  });

  if (security.protocol === 'SASL_SSL') it('keeps its certificates and credentials across a restart', async () => {
    const { stateDir } = cluster;
    const digest = (file: string) => createHash('sha256').update(readFileSync(join(stateDir, file))).digest('hex');
    const before = ['tls/ca.pem', 'tls/kafka-1.pem', 'tls/kafka-1.p12', 'secrets/admin.password'].map(digest);
    await stopLocalCluster(stateDir);
    const base = Number(cluster.bootstrapServers[0]!.split(':')[1]);
    await startLocalCluster({ env: 'dev', stateDir, ports: { firstBrokerPort: base, firstControllerPort: base + 1, firstInternalPort: base + 2, registryPort: base + 3 }, withRegistry: false, heapMb: 256, security, environment: { IOTMSG_TEST_SVC_PASSWORD: svcPassword } });
    expect(['tls/ca.pem', 'tls/kafka-1.pem', 'tls/kafka-1.p12', 'secrets/admin.password'].map(digest)).toEqual(before);
    // The SCRAM credentials formatted into the first start still match the kept password.
    const result = await kcat(['-F', cluster.security!.librdkafkaConf, '-L']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(brokersSeen(result.stdout)).toBe(1);
  }, 180_000);
});
