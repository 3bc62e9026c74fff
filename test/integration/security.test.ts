import { execa, type ResultPromise } from 'execa';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlsDir } from '../../src/adapters/runtime/certificates.js';
import { clientFiles, passwordFile } from '../../src/adapters/runtime/credentials.js';
import type { EnvironmentSecurity } from '../../src/core/config/security.js';
import { iotmsg, type CliResult } from '../support/cli.js';
import { freePortBlock, startTestCluster, stopTestCluster, testPortBase, type TestCluster } from '../support/cluster.js';
import { kafkaTool } from '../support/kafkaTools.js';
import { uniqueName } from '../support/names.js';

/**
 * Every command family over real secured listeners started by the project's runtime, each
 * kind of connection failure in one line, and no password in any output of the run.
 */
const outputs: { args: string[]; text: string }[] = [];
const passwords = new Set<string>();
const scratch: string[] = [];

async function run(args: string[], options: { env?: Record<string, string>; cwd?: string; input?: string } = {}): Promise<CliResult> {
  const result = await iotmsg(args, { timeoutMs: 60_000, ...options });
  outputs.push({ args, text: `${result.stdout}\n${result.stderr}` });
  return result;
}

async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iotmsg-sec-client-'));
  scratch.push(dir);
  return dir;
}

const portBlock = (offset: number) => testPortBase() + offset;
const userSecurity = (protocol: EnvironmentSecurity['protocol'], mechanism?: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'): EnvironmentSecurity => ({
  protocol,
  ...(mechanism ? { sasl: { mechanism, username: 'svc', password: { env: 'SVC_PASSWORD' } } } : {}),
  ...(protocol === 'SSL' || protocol === 'SASL_SSL' ? { tls: { verifyHostname: true } } : {}),
});

/** A project file with one topic on the cluster, for create-iot-topics. */
async function oneTopicProject(cluster: TestCluster, topic: string): Promise<string> {
  const file = join(await scratchDir(), 'topics.yaml');
  await writeFile(file, `environments:\n  dev:\n    brokers: [${cluster.bootstrapServers.join(', ')}]\ntopics:\n  - name: ${topic}\n    partitions: 1\n`);
  return file;
}

async function startSecured(security: EnvironmentSecurity, offset: number): Promise<TestCluster> {
  const svcPassword = `svc-${uniqueName('pw')}`;
  passwords.add(svcPassword);
  const cluster = await startTestCluster('dev', false, { security, portsFrom: portBlock(offset), environment: { SVC_PASSWORD: svcPassword } });
  if (security.sasl) passwords.add((await readFile(passwordFile(cluster.stateDir, 'admin'), 'utf8')).trim());
  passwords.add((await readFile(join(cluster.stateDir, 'secrets', 'keystore.password'), 'utf8')).trim());
  return cluster;
}

function oneLineError(result: CliResult): string {
  const lines = result.stderr.trim().split('\n');
  expect(lines[0]).toMatch(/^error: /);
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^hint: /);
  return lines[0]!;
}

/** HAProxy in front of a broker: TLS pass-through on another address, or TLS terminated with a certificate of our own. */
async function haproxy(config: string): Promise<{ kill: () => void }> {
  const dir = await scratchDir();
  const file = join(dir, 'haproxy.cfg');
  await writeFile(file, `global\n  maxconn 64\ndefaults\n  mode tcp\n  timeout connect 2s\n  timeout client 30s\n  timeout server 30s\n${config}\n`);
  const child: ResultPromise = execa('haproxy', ['-db', '-f', file], { reject: false });
  await new Promise((resolve) => setTimeout(resolve, 500));
  // Not the promise itself: awaiting a running child would wait for it to exit.
  return { kill: () => void child.kill() };
}

/** A certificate for `localhost` signed by the deployment's own CA, valid only in 2020: trusted, but expired. */
async function expiredCertificate(stateDir: string): Promise<string> {
  const dir = await scratchDir();
  const ca = join(tlsDir(stateDir), 'ca.pem');
  const caKey = join(tlsDir(stateDir), 'ca-key.pem');
  await writeFile(join(dir, 'index.txt'), '');
  await writeFile(join(dir, 'serial'), '01\n');
  await writeFile(
    join(dir, 'ca.cnf'),
    `[ca]\ndefault_ca=d\n[d]\ndir=${dir}\ndatabase=${dir}/index.txt\nserial=${dir}/serial\nnew_certs_dir=${dir}\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\n[p]\ncommonName=supplied\n`,
  );
  await execa('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'req.csr'), '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']);
  await execa('openssl', ['ca', '-batch', '-config', join(dir, 'ca.cnf'), '-cert', ca, '-keyfile', caKey, '-in', join(dir, 'req.csr'), '-out', join(dir, 'cert.pem'), '-startdate', '20200101000000Z', '-enddate', '20200102000000Z', '-notext']);
  const combined = join(dir, 'combined.pem');
  await writeFile(combined, (await readFile(join(dir, 'cert.pem'), 'utf8')) + (await readFile(join(dir, 'key.pem'), 'utf8')));
  return combined;
}

afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('SASL_SSL with SCRAM-SHA-512 through --command-config', () => {
  let cluster: TestCluster;
  let properties: string;
  let project: string;
  const topic = uniqueName('sec.readings');

  beforeAll(async () => {
    cluster = await startSecured(userSecurity('SASL_SSL', 'SCRAM-SHA-512'), 200);
    properties = clientFiles(cluster.stateDir).clientProperties;
    project = await scratchDir();
    await writeFile(join(project, 'topics.yaml'), `environments:\n  dev:\n    brokers: [${cluster.bootstrapServers.join(', ')}]\ntopics:\n  - name: ${topic}\n    partitions: 2\n`);
  });

  afterAll(async () => {
    if (cluster) await stopTestCluster(cluster);
  });

  const cc = () => ['--command-config', properties, '-f', join(project, 'topics.yaml')];

  it('plans, applies, lists and describes topics; Kafka\'s own kafka-topics sees them with the same file', async () => {
    const planFile = join(project, 'plan.json');
    const plan = await run([...cc(), 'topics', 'plan', '--out', planFile]);
    expect(plan.exitCode, plan.stderr).toBe(0);
    const apply = await run([...cc(), 'topics', 'apply', planFile, '--yes']);
    expect(apply.exitCode, apply.stderr).toBe(0);
    outputs.push({ args: ['plan file'], text: await readFile(planFile, 'utf8') });

    const listed = await run([...cc(), 'topics', 'list', '-o', 'json']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(topic);
    const described = await run([...cc(), 'topics', 'describe', topic, '-o', 'json']);
    expect(described.exitCode, described.stderr).toBe(0);

    const tool = await kafkaTool('topics', ['--bootstrap-server', cluster.bootstrapServers[0]!, '--command-config', properties, '--describe', '--topic', topic]);
    expect(tool.exitCode, String(tool.stderr)).toBe(0);
    expect(String(tool.stdout)).toMatch(/PartitionCount:\s*2/);
  });

  it('create-iot-topics creates a topic the file adds, as Kafka\'s tool confirms', async () => {
    const added = uniqueName('sec.added');
    await writeFile(join(project, 'topics.yaml'), `${await readFile(join(project, 'topics.yaml'), 'utf8')}  - name: ${added}\n`);
    const created = await run([...cc(), 'create-iot-topics']);
    expect(created.exitCode, created.stderr).toBe(0);
    const tool = await kafkaTool('topics', ['--bootstrap-server', cluster.bootstrapServers[0]!, '--command-config', properties, '--list']);
    expect(String(tool.stdout).split('\n')).toContain(added);
  });

  it('produces over the hand-encoded path, tails it back, and lists the group Kafka\'s console consumer read it in', async () => {
    const produced = await run([...cc(), 'produce', topic, '--format', 'json', '--key', 'dev-1', '--value', '{"temp":21.5}']);
    expect(produced.exitCode, produced.stderr).toBe(0);
    const tailed = await run([...cc(), 'tail', topic, '--from-beginning', '--exit-at-end', '-o', 'ndjson']);
    expect(tailed.exitCode, tailed.stderr).toBe(0);
    expect(tailed.stdout).toContain('21.5');
    const group = uniqueName('sec-group');
    const tool = await kafkaTool('consoleConsumer', ['--bootstrap-server', cluster.bootstrapServers[0]!, '--consumer.config', properties, '--group', group, '--topic', topic, '--from-beginning', '--max-messages', '1', '--timeout-ms', '20000']);
    expect(String(tool.stdout)).toContain('21.5');
    const groups = await run([...cc(), 'groups', 'list', '-o', 'json']);
    expect(groups.exitCode, groups.stderr).toBe(0);
    expect(groups.stdout).toContain(group);
  });

  it('health and deploy status see the secured cluster', async () => {
    const health = await run([...cc(), 'health', '--expect-brokers', '1', '--no-registry', '-o', 'json']);
    expect(health.exitCode, health.stdout + health.stderr).toBe(0);
    const status = await run(['--command-config', properties, 'deploy', 'status', '--runtime', 'local', '--state-dir', cluster.stateDir, '-o', 'json']);
    expect(status.exitCode, status.stderr).toBe(0);
  });

  it('reads the same connection from the project file: password by file reference, paths relative to the file', async () => {
    const dir = await scratchDir();
    await copyFile(clientFiles(cluster.stateDir).caFile, join(dir, 'ca.pem'));
    await copyFile(passwordFile(cluster.stateDir, 'admin'), join(dir, 'admin.password'));
    await writeFile(
      join(dir, 'topics.yaml'),
      [
        'environments:',
        '  dev:',
        `    brokers: [${cluster.bootstrapServers.join(', ')}]`,
        '    security:',
        '      protocol: SASL_SSL',
        '      sasl: {mechanism: SCRAM-SHA-512, username: admin, password: {file: admin.password}}',
        '      tls: {caFile: ca.pem}',
        'topics: []',
      ].join('\n'),
    );
    const listed = await run(['-f', join(dir, 'topics.yaml'), 'topics', 'list', '-o', 'json']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(topic);
    const shown = await run(['-f', join(dir, 'topics.yaml'), 'config', 'show', '-o', 'json']);
    const origins = (JSON.parse(shown.stdout) as { origins: Record<string, { source: string }> }).origins;
    expect(origins['sasl.password']?.source).toBe('project');
    // The command config ranks above the project file, per setting.
    const both = await run(['--command-config', properties, '-f', join(dir, 'topics.yaml'), 'config', 'show', '-o', 'json']);
    expect((JSON.parse(both.stdout) as { origins: Record<string, { source: string }> }).origins['sasl.password']?.source).toBe('command-config');
  });

  it('a wrong password fails in one line naming user, mechanism and address, exit 77, within 10 s', async () => {
    const wrong = join(await scratchDir(), 'wrong.properties');
    const text = await readFile(properties, 'utf8');
    await writeFile(wrong, text.replace(/password=\\?"[^"\\]*\\?"/, 'password=\\"not-the-password\\"').replace(/password="[^"]*"/, 'password="not-the-password"'));
    const result = await run(['--command-config', wrong, '-b', cluster.bootstrapServers[0]!, 'topics', 'list']);
    expect(result.exitCode).toBe(77);
    expect(oneLineError(result)).toBe(`error: authentication failed for user admin with SCRAM-SHA-512 at ${cluster.bootstrapServers[0]}`);
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it('PLAINTEXT to the TLS port says the port is a TLS listener', async () => {
    const result = await run(['-b', cluster.bootstrapServers[0]!, '--timeout', '8s', 'topics', 'list']);
    expect(result.exitCode).toBe(69);
    expect(oneLineError(result)).toContain('is a TLS listener and this client spoke PLAINTEXT to it');
  });

  it('an untrusted CA is named as such (exit 78)', async () => {
    const dir = await scratchDir();
    await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'other-key.pem'), '-out', join(dir, 'other-ca.pem'), '-days', '2', '-subj', '/CN=another CA']);
    const text = (await readFile(properties, 'utf8')).replace(/^ssl\.truststore\.location=.*$/m, `ssl.truststore.location=${join(dir, 'other-ca.pem')}`);
    await writeFile(join(dir, 'client.properties'), text);
    const result = await run(['--command-config', join(dir, 'client.properties'), 'topics', 'list']);
    expect(result.exitCode).toBe(78);
    expect(oneLineError(result)).toBe(`error: the TLS certificate of ${cluster.bootstrapServers[0]} is signed by an untrusted CA`);
  });

  it('a host name the certificate does not list is refused, and accepted with the check turned off', async () => {
    const [port] = [await freePortBlock(1, portBlock(900))];
    const proxy = await haproxy(`listen passthrough\n  bind 127.0.0.2:${port}\n  server broker ${cluster.bootstrapServers[0]}\n`);
    try {
      const result = await run(['--command-config', properties, '-b', `127.0.0.2:${port}`, 'topics', 'list']);
      expect(result.exitCode).toBe(78);
      expect(oneLineError(result)).toBe(`error: the TLS certificate of 127.0.0.2:${port} does not name that host`);
      const lax = join(await scratchDir(), 'lax.properties');
      await writeFile(lax, (await readFile(properties, 'utf8')).replace(/^ssl\.endpoint\.identification\.algorithm=.*$/m, 'ssl.endpoint.identification.algorithm='));
      const accepted = await run(['--command-config', lax, '-b', `127.0.0.2:${port}`, 'config', 'show', '-o', 'json']);
      expect(JSON.parse(accepted.stdout).settings.tls.verifyHostname).toBe(false);
      const listed = await run(['--command-config', lax, '-b', `127.0.0.2:${port}`, 'topics', 'list', '-o', 'json']);
      expect(listed.exitCode, listed.stderr).toBe(0);
      expect(listed.stdout).toContain(topic);
    } finally {
      proxy.kill();
    }
  });

  it('an expired certificate is named as such', async () => {
    const port = await freePortBlock(1, portBlock(910));
    const expired = await expiredCertificate(cluster.stateDir);
    const proxy = await haproxy(`listen terminating\n  bind 127.0.0.1:${port} ssl crt ${expired}\n  server broker ${cluster.bootstrapServers[0]} ssl verify none\n`);
    try {
      const result = await run(['--command-config', properties, '-b', `localhost:${port}`, 'topics', 'list']);
      expect(result.exitCode).toBe(78);
      expect(oneLineError(result)).toBe(`error: the TLS certificate of localhost:${port} has expired`);
    } finally {
      proxy.kill();
    }
  });

  it.each([
    ['ssl.truststore.location', 'CA'],
    ['ssl.keystore.location', 'PKCS#12 keystore'],
  ])('a missing %s file fails before connecting (exit 78)', async (key, what) => {
    const dir = await scratchDir();
    const missing = join(dir, 'nowhere.p12');
    const extra = key === 'ssl.keystore.location' ? `\nssl.keystore.type=PKCS12\nssl.keystore.password=x\n` : '';
    const text = (await readFile(properties, 'utf8')).replace(/^ssl\.truststore\.location=.*$/m, (line) => (key === 'ssl.truststore.location' ? `${key}=${missing}` : line));
    await writeFile(join(dir, 'c.properties'), text + (key === 'ssl.keystore.location' ? `${key}=${missing}${extra}` : ''));
    const result = await run(['--command-config', join(dir, 'c.properties'), 'topics', 'list']);
    expect(result.exitCode).toBe(78);
    expect(oneLineError(result)).toBe(`error: cannot read the TLS ${what} file ${missing}: no such file`);
  });

  it('--verbose runs and config show never print a password', async () => {
    const verbose = await run([...cc(), '--verbose', 'topics', 'list']);
    expect(verbose.exitCode, verbose.stderr).toBe(0);
    const wrong = join(await scratchDir(), 'wrong.properties');
    await writeFile(wrong, (await readFile(properties, 'utf8')).replace(/password=(\\?)"[^"\\]*\\?"/, 'password=$1"wrong-verbose-pw$1"'));
    passwords.add('wrong-verbose-pw');
    const failed = await run(['--command-config', wrong, '--verbose', 'topics', 'list']);
    expect(failed.exitCode).toBe(77);
    // --verbose adds the stack and the cause chain: what a leak would hide in.
    expect(failed.stderr.trim().split('\n').length).toBeGreaterThan(2);
    const shown = await run([...cc(), 'config', 'show']);
    expect(shown.exitCode, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/sasl\.password\s+\*{8}\s+command-config: .*client\.properties:\d+ \(sasl\.jaas\.config\)/);
  });
});

describe('SASL_PLAINTEXT with SCRAM-SHA-256', () => {
  let cluster: TestCluster;
  let properties: string;
  beforeAll(async () => {
    cluster = await startSecured(userSecurity('SASL_PLAINTEXT', 'SCRAM-SHA-256'), 300);
    properties = clientFiles(cluster.stateDir).clientProperties;
  });
  afterAll(async () => {
    if (cluster) await stopTestCluster(cluster);
  });

  it('creates, produces and tails with the admin from client.properties', async () => {
    const topic = uniqueName('sec.sha256');
    const created = await run(['--command-config', properties, '-f', await oneTopicProject(cluster, topic), 'create-iot-topics']);
    expect(created.exitCode, created.stderr).toBe(0);
    expect((await run(['--command-config', properties, 'produce', topic, '--format', 'string', '--value', 'hello-256'])).exitCode).toBe(0);
    const tailed = await run(['--command-config', properties, 'tail', topic, '--from-beginning', '--exit-at-end', '-o', 'ndjson']);
    expect(tailed.stdout).toContain('hello-256');
  });

  it('PLAINTEXT without SASL to this port says the listener wants SASL (exit 77)', async () => {
    const result = await run(['-b', cluster.bootstrapServers[0]!, 'topics', 'list']);
    expect(result.exitCode).toBe(77);
    expect(oneLineError(result)).toBe(`error: ${cluster.bootstrapServers[0]} closed the connection: the listener probably wants SASL authentication`);
  });

  it('TLS to this PLAINTEXT-framed port says it does not speak TLS', async () => {
    const result = await run(['--command-config', properties, 'config', 'show'], { env: { KAFKA_SSL: 'true' } });
    expect(result.stdout).toMatch(/tls\s+on\s+env: KAFKA_SSL/);
    const failed = await run(['--command-config', properties, 'topics', 'list'], { env: { KAFKA_SSL: 'true' } });
    expect(failed.exitCode).toBe(69);
    expect(oneLineError(failed)).toBe(`error: ${cluster.bootstrapServers[0]} does not speak TLS: it looks like a PLAINTEXT or SASL_PLAINTEXT listener`);
  });
});

describe('SASL_SSL with PLAIN', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startSecured(userSecurity('SASL_SSL', 'PLAIN'), 400);
  });
  afterAll(async () => {
    if (cluster) await stopTestCluster(cluster);
  });

  it('lists topics and produces with IOTMSG_COMMAND_CONFIG', async () => {
    const env = { IOTMSG_COMMAND_CONFIG: clientFiles(cluster.stateDir).clientProperties };
    const topic = uniqueName('sec.plain');
    const created = await run(['-f', await oneTopicProject(cluster, topic), 'create-iot-topics'], { env });
    expect(created.exitCode, created.stderr).toBe(0);
    expect((await run(['produce', topic, '--format', 'string', '--value', 'hello-plain'], { env })).exitCode).toBe(0);
    const tool = await kafkaTool('topics', ['--bootstrap-server', cluster.bootstrapServers[0]!, '--command-config', env.IOTMSG_COMMAND_CONFIG, '--list']);
    expect(String(tool.stdout).split('\n')).toContain(topic);
  });
});

describe('SSL with a client certificate (mutual TLS, no SASL)', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startSecured(userSecurity('SSL'), 500);
  });
  afterAll(async () => {
    if (cluster) await stopTestCluster(cluster);
  });

  it('signs in with the PKCS#12 store of client.properties', async () => {
    const properties = clientFiles(cluster.stateDir).clientProperties;
    const topic = uniqueName('sec.mtls');
    const created = await run(['--command-config', properties, '-f', await oneTopicProject(cluster, topic), 'create-iot-topics']);
    expect(created.exitCode, created.stderr).toBe(0);
    expect((await run(['--command-config', properties, 'produce', topic, '--format', 'string', '--value', 'hello-mtls'])).exitCode).toBe(0);
    const tailed = await run(['--command-config', properties, 'tail', topic, '--from-beginning', '--exit-at-end', '-o', 'ndjson']);
    expect(tailed.stdout).toContain('hello-mtls');
  });

  it('signs in with PEM certificate and key from the project file', async () => {
    const dir = await scratchDir();
    const tls = tlsDir(cluster.stateDir);
    await writeFile(
      join(dir, 'topics.yaml'),
      `environments:\n  dev:\n    brokers: [${cluster.bootstrapServers.join(', ')}]\n    security:\n      protocol: SSL\n      tls: {caFile: ${join(tls, 'ca.pem')}, certFile: ${join(tls, 'client.pem')}, keyFile: ${join(tls, 'client-key.pem')}}\ntopics: []\n`,
    );
    const listed = await run(['-f', join(dir, 'topics.yaml'), 'topics', 'list']);
    expect(listed.exitCode, listed.stderr).toBe(0);
  });

  it('takes a PKCS#12 trust store made by keytool and a PEM keystore holding key and chain', async () => {
    const dir = await scratchDir();
    const tls = tlsDir(cluster.stateDir);
    const trustPassword = uniqueName('trust');
    passwords.add(trustPassword);
    await execa('keytool', ['-importcert', '-noprompt', '-alias', 'ca', '-file', join(tls, 'ca.pem'), '-keystore', join(dir, 'trust.p12'), '-storetype', 'PKCS12', '-storepass', trustPassword]);
    await writeFile(join(dir, 'client-keystore.pem'), (await readFile(join(tls, 'client-key.pem'), 'utf8')) + (await readFile(join(tls, 'client.pem'), 'utf8')));
    await writeFile(
      join(dir, 'client.properties'),
      `security.protocol=SSL\nssl.truststore.type=PKCS12\nssl.truststore.location=trust.p12\nssl.truststore.password=${trustPassword}\nssl.keystore.type=PEM\nssl.keystore.location=client-keystore.pem\n`,
    );
    const listed = await run(['--command-config', 'client.properties', '-b', cluster.bootstrapServers[0]!, 'topics', 'list', '-o', 'json'], { cwd: dir });
    expect(listed.exitCode, listed.stderr).toBe(0);
    const wrong = (await readFile(join(dir, 'client.properties'), 'utf8')).replace(trustPassword, 'not-it');
    await writeFile(join(dir, 'wrong.properties'), wrong);
    const refused = await run(['--command-config', 'wrong.properties', '-b', cluster.bootstrapServers[0]!, 'topics', 'list'], { cwd: dir });
    expect(refused.exitCode).toBe(78);
    expect(oneLineError(refused)).toBe(`error: cannot open the PKCS#12 trust store ${join(dir, 'trust.p12')}: wrong password or not a PKCS#12 file`);
  });

  it('without a client certificate the broker refuses the handshake (exit 77)', async () => {
    const result = await run(['-b', cluster.bootstrapServers[0]!, 'topics', 'list'], { env: { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: clientFiles(cluster.stateDir).caFile } });
    expect(result.exitCode).toBe(77);
    expect(oneLineError(result)).toContain('refused this client\'s TLS certificate');
  });
});

describe('secrets', () => {
  it('no output of this file contains a password', () => {
    expect(passwords.size).toBeGreaterThan(3);
    expect(outputs.length).toBeGreaterThan(20);
    for (const password of passwords) {
      for (const { args, text } of outputs) expect(text.includes(password), `${args.join(' ')} printed a password`).toBe(false);
    }
  });
});
