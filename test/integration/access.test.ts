import { execa } from 'execa';
import { kcat as runKcat } from '../support/kcat.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { startTestCluster, stopTestCluster, type TestCluster } from '../support/cluster.js';
import { kafkaTool } from '../support/kafkaTools.js';
import { removeTopicsProjects, rewriteTopics, topicsProject } from '../support/topicsProject.js';

/**
 * Access as code on a secured 3-broker cluster (SASL_SSL + SCRAM-SHA-512, StandardAuthorizer,
 * nothing allowed without an ACL). iotmsg applies as the admin super user unless a test says
 * otherwise; Kafka's own kafka-acls and kcat, logged in as the services, check the result.
 */
let cluster: TestCluster;
let adminPassword: string;
const passwords: Record<string, string> = { 'sensor-gateway': 'gw-secret-1', 'data-ingestion': 'in-secret-2', deployer: 'dp-secret-3' };

/** The repository's services, over this file's topics. */
const ACCESS = `
access:
  User:sensor-gateway:
    produces: [sensor-data, device-events]
  User:data-ingestion:
    consumes:
      topics: [sensor-data]
      groups: [data-ingestion-group]
      dlq: true
  User:ops:
    consumes:
      topics: ['*']
      groups: ['ops-*']
`;

function projectYaml(access = ACCESS): string {
  return [
    'environments:',
    '  prod:',
    `    brokers: [${cluster.bootstrapServers.join(', ')}]`,
    '    replicationFactor: 3',
    '    superUsers: [User:admin]',
    'topics:',
    '  - name: sensor-data',
    '    partitions: 3',
    '    dlq: true',
    '  - name: device-events',
    '    partitions: 3',
    '  - name: audit-logs',
    '    partitions: 1',
    access,
  ].join('\n');
}

/** iotmsg's connection as `user` (the admin super user by default). */
function as(user = 'admin'): Record<string, string> {
  return {
    KAFKA_SSL: 'true',
    KAFKA_SSL_CA_FILE: cluster.security!.caFile,
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: user,
    KAFKA_SASL_PASSWORD: user === 'admin' ? adminPassword : passwords[user]!,
  };
}

/** Every binding on the cluster as Kafka's own kafka-acls lists it: `ALLOW User:x WRITE TOPIC name LITERAL`. */
async function kafkaAcls(): Promise<string[]> {
  const listed = await kafkaTool('acls', ['--bootstrap-server', cluster.bootstrapServers[0]!, '--command-config', cluster.security!.clientProperties, '--list']);
  expect(listed.exitCode, String(listed.stderr)).toBe(0);
  const bindings: string[] = [];
  let resource = '';
  for (const line of String(listed.stdout).split('\n')) {
    const pattern = /ResourcePattern\(resourceType=(\w+), name=(.*), patternType=(\w+)\)/.exec(line);
    if (pattern) resource = `${pattern[1]} ${pattern[2]} ${pattern[3]}`;
    const acl = /\(principal=(.*), host=(.*), operation=(\w+), permissionType=(\w+)\)/.exec(line);
    if (acl) bindings.push(`${acl[4]} ${acl[1]} ${acl[3]} ${resource}${acl[2] === '*' ? '' : ` from ${acl[2]}`}`);
  }
  return bindings.sort();
}

/** kcat logged in as `user`, from the deployment's librdkafka.conf with the admin's login swapped. */
async function kcat(user: string, args: string[], input?: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const adminConf = await readFile(cluster.security!.librdkafkaConf, 'utf8');
  const conf = join(cluster.stateDir, `kcat-${user}.conf`);
  const userConf = adminConf.replace(/^sasl\.username=.*$/m, `sasl.username=${user}`).replace(/^sasl\.password=.*$/m, `sasl.password=${passwords[user]}`);
  await writeFile(conf, userConf, { mode: 0o600 });
  const result = await runKcat(['-F', conf, ...args], { input: input ?? '' });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Whether kcat can sign in as `user` with `password` (the listing itself needs no ACL). */
async function kcatSignsIn(user: string, password: string): Promise<boolean> {
  const adminConf = await readFile(cluster.security!.librdkafkaConf, 'utf8');
  const conf = join(cluster.stateDir, `kcat-login-${user}.conf`);
  await writeFile(conf, adminConf.replace(/^sasl\.username=.*$/m, `sasl.username=${user}`).replace(/^sasl\.password=.*$/m, `sasl.password=${password}`), { mode: 0o600 });
  const listed = await runKcat(['-F', conf, '-L', '-m', '5']);
  return listed.exitCode === 0;
}

/** The brokers take a credential change from the metadata log a moment after the controller: waits up to 20 s for kcat to see it. */
async function untilSignIn(user: string, password: string, expected: boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await kcatSignsIn(user, password)) !== expected) {
    if (Date.now() > deadline) throw new Error(`kcat ${expected ? 'still cannot' : 'still can'} sign in as ${user}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * apply returns once the controller has taken CreateAcls; a broker busy loading the new
 * topics' logs applies the ACL records a moment later. Waits (up to 30 s) until kcat as
 * `user` sees `topic` on every broker.
 */
async function untilEveryBrokerAuthorizes(user: string, topic: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (const broker of cluster.bootstrapServers) {
    for (;;) {
      const listed = await kcat(user, ['-b', broker, '-L', '-t', topic]);
      if (listed.exitCode === 0 && !/authoriz/i.test(listed.stdout + listed.stderr)) break;
      if (Date.now() > deadline) throw new Error(`${user} is still refused ${topic} on ${broker}: ${listed.stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

beforeAll(async () => {
  cluster = await startTestCluster('prod', false, {
    security: { protocol: 'SASL_SSL', sasl: { mechanism: 'SCRAM-SHA-512', username: 'sensor-gateway', password: { env: 'ACCESS_TEST_GATEWAY_PASSWORD' } }, tls: { verifyHostname: true } },
    environment: { ...process.env, ACCESS_TEST_GATEWAY_PASSWORD: passwords['sensor-gateway'] },
  });
  adminPassword = (await readFile(join(cluster.stateDir, 'secrets', 'admin.password'), 'utf8')).trim();
  // The other services' SCRAM users, through the admin (AlterUserScramCredentials).
  for (const user of ['data-ingestion', 'deployer']) {
    const added = await kafkaTool('configs', [
      '--bootstrap-server', cluster.bootstrapServers[0]!, '--command-config', cluster.security!.clientProperties,
      '--alter', '--entity-type', 'users', '--entity-name', user, '--add-config', `SCRAM-SHA-512=[iterations=4096,password=${passwords[user]}]`,
    ]);
    expect(added.exitCode, String(added.stderr)).toBe(0);
  }
}, 600_000);

afterAll(async () => {
  await removeTopicsProjects();
  if (cluster) await stopTestCluster(cluster);
});

describe('access as code on a secured cluster', () => {
  let dir: string;

  it('iotmsg apply creates the topics and then the bindings the roles expand to; a plan right after is clean', async () => {
    dir = await topicsProject(projectYaml());
    const applied = await iotmsg(['apply', '--env', 'prod', '--yes'], { cwd: dir, env: as() });
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(applied.stderr).toContain('created 7 topics');
    expect(applied.stderr).toContain('created 7 ACL binding(s)');
    expect(await kafkaAcls()).toEqual([
      'ALLOW User:data-ingestion READ GROUP data-ingestion-group LITERAL',
      'ALLOW User:data-ingestion READ TOPIC sensor-data LITERAL',
      'ALLOW User:data-ingestion WRITE TOPIC sensor-data.dlq PREFIXED',
      'ALLOW User:ops READ GROUP ops- PREFIXED',
      'ALLOW User:ops READ TOPIC * LITERAL',
      'ALLOW User:sensor-gateway WRITE TOPIC device-events LITERAL',
      'ALLOW User:sensor-gateway WRITE TOPIC sensor-data LITERAL',
    ]);
    const plan = await iotmsg(['plan', '--env', 'prod', '--detailed-exitcode'], { cwd: dir, env: as() });
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Access: 0 to create, 0 to delete. 7 unchanged, 0 unmanaged.');
    expect(plan.stdout).toContain('produces sensor-data');
  });

  it('a principal that produces sensor-data writes it with kcat (idempotent too) and is refused on audit-logs', async () => {
    await untilEveryBrokerAuthorizes('sensor-gateway', 'sensor-data');
    const written = await kcat('sensor-gateway', ['-P', '-t', 'sensor-data', '-X', 'enable.idempotence=true'], 'reading-1\n');
    expect(written.exitCode, written.stderr).toBe(0);
    const refused = await kcat('sensor-gateway', ['-P', '-t', 'audit-logs'], 'not-allowed\n');
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/authoriz/i);
  });

  it('the consumer reads with its group, is refused with another one, and may write its DLQ siblings', async () => {
    await untilEveryBrokerAuthorizes('data-ingestion', 'sensor-data');
    const read = await kcat('data-ingestion', ['-C', '-G', 'data-ingestion-group', '-o', 'beginning', '-c', '1', '-e', 'sensor-data']);
    expect(read.stdout).toContain('reading-1');
    const otherGroup = await kcat('data-ingestion', ['-C', '-G', 'someone-elses-group', '-o', 'beginning', '-c', '1', '-e', 'sensor-data']);
    expect(otherGroup.stdout).not.toContain('reading-1');
    expect(otherGroup.stderr).toMatch(/group authorization failed|GROUP_AUTHORIZATION_FAILED/i);
    const dlq = await kcat('data-ingestion', ['-P', '-t', 'sensor-data.dlq.poison'], 'bad-reading\n');
    expect(dlq.exitCode, dlq.stderr).toBe(0);
    const parent = await kcat('data-ingestion', ['-P', '-t', 'sensor-data'], 'not-a-producer\n');
    expect(parent.exitCode).not.toBe(0);
  });

  it('says which principal lacked which right on what, exit 77, whichever command hit the ACL', async () => {
    const written = await iotmsg(['produce', 'sensor-data', '--env', 'prod', '--value', 'from-a-consumer'], { cwd: dir, env: as('data-ingestion') });
    expect(written.exitCode, written.stderr).toBe(77);
    expect(written.stderr.split('\n')[0]).toBe('error: User:data-ingestion may not WRITE topic "sensor-data"');

    const read = await iotmsg(['tail', 'sensor-data', '--env', 'prod', '--from-beginning', '--exit-at-end'], { cwd: dir, env: as('sensor-gateway') });
    expect(read.exitCode, read.stderr).toBe(77);
    expect(read.stderr).toContain('error: User:sensor-gateway may not READ topic "sensor-data"');

    const offsets = await iotmsg(['groups', 'reset-offsets', 'data-ingestion-group', '--topic', 'sensor-data', '--to-latest', '--execute', '--env', 'prod'], { cwd: dir, env: as('sensor-gateway') });
    expect(offsets.exitCode, offsets.stderr).toBe(77);
    expect(offsets.stderr.split('\n')[0]).toMatch(/^error: User:sensor-gateway may not (DESCRIBE|READ) group "data-ingestion-group"$/);

    const hidden = await iotmsg(['produce', 'audit-logs', '--env', 'prod', '--value', 'x'], { cwd: dir, env: as('sensor-gateway') });
    expect(hidden.exitCode).toBe(1);
    expect(hidden.stderr).toBe('error: topic "audit-logs" does not exist\nhint: list topics with "iotmsg topics list": User:sensor-gateway sees only those it may DESCRIBE');
  });

  it('topic changes refused by an ACL name the right and the topic, exit 77, and change nothing', async () => {
    const gateway = { cwd: dir, env: as('sensor-gateway') };
    const created = await iotmsg(['topics', 'create', 'acl-scratch', '--env', 'prod'], gateway);
    expect(created.exitCode, created.stderr).toBe(77);
    expect(created.stderr.split('\n')[0]).toBe('error: User:sensor-gateway may not CREATE topic "acl-scratch"');
    const configured = await iotmsg(['topics', 'alter', 'sensor-data', '--config', 'retention.ms=1d', '--env', 'prod'], gateway);
    expect(configured.exitCode, configured.stderr).toBe(77);
    // It reads the topic's overrides first (to keep the others): that is the right it lacks first.
    expect(configured.stderr.split('\n')[0]).toBe('error: User:sensor-gateway may not DESCRIBE_CONFIGS topic "sensor-data"');
    // Given that right (for this test only), the change itself is what is refused.
    const describeConfigs = ['--bootstrap-server', cluster.bootstrapServers[0]!, '--command-config', cluster.security!.clientProperties, '--topic', 'sensor-data', '--operation', 'DescribeConfigs', '--allow-principal', 'User:sensor-gateway'];
    expect((await kafkaTool('acls', ['--add', ...describeConfigs])).exitCode).toBe(0);
    try {
      const refusedAfter = async (args: string[], expected: string): Promise<void> => {
        let first = '';
        for (let attempt = 0; attempt < 20 && first !== expected; attempt++) {
          const result = await iotmsg(['topics', 'alter', 'sensor-data', ...args, '--env', 'prod'], gateway);
          expect(result.exitCode, result.stderr).toBe(77);
          first = result.stderr.split('\n')[0]!;
          if (first !== expected) await sleep(250); // until every broker has the new ACL
        }
        expect(first).toBe(expected);
      };
      await refusedAfter(['--config', 'retention.ms=1d'], 'error: User:sensor-gateway may not ALTER_CONFIGS topic "sensor-data"');
      await refusedAfter(['--partitions', '12'], 'error: User:sensor-gateway may not ALTER topic "sensor-data"');
    } finally {
      expect((await kafkaTool('acls', ['--remove', '--force', ...describeConfigs])).exitCode).toBe(0);
    }
    const listed = await kafkaTool('topics', ['--bootstrap-server', cluster.bootstrapServers[0]!, '--command-config', cluster.security!.clientProperties, '--describe', '--topic', 'sensor-data']);
    expect(listed.stdout).not.toContain('retention.ms=86400000');
    expect(listed.stdout).not.toContain('Partition: 11');
    expect((await kafkaTool('topics', ['--bootstrap-server', cluster.bootstrapServers[0]!, '--command-config', cluster.security!.clientProperties, '--list'])).stdout).not.toContain('acl-scratch');
  });

  it('lists bindings the file does not declare as unmanaged, deletes them only with --prune, never a super user\'s', async () => {
    const extra = ['--bootstrap-server', cluster.bootstrapServers[0]!, '--command-config', cluster.security!.clientProperties, '--add', '--topic', 'audit-logs', '--operation', 'Read'];
    expect((await kafkaTool('acls', [...extra, '--allow-principal', 'User:stray'])).exitCode).toBe(0);
    expect((await kafkaTool('acls', [...extra, '--allow-principal', 'User:admin'])).exitCode).toBe(0);
    const plan = await iotmsg(['access', 'plan', '--env', 'prod', '-o', 'json'], { cwd: dir, env: as() });
    expect(plan.exitCode, plan.stderr).toBe(0);
    const unmanaged = (JSON.parse(plan.stdout) as { unmanaged: { principal: string }[] }).unmanaged.map((b) => b.principal).sort();
    expect(unmanaged).toEqual(['User:admin', 'User:stray']);
    const pruned = await iotmsg(['access', 'apply', '--env', 'prod', '--prune', '--yes'], { cwd: dir, env: as() });
    expect(pruned.exitCode, pruned.stderr).toBe(0);
    expect(pruned.stderr).toContain('deleted 1 ACL binding(s)');
    const after = await kafkaAcls();
    expect(after).toContain('ALLOW User:admin READ TOPIC audit-logs LITERAL');
    expect(after.some((b) => b.includes('User:stray'))).toBe(false);
  });

  it('refuses a plan that would take the applying principal\'s own right to change ACLs', async () => {
    const grant = ['--bootstrap-server', cluster.bootstrapServers[0]!, '--command-config', cluster.security!.clientProperties, '--add', '--cluster', '--allow-principal', 'User:deployer'];
    expect((await kafkaTool('acls', [...grant, '--operation', 'Alter', '--operation', 'Describe', '--operation', 'DescribeConfigs'])).exitCode).toBe(0);
    const before = await kafkaAcls();
    const refused = await iotmsg(['access', 'apply', '--env', 'prod', '--prune', '--yes'], { cwd: dir, env: as('deployer') });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("error: refusing the access plan: it would take User:deployer's ALTER on the cluster");
    expect(await kafkaAcls()).toEqual(before);
    // Declared, the same rights make the plan fine for the deployer.
    await rewriteTopics(dir, projectYaml(`${ACCESS}  User:deployer:\n    acls:\n      - resource: cluster\n        operations: [ALTER, DESCRIBE, DESCRIBE_CONFIGS]\n`));
    const allowed = await iotmsg(['access', 'plan', '--env', 'prod', '--prune', '--detailed-exitcode'], { cwd: dir, env: as('deployer') });
    expect(allowed.exitCode, allowed.stdout + allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain('ALLOW ALTER cluster');
    expect(allowed.stdout).toContain('? ALLOW User:admin READ topic audit-logs (super user: never deleted)');
  });

  it('export writes the access section folded into roles, and planning the export shows no changes', async () => {
    const exported = join(dir, 'exported.yaml');
    const result = await iotmsg(['topics', 'export', '--env', 'prod', '--out', exported], { cwd: dir, env: as() });
    expect(result.exitCode, result.stderr).toBe(0);
    const text = await readFile(exported, 'utf8');
    expect(text).toContain('User:sensor-gateway:\n    produces:\n      - device-events\n      - sensor-data');
    expect(text).toMatch(/User:data-ingestion:\n {4}consumes:\n {6}topics:\n {8}- sensor-data\n {6}groups:\n {8}- data-ingestion-group\n {6}dlq: true/);
    const plan = await iotmsg(['access', 'plan', '--file', exported, '--prune', '--detailed-exitcode'], { cwd: dir, env: as() });
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
  });
});

describe('a cluster without an authorizer', () => {
  it('plans access as "not enforced here", not as an error', async () => {
    const dev = inject('devCluster');
    const project = await topicsProject(`environments:\n  dev:\n    brokers: [${dev.bootstrapServers.join(', ')}]\ntopics:\n  - name: sensor-data\n    dlq: true\n  - name: device-events\n  - name: audit-logs\n${ACCESS}`);
    const plan = await iotmsg(['access', 'plan', '--env', 'dev', '--detailed-exitcode'], { cwd: project });
    expect(plan.exitCode, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Not enforced here: the cluster runs without an authorizer');
    const applied = await iotmsg(['access', 'apply', '--env', 'dev', '--yes'], { cwd: project });
    expect(applied.exitCode, applied.stderr).toBe(0);
  });
});

describe('SCRAM users on a secured cluster', () => {
  const user = 'svc-rotating';
  const first = 'first-Pa55word';
  const second = 'second-Pa55word';
  /** No project here: the brokers come from the environment, as in a shell. */
  const signedIn = (user?: string) => ({ ...as(user), KAFKA_BROKERS: cluster.bootstrapServers.join(',') });

  /** What Kafka's own kafka-configs says the user has, e.g. "SCRAM-SHA-256=iterations=8192". */
  async function kafkaConfigsUser(name: string): Promise<string> {
    const described = await kafkaTool('configs', ['--bootstrap-server', cluster.bootstrapServers[0]!, '--command-config', cluster.security!.clientProperties, '--describe', '--entity-type', 'users', '--entity-name', name]);
    expect(described.exitCode, String(described.stderr)).toBe(0);
    return String(described.stdout);
  }

  it('creates a user from a password on stdin: kafka-configs sees it, kcat signs in with it and not with another', async () => {
    const created = await iotmsg(['users', 'create', user, '--iterations', '8192'], { env: signedIn(), input: `${first}\n` });
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stdout + created.stderr).not.toContain(first);
    expect(await kafkaConfigsUser(user)).toContain('SCRAM-SHA-512=iterations=8192');
    await untilSignIn(user, first, true);
    expect(await kcatSignsIn(user, 'not-the-password')).toBe(false);

    const listed = await iotmsg(['users', 'list', '-o', 'json'], { env: signedIn() });
    expect(listed.exitCode, listed.stderr).toBe(0);
    const users = JSON.parse(listed.stdout) as { user: string; credentials: { mechanism: string; iterations: number }[] }[];
    expect(users.find((u) => u.user === user)).toEqual({ user, credentials: [{ mechanism: 'SCRAM-SHA-512', iterations: 8192 }] });
    expect(users.find((u) => u.user === 'data-ingestion')?.credentials).toEqual([{ mechanism: 'SCRAM-SHA-512', iterations: 4096 }]);
    expect(listed.stdout).not.toMatch(/salt|password/i);
  });

  it('refuses to create a user twice, and rotates: the old password stops working, the new one works', async () => {
    const again = await iotmsg(['users', 'create', user], { env: signedIn(), input: 'whatever\n' });
    expect(again.exitCode).toBe(64);
    expect(again.stderr).toBe(`error: user ${user} already has a SCRAM-SHA-512 credential\nhint: change its password with "iotmsg users rotate ${user}"`);

    const file = join(cluster.stateDir, 'rotated.password');
    await writeFile(file, `${second}\n`, { mode: 0o600 });
    const rotated = await iotmsg(['users', 'rotate', user, '--password-file', file], { env: signedIn() });
    expect(rotated.exitCode, rotated.stderr).toBe(0);
    await untilSignIn(user, first, false);
    expect(await kcatSignsIn(user, second)).toBe(true);

    const missing = await iotmsg(['users', 'rotate', 'nobody-here', '--password-file', file], { env: signedIn() });
    expect(missing.exitCode).toBe(64);
    expect(missing.stderr).toContain('user nobody-here has no SCRAM-SHA-512 credential to rotate');
  });

  it('deletes only after confirmation; the user can no longer sign in', async () => {
    const unconfirmed = await iotmsg(['users', 'delete', user], { env: signedIn() });
    expect(unconfirmed.exitCode).toBe(64);
    expect(await kafkaConfigsUser(user)).toContain('SCRAM-SHA-512');

    const deleted = await iotmsg(['users', 'delete', user, '--yes'], { env: signedIn() });
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`deleted the SCRAM-SHA-512 credential(s) of user ${user}`);
    await untilSignIn(user, second, false);
    expect(await kafkaConfigsUser(user)).not.toContain('SCRAM-SHA-512');
  });

  it('says which principal lacked which right when a service may not manage users', async () => {
    const refused = await iotmsg(['users', 'list'], { env: signedIn('sensor-gateway') });
    expect(refused.exitCode, refused.stderr).toBe(77);
    expect(refused.stderr).toBe("error: User:sensor-gateway may not DESCRIBE the cluster\nhint: needed to list SCRAM users; grant it in the access section of topics.yaml, or ask the cluster's admins");
  });
});
