import { execa } from 'execa';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { uniqueName } from '../support/names.js';
import { registryCall } from '../support/schema-registry.js';

const cluster = inject('devCluster');
const url = cluster.schemaRegistryUrl!;
const REPO_SCHEMAS = new URL('../../schemas/', import.meta.url);

interface TopicWithSchemas {
  name: string;
  key?: string;
  value?: string;
  compatibility?: string;
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A project directory: topics.yaml pointing at the test registry, the platform's schemas and extra ones. */
async function project(topics: TopicWithSchemas[], extraSchemas: Record<string, unknown> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iotmsg-schema-'));
  dirs.push(dir);
  await mkdir(join(dir, 'schemas'));
  for (const name of ['sensor-data.avsc', 'location.avsc', 'device-event.avsc', 'dlq-envelope.avsc']) {
    await copyFile(new URL(name, REPO_SCHEMAS), join(dir, 'schemas', name));
  }
  for (const [name, schema] of Object.entries(extraSchemas)) await writeSchema(dir, name, schema);
  const ref = (schema: string, level?: string) => [`      schema: schemas/${schema}`, ...(level ? [`      compatibility: ${level}`] : [])];
  const yaml = [
    'environments:',
    '  dev:',
    `    brokers: [${cluster.bootstrapServers.join(', ')}]`,
    `    schemaRegistry: ${url}`,
    topics.length === 0 ? 'topics: []' : 'topics:',
    ...topics.flatMap((t) => [
      `  - name: ${t.name}`,
      ...(t.key ? ['    keySchema:', ...ref(t.key)] : []),
      ...(t.value ? ['    valueSchema:', ...ref(t.value, t.compatibility)] : []),
    ]),
  ];
  await writeFile(join(dir, 'topics.yaml'), `${yaml.join('\n')}\n`);
  return dir;
}

async function writeSchema(dir: string, name: string, schema: unknown): Promise<void> {
  await writeFile(join(dir, 'schemas', name), `${JSON.stringify(schema, null, 2)}\n`);
}

/** The platform's sensor schema with one more field. */
async function sensorDataWith(dir: string, field: unknown): Promise<void> {
  const schema = JSON.parse(await readFile(join(dir, 'schemas', 'sensor-data.avsc'), 'utf8')) as { fields: unknown[] };
  await writeSchema(dir, 'sensor-data.avsc', { ...schema, fields: [...schema.fields, field] });
}

const versionsOf = async (subject: string) => (await registryCall<number[]>(url, 'GET', `/subjects/${subject}/versions`)).body;
const levelOf = async (subject: string) => (await registryCall<{ compatibilityLevel: string }>(url, 'GET', `/config/${subject}`)).body.compatibilityLevel;

interface Registration {
  subject: string;
  outcome: string;
  id: number;
  version: number;
  levelChange?: { from: string | null; to: string };
}

describe('iotmsg schema register', () => {
  it('registers every subject of topics.yaml with its level, and a second run writes nothing and keeps the ids', async () => {
    const [sensors, events] = [uniqueName('e2e-sensors'), uniqueName('e2e-events')];
    const dir = await project([
      { name: sensors, value: 'sensor-data.avsc', compatibility: 'FULL' },
      { name: events, key: 'location.avsc', value: 'device-event.avsc' },
    ]);
    const first = await iotmsg(['schema', 'register', '-o', 'json'], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    const registered = JSON.parse(first.stdout) as Registration[];
    expect(registered.map((r) => [r.subject, r.outcome, r.version, r.levelChange?.to])).toEqual([
      [`${sensors}-value`, 'registered', 1, 'FULL'],
      [`${events}-key`, 'registered', 1, 'BACKWARD'],
      [`${events}-value`, 'registered', 1, 'BACKWARD'],
    ]);
    expect(await versionsOf(`${sensors}-value`)).toEqual([1]);
    expect(await levelOf(`${sensors}-value`)).toBe('FULL');
    expect(await levelOf(`${events}-value`)).toBe('BACKWARD');
    const stored = await registryCall<{ id: number }>(url, 'GET', `/subjects/${sensors}-value/versions/1`);
    expect(stored.body.id).toBe(registered[0]!.id);

    // --verbose logs every request: the second run only reads.
    const again = await iotmsg(['schema', 'register', '-o', 'json', '--verbose'], { cwd: dir });
    expect(again.exitCode).toBe(0);
    const unchanged = JSON.parse(again.stdout) as Registration[];
    expect(unchanged.map((r) => [r.outcome, r.id, r.version])).toEqual(registered.map((r) => ['unchanged', r.id, 1]));
    const requests = again.stderr.split('\n').filter((l) => / → \d{3} in /.test(l));
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((l) => /^(PUT|DELETE) |^POST \S+\/versions /.test(l))).toEqual([]);
    expect(await versionsOf(`${sensors}-value`)).toEqual([1]);
  });

  it('plans and registers a compatible change as a new version (detailed exit code 2, then 0)', async () => {
    const topic = uniqueName('e2e-plan');
    const subject = `${topic}-value`;
    const dir = await project([{ name: topic, value: 'sensor-data.avsc' }]);
    expect((await iotmsg(['schema', 'register'], { cwd: dir })).exitCode).toBe(0);
    expect((await iotmsg(['schema', 'plan', '--detailed-exitcode'], { cwd: dir })).exitCode).toBe(0);

    await sensorDataWith(dir, { name: 'quality', type: 'int', default: 100 });
    const plan = await iotmsg(['schema', 'plan', '--detailed-exitcode', '-o', 'json'], { cwd: dir });
    expect(plan.exitCode).toBe(2);
    const planned = JSON.parse(plan.stdout) as { subjects: { subject: string; action: string; verdict: { compatible: boolean; against: number[] } }[]; appliable: boolean };
    expect(planned.subjects).toMatchObject([{ subject, action: 'new-version', verdict: { compatible: true, against: [1] } }]);
    expect(planned.appliable).toBe(true);

    const register = await iotmsg(['schema', 'register', '-o', 'json'], { cwd: dir });
    expect(register.exitCode).toBe(0);
    expect(JSON.parse(register.stdout)).toMatchObject([{ subject, outcome: 'new-version', version: 2 }]);
    expect(await versionsOf(subject)).toEqual([1, 2]);
    expect((await iotmsg(['schema', 'plan', '--detailed-exitcode'], { cwd: dir })).exitCode).toBe(0);
  });

  it('refuses an incompatible schema with exit 4 and the reasons, and writes nothing', async () => {
    const topic = uniqueName('e2e-refused');
    const subject = `${topic}-value`;
    const dir = await project([{ name: topic, value: 'sensor-data.avsc' }]);
    expect((await iotmsg(['schema', 'register'], { cwd: dir })).exitCode).toBe(0);

    await sensorDataWith(dir, { name: 'quality', type: 'int' });
    const plan = await iotmsg(['schema', 'plan', '-o', 'json'], { cwd: dir });
    // A blocked plan exits 1, with or without --detailed-exitcode: a gate on 2 must not pass it.
    expect(plan.exitCode).toBe(1);
    expect(plan.stderr.split('\n')[0]).toBe('error: the schema plan cannot be applied: 1 blocked subject(s)');
    expect((await iotmsg(['schema', 'plan', '--detailed-exitcode'], { cwd: dir })).exitCode).toBe(1);
    const blocked = (JSON.parse(plan.stdout) as { subjects: { blocked?: { reason: string } }[]; appliable: boolean });
    expect(blocked.appliable).toBe(false);
    expect(blocked.subjects[0]!.blocked?.reason).toBe("BACKWARD refuses it against version 1: The field 'quality' at path '/fields/6' in the new schema has no default value and is missing in the old schema");

    const refused = await iotmsg(['schema', 'register'], { cwd: dir });
    expect(refused.exitCode).toBe(4);
    expect(refused.stderr).toContain(`✗ ${subject}:`);
    expect(refused.stderr).toContain('Incompatible artifact');
    expect(refused.stderr).toContain(`error: the registry refused 1 of 1 schema(s) as incompatible: ${subject}`);
    expect(refused.stderr).toMatch(/\nhint: /);
    expect(await versionsOf(subject)).toEqual([1]);
  });

  it('registers one file under a named subject with --level, and register-iot-schemas registers the project', async () => {
    const subject = uniqueName('e2e-named');
    const topic = uniqueName('e2e-iot');
    const dir = await project([{ name: topic, value: 'dlq-envelope.avsc' }]);
    const named = await iotmsg(['schema', 'register', subject, 'schemas/device-event.avsc', '--level', 'FORWARD'], { cwd: dir });
    expect(named.exitCode).toBe(0);
    expect(await versionsOf(subject)).toEqual([1]);
    expect(await levelOf(subject)).toBe('FORWARD');

    const seed = await iotmsg(['schema', 'register-iot-schemas', '-o', 'json'], { cwd: dir });
    expect(seed.exitCode).toBe(0);
    expect(JSON.parse(seed.stdout)).toMatchObject([{ subject: `${topic}-value`, outcome: 'registered', version: 1 }]);
    expect(await versionsOf(`${topic}-value`)).toEqual([1]);
    expect((await iotmsg(['schema', 'register', subject], { cwd: dir })).exitCode).toBe(64);
  });
});

describe('iotmsg schema check', () => {
  it('lists every incompatibility with its path, offline, and exits 4', async () => {
    const dir = await project([]);
    await writeSchema(dir, 'old.avsc', { type: 'record', name: 'R', fields: [{ name: 'a', type: 'long' }, { name: 'b', type: 'string' }] });
    await writeSchema(dir, 'new.avsc', { type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }, { name: 'c', type: 'int' }] });
    const result = await iotmsg(['schema', 'check', 'schemas/new.avsc', '--against', 'schemas/old.avsc', '-o', 'json'], { cwd: dir });
    expect(result.exitCode).toBe(4);
    const report = JSON.parse(result.stdout) as { level: string; compatible: boolean; incompatibilities: { path: string; type: string }[]; registry: { asked: boolean } };
    expect(report.level).toBe('BACKWARD');
    expect(report.incompatibilities.map((i) => [i.path, i.type])).toEqual([
      ['/fields/0/type', 'TYPE_MISMATCH'],
      ['/fields/2', 'READER_FIELD_MISSING_DEFAULT_VALUE'],
    ]);
    const forward = await iotmsg(['schema', 'check', 'schemas/old.avsc', '--against', 'schemas/new.avsc', '--level', 'FORWARD', '--offline'], { cwd: dir });
    expect(forward.exitCode).toBe(4);
    expect(forward.stdout).toContain('reader type: INT not compatible with writer type: LONG');
  });

  it('compares with the file at a git revision and asks the configured registry too', async () => {
    const topic = uniqueName('e2e-check');
    const dir = await project([{ name: topic, value: 'sensor-data.avsc' }]);
    expect((await iotmsg(['schema', 'register'], { cwd: dir })).exitCode).toBe(0);
    const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
    await git('init', '-q');
    await git('add', '.');
    await git('commit', '-qm', 'schemas');
    await sensorDataWith(dir, { name: 'battery', type: 'float', default: 1 });

    const ok = await iotmsg(['schema', 'check', 'schemas/sensor-data.avsc', '--against', 'HEAD', '-o', 'json'], { cwd: dir });
    expect(ok.exitCode).toBe(0);
    const report = JSON.parse(ok.stdout) as { history: unknown; checked: string[]; compatible: boolean; registry: { asked: boolean; verdicts: { subject: string; compatible: boolean; level: string; against: number[] }[] } };
    expect(report.history).toEqual([{ kind: 'git', label: 'HEAD:schemas/sensor-data.avsc' }]);
    expect(report.checked).toEqual(['HEAD:schemas/sensor-data.avsc']);
    expect(report.compatible).toBe(true);
    expect(report.registry.asked).toBe(true);
    expect(report.registry.verdicts).toEqual([{ subject: `${topic}-value`, compatible: true, reasons: [], level: 'BACKWARD', against: [1] }]);

    await sensorDataWith(dir, { name: 'battery2', type: 'float' });
    const bad = await iotmsg(['schema', 'check', 'schemas/sensor-data.avsc', '--against', 'HEAD'], { cwd: dir });
    expect(bad.exitCode).toBe(4);
    expect(bad.stdout).toContain('offline (BACKWARD): incompatible');
    expect(bad.stdout).toMatch(/registry .*-value \(BACKWARD, version 1\): incompatible/);

    const unknown = await iotmsg(['schema', 'check', 'schemas/sensor-data.avsc', '--against', 'no-such-branch'], { cwd: dir });
    expect(unknown.exitCode).toBe(64);
    expect(unknown.stderr).toContain('error: --against "no-such-branch" is neither a file nor a git revision');
  });
});

describe('iotmsg schema get, versions, list, diff', () => {
  it('shows subjects, versions and schemas as JSON', async () => {
    const topic = uniqueName('e2e-read');
    const subject = `${topic}-value`;
    const dir = await project([{ name: topic, value: 'sensor-data.avsc' }]);
    expect((await iotmsg(['schema', 'register'], { cwd: dir })).exitCode).toBe(0);
    await sensorDataWith(dir, { name: 'quality', type: 'int', default: 100 });
    expect((await iotmsg(['schema', 'register'], { cwd: dir })).exitCode).toBe(0);

    const list = await iotmsg(['schema', 'list', '--prefix', topic, '-o', 'json'], { cwd: dir });
    const ids = (await Promise.all([1, 2].map((v) => registryCall<{ id: number }>(url, 'GET', `/subjects/${subject}/versions/${v}`)))).map((r) => r.body.id);
    expect(JSON.parse(list.stdout)).toEqual([{ subject, latestVersion: 2, id: ids[1], schemaType: 'AVRO' }]);
    const versions = await iotmsg(['schema', 'versions', subject, '-o', 'json'], { cwd: dir });
    expect(JSON.parse(versions.stdout)).toEqual([{ version: 1, id: ids[0] }, { version: 2, id: ids[1] }]);
    const get = await iotmsg(['schema', 'get', subject, '1', '-o', 'json'], { cwd: dir });
    const stored = JSON.parse(get.stdout) as { subject: string; version: number; id: number; schema: string };
    expect([stored.subject, stored.version, stored.id]).toEqual([subject, 1, ids[0]]);
    expect(JSON.parse(stored.schema)).toMatchObject({ name: 'SensorData', namespace: 'com.iotplatform.messaging' });
  });

  it('compares local files with the latest version by canonical form (detailed exit code)', async () => {
    const topic = uniqueName('e2e-diff');
    const sorted = { type: 'record', name: 'Sorted', namespace: 'e2e', fields: [{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }] };
    const dir = await project([{ name: topic, value: 'sorted.avsc' }], { 'sorted.avsc': sorted });
    const before = await iotmsg(['schema', 'diff', '-o', 'json', '--detailed-exitcode'], { cwd: dir });
    expect(before.exitCode).toBe(2);
    expect(JSON.parse(before.stdout)).toMatchObject([{ subject: `${topic}-value`, status: 'not-registered' }]);
    expect((await iotmsg(['schema', 'register'], { cwd: dir })).exitCode).toBe(0);
    expect((await iotmsg(['schema', 'diff', '--detailed-exitcode'], { cwd: dir })).exitCode).toBe(0);

    await writeSchema(dir, 'sorted.avsc', { ...sorted, doc: 'now documented', fields: [{ name: 'a', type: 'long' }, { name: 'b', type: 'string' }, { name: 'c', type: 'int', default: 0 }] });
    const after = await iotmsg(['schema', 'diff', '-o', 'json', '--detailed-exitcode'], { cwd: dir });
    expect(after.exitCode).toBe(2);
    expect(JSON.parse(after.stdout)).toEqual([
      {
        subject: `${topic}-value`,
        file: 'schemas/sorted.avsc',
        version: 1,
        id: expect.any(Number),
        status: 'different',
        differences: [
          { path: 'a', change: 'changed', before: 'int', after: 'long' },
          { path: 'c', change: 'added', after: 'int = 0' },
        ],
      },
    ]);
  });

  it('gets back the schema as registered, fields in declaration order (the order Avro encodes them in)', async () => {
    const topic = uniqueName('e2e-order');
    const dir = await project([{ name: topic, value: 'sensor-data.avsc' }]);
    expect((await iotmsg(['schema', 'register'], { cwd: dir })).exitCode).toBe(0);
    const diff = await iotmsg(['schema', 'diff', '-o', 'json', '--detailed-exitcode'], { cwd: dir });
    expect(diff.exitCode).toBe(0);
    expect(JSON.parse(diff.stdout)).toMatchObject([{ subject: `${topic}-value`, status: 'identical' }]);
    const stored = await iotmsg(['schema', 'get', `${topic}-value`, '-o', 'json'], { cwd: dir });
    const fields = (JSON.parse((JSON.parse(stored.stdout) as { schema: string }).schema) as { fields: { name: string }[] }).fields;
    expect(fields.map((f) => f.name)).toEqual(['sensor_id', 'timestamp', 'value', 'unit', 'location', 'metadata']);
  });
});

describe('iotmsg schema compat and delete', () => {
  it('reads and sets levels per subject', async () => {
    const subject = uniqueName('e2e-compat');
    const dir = await project([]);
    expect((await iotmsg(['schema', 'register', subject, 'schemas/location.avsc'], { cwd: dir })).exitCode).toBe(0);
    const set = await iotmsg(['schema', 'compat', 'set', 'full_transitive', subject], { cwd: dir });
    expect(set.exitCode).toBe(0);
    expect(set.stderr).toBe(`✓ compatibility of subject ${subject} set to FULL_TRANSITIVE`);
    expect(await levelOf(subject)).toBe('FULL_TRANSITIVE');
    const get = await iotmsg(['schema', 'compat', 'get', subject, '-o', 'json'], { cwd: dir });
    expect(JSON.parse(get.stdout)).toEqual({ subject, level: 'FULL_TRANSITIVE', global: 'BACKWARD', effective: 'FULL_TRANSITIVE' });

    const none = await iotmsg(['schema', 'compat', 'set', 'NONE', subject], { cwd: dir });
    expect(none.exitCode).toBe(0);
    expect(none.stderr).toContain('warning: Apicurio keeps no NONE level per subject: the global level BACKWARD still applies');
    expect((await iotmsg(['schema', 'compat', 'set', 'FULL'], { cwd: dir })).exitCode).toBe(64);
    expect((await iotmsg(['schema', 'compat', 'set', 'SOMETIMES', subject], { cwd: dir })).exitCode).toBe(64);
  });

  it('asks before deleting, soft-deletes a version, and deletes a subject permanently', async () => {
    const subject = uniqueName('e2e-delete');
    const dir = await project([]);
    expect((await iotmsg(['schema', 'register', subject, 'schemas/location.avsc'], { cwd: dir })).exitCode).toBe(0);

    const unconfirmed = await iotmsg(['schema', 'delete', subject, '1'], { cwd: dir });
    expect(unconfirmed.exitCode).toBe(64);
    expect(unconfirmed.stderr).toContain(`refusing to delete version 1 of subject ${subject} without confirmation`);

    const soft = await iotmsg(['schema', 'delete', subject, '1', '--yes', '-o', 'json'], { cwd: dir });
    expect(soft.exitCode).toBe(0);
    expect(JSON.parse(soft.stdout)).toEqual({ subject, versions: [1], permanent: false });
    // Apicurio still lists a soft-deleted version through the Confluent API; its own API shows the state.
    const meta = await registryCall<{ state: string }>(url.replace('/apis/ccompat/v7', '/apis/registry/v2'), 'GET', `/groups/default/artifacts/${subject}/versions/1/meta`);
    expect(meta.body.state).toBe('DISABLED');

    const permanent = await iotmsg(['schema', 'delete', subject, '--permanent', '--yes'], { cwd: dir });
    expect(permanent.exitCode).toBe(0);
    expect((await registryCall(url, 'GET', `/subjects/${subject}/versions`)).status).toBe(404);
  });
});

describe('registry errors', () => {
  it('names an unreachable registry in one line with exit 69', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const { exitCode, stderr } = await iotmsg(['schema', 'list', '--schema-registry', `http://127.0.0.1:${port}`]);
    expect(exitCode).toBe(69);
    expect(stderr.trim().split('\n')).toEqual([
      `error: cannot reach the schema registry at http://127.0.0.1:${port}: connection refused`,
      'hint: is it running? Start one with "iotmsg deploy --env dev", or check --schema-registry / SCHEMA_REGISTRY_URL',
    ]);
  });

  it('gives up after --timeout on a registry that does not answer', async () => {
    // Accepts connections and never answers.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const { exitCode, stderr, durationMs } = await iotmsg(['schema', 'list', '--schema-registry', `http://127.0.0.1:${port}`, '--timeout', '2s']);
      expect(exitCode).toBe(69);
      expect(durationMs).toBeLessThan(8_000);
      expect(stderr.split('\n')[0]).toBe(`error: the schema registry at http://127.0.0.1:${port} did not answer within 2s (trying to list subjects)`);
    } finally {
      silent.close();
    }
  });

  it('reports a missing subject or version with exit 1 and a hint', async () => {
    const missing = uniqueName('e2e-missing');
    const versions = await iotmsg(['schema', 'versions', missing, '--schema-registry', url]);
    expect(versions.exitCode).toBe(1);
    expect(versions.stderr).toBe(`error: cannot list versions: subject "${missing}" not found\nhint: list subjects with "iotmsg schema list"`);
    const get = await iotmsg(['schema', 'get', missing, '3', '--schema-registry', url]);
    expect(get.exitCode).toBe(1);
    expect(get.stderr.split('\n')[0]).toMatch(/^error: cannot get the schema: subject "e2e-missing-\w+" (not found|has no version 3)$/);
  });

  it('points at the API base when the URL is not one', async () => {
    const root = url.replace('/apis/ccompat/v7', '');
    const { exitCode, stderr } = await iotmsg(['schema', 'list', '--schema-registry', root]);
    expect(exitCode).toBe(1);
    expect(stderr).toContain('hint: the URL must be the registry API base');
  });
});
