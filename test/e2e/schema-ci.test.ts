import { execa } from 'execa';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startTestCluster, stopTestCluster, type TestCluster } from '../support/cluster.js';
import { iotmsg } from '../support/cli.js';
import { uniqueName } from '../support/names.js';
import { registerRaw, registryCall } from '../support/schema-registry.js';

const cluster = inject('devCluster');
const url = cluster.schemaRegistryUrl!;
const REPO_SCHEMAS = new URL('../../schemas/', import.meta.url);

const dirs: string[] = [];
let target: TestCluster | undefined;
afterAll(async () => {
  if (target) await stopTestCluster(target);
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A project with the platform's schemas, pointing at the shared test registry, in a git repository. */
async function project(topics: { name: string; value: string; level?: string }[]): Promise<{ dir: string; git: (...args: string[]) => Promise<string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'iotmsg-ci-'));
  dirs.push(dir);
  await mkdir(join(dir, 'schemas'));
  for (const name of ['sensor-data.avsc', 'location.avsc', 'device-event.avsc']) await copyFile(new URL(name, REPO_SCHEMAS), join(dir, 'schemas', name));
  await writeTopics(dir, topics);
  const git = async (...args: string[]) => (await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir })).stdout;
  await git('init', '-q');
  await git('add', '.');
  await git('commit', '-qm', 'schemas');
  return { dir, git };
}

async function writeTopics(dir: string, topics: { name: string; value: string; level?: string }[]): Promise<void> {
  const yaml = [
    'environments:',
    '  dev:',
    `    brokers: [${cluster.bootstrapServers.join(', ')}]`,
    `    schemaRegistry: ${url}`,
    'topics:',
    ...topics.flatMap((t) => [`  - name: ${t.name}`, '    valueSchema:', `      schema: schemas/${t.value}`, ...(t.level ? [`      compatibility: ${t.level}`] : [])]),
  ];
  await writeFile(join(dir, 'topics.yaml'), `${yaml.join('\n')}\n`);
}

async function withField(dir: string, file: string, field: unknown): Promise<void> {
  const schema = JSON.parse(await readFile(join(dir, 'schemas', file), 'utf8')) as { fields: unknown[] };
  await writeFile(join(dir, 'schemas', file), JSON.stringify({ ...schema, fields: [...schema.fields, field] }, null, 2));
}

interface GateJson {
  against: string;
  files: { file: string; change: string; subjects: string[]; level: string; checked: string[]; broke: string[]; verdict: string; registry: { asked: boolean } }[];
}

describe('the CI gate: schema check --against <revision> without a file', () => {
  it('checks every schema changed since the revision at its level, reports a new file as new (asking the registry), and exits 0, 4 or 65', async () => {
    const [sensors, alerts] = [uniqueName('ci-sensors'), uniqueName('ci-alerts')];
    const { dir } = await project([{ name: sensors, value: 'sensor-data.avsc', level: 'FULL_TRANSITIVE' }]);
    expect((await iotmsg(['schema', 'register'], { cwd: dir })).exitCode).toBe(0);

    expect(JSON.parse((await iotmsg(['schema', 'check', '--against', 'HEAD', '-o', 'json'], { cwd: dir })).stdout)).toEqual({ against: 'HEAD', files: [] });

    // A compatible change and a new file for a new topic whose subject the registry does not have.
    await withField(dir, 'sensor-data.avsc', { name: 'quality', type: 'int', default: 100 });
    await writeFile(join(dir, 'schemas', 'alert.avsc'), JSON.stringify({ type: 'record', name: 'Alert', namespace: 'iot', fields: [{ name: 'level', type: 'string' }] }));
    await writeTopics(dir, [{ name: sensors, value: 'sensor-data.avsc', level: 'FULL_TRANSITIVE' }, { name: alerts, value: 'alert.avsc' }]);
    const ok = await iotmsg(['schema', 'check', '--against', 'HEAD', '-o', 'json'], { cwd: dir });
    expect(ok.exitCode).toBe(0);
    const report = JSON.parse(ok.stdout) as GateJson;
    expect(report.files.map((f) => [f.file, f.change, f.subjects, f.level, f.verdict, f.registry.asked])).toEqual([
      ['schemas/alert.avsc', 'new', [`${alerts}-value`], 'BACKWARD', 'new', true],
      ['schemas/sensor-data.avsc', 'changed', [`${sensors}-value`], 'FULL_TRANSITIVE', 'compatible', true],
    ]);
    expect(report.files[1]!.checked).toEqual([expect.stringMatching(/^[0-9a-f]{7,}:schemas\/sensor-data\.avsc$/)]);

    // The new file's subject exists in the registry with a schema it cannot read: the registry refuses it, exit 4.
    await registerRaw(url, `${alerts}-value`, { type: 'record', name: 'Alert', namespace: 'iot', fields: [{ name: 'level', type: 'int' }] });
    const refused = await iotmsg(['schema', 'check', '--against', 'HEAD', '-o', 'json'], { cwd: dir });
    expect(refused.exitCode).toBe(4);
    expect((JSON.parse(refused.stdout) as GateJson).files[0]).toMatchObject({ file: 'schemas/alert.avsc', change: 'new', verdict: 'incompatible' });

    // An invalid file: exit 65, and it is listed.
    await writeFile(join(dir, 'schemas', 'alert.avsc'), '{"type": "record", "name": "Alert", "fields": [{"name": "level", "type": "strin"}]}');
    const invalid = await iotmsg(['schema', 'check', '--against', 'HEAD', '-o', 'json'], { cwd: dir });
    expect(invalid.exitCode).toBe(65);
    expect((JSON.parse(invalid.stdout) as GateJson).files[0]).toMatchObject({ file: 'schemas/alert.avsc', verdict: 'invalid' });
  });
});

describe('a schema file outside schemas/', () => {
  it("resolves named types from the project's schemas/ (or --schemas-dir)", async () => {
    const { dir } = await project([{ name: uniqueName('ci-outside'), value: 'sensor-data.avsc' }]);
    await mkdir(join(dir, 'candidates'));
    const sensor = JSON.parse(await readFile(join(dir, 'schemas', 'sensor-data.avsc'), 'utf8')) as { fields: unknown[] };
    expect(JSON.stringify(sensor)).toContain('Location');
    await writeFile(join(dir, 'candidates', 'sensor-data.avsc'), JSON.stringify({ ...sensor, fields: [...sensor.fields, { name: 'quality', type: 'int', default: 1 }] }));
    const inProject = await iotmsg(['schema', 'check', 'candidates/sensor-data.avsc', '--against', 'schemas/sensor-data.avsc', '--offline'], { cwd: dir });
    expect(inProject.stderr).toBe('');
    expect(inProject.exitCode).toBe(0);
    // From elsewhere, without topics.yaml: --schemas-dir names the folder.
    const elsewhere = await iotmsg(['schema', 'check', join(dir, 'candidates/sensor-data.avsc'), '--against', join(dir, 'schemas/sensor-data.avsc'), '--schemas-dir', join(dir, 'schemas'), '--offline'], { cwd: tmpdir() });
    expect(elsewhere.exitCode).toBe(0);
    const without = await iotmsg(['schema', 'check', join(dir, 'candidates/sensor-data.avsc'), '--against', join(dir, 'schemas/sensor-data.avsc'), '--offline'], { cwd: tmpdir() });
    expect(without.exitCode).toBe(65);
    expect(without.stderr).toContain('Location');
  });
});

describe('schema export and import', () => {
  it('carries subjects, versions, levels and references to an empty registry; schema plan against it then shows no changes', async () => {
    const topic = uniqueName('ci-export');
    const { dir } = await project([{ name: topic, value: 'sensor-data.avsc', level: 'FULL' }]);
    expect((await iotmsg(['schema', 'register'], { cwd: dir })).exitCode).toBe(0);
    await withField(dir, 'sensor-data.avsc', { name: 'quality', type: 'int', default: 100 });
    expect((await iotmsg(['schema', 'register'], { cwd: dir })).exitCode).toBe(0);
    const subject = `${topic}-value`;
    const sourceIds = await Promise.all([1, 2].map(async (v) => (await registryCall<{ id: number }>(url, 'GET', `/subjects/${subject}/versions/${v}`)).body.id));

    const backup = join(dir, 'backup');
    const exported = await iotmsg(['schema', 'export', backup], { cwd: dir });
    expect(exported.exitCode).toBe(0);
    const manifest = JSON.parse(await readFile(join(backup, 'registry.json'), 'utf8')) as { subjects: { subject: string; level: string; versions: { version: number; id: number; file: string }[] }[] };
    const mine = manifest.subjects.find((s) => s.subject === subject)!;
    expect(mine.level).toBe('FULL');
    expect(mine.versions.map((v) => [v.version, v.id])).toEqual([[1, sourceIds[0]], [2, sourceIds[1]]]);
    const stored = (await registryCall<{ schema: string }>(url, 'GET', `/subjects/${subject}/versions/2`)).body.schema;
    expect(await readFile(join(backup, mine.versions[1]!.file), 'utf8')).toBe(stored);

    // Only this subject goes to the empty registry: the shared one holds every other test's subjects too.
    manifest.subjects = [mine];
    await writeFile(join(backup, 'registry.json'), JSON.stringify(manifest));
    target = await startTestCluster('dev', true);
    const targetUrl = target.schemaRegistryUrl!;
    expect((await registryCall<string[]>(targetUrl, 'GET', '/subjects')).body).toEqual([]);
    const imported = await iotmsg(['schema', 'import', backup, '--schema-registry', targetUrl, '-o', 'json'], { cwd: dir });
    expect(imported.exitCode).toBe(0);
    // Apicurio's ccompat API has no IMPORT mode: import says so, and reports the ids it got.
    expect(imported.stderr).toContain('has no IMPORT mode');
    const report = JSON.parse(imported.stdout) as { idsPreserved: boolean; versions: { version: number; outcome: string; targetVersion: number; targetId: number }[]; levelsSet: string[] };
    expect(report.idsPreserved).toBe(false);
    expect(report.levelsSet).toEqual([subject]);
    expect((await registryCall<number[]>(targetUrl, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1, 2]);
    for (const v of report.versions) {
      expect(v.outcome).toBe('imported');
      expect((await registryCall<{ id: number }>(targetUrl, 'GET', `/subjects/${subject}/versions/${v.targetVersion}`)).body.id).toBe(v.targetId);
    }
    expect((await registryCall<{ compatibilityLevel: string }>(targetUrl, 'GET', `/config/${subject}`)).body.compatibilityLevel).toBe('FULL');
    expect((await registryCall<{ schema: string }>(targetUrl, 'GET', `/subjects/${subject}/versions/2`)).body.schema).toBe(stored);

    const plan = await iotmsg(['schema', 'plan', '--schema-registry', targetUrl, '--detailed-exitcode', '-o', 'json'], { cwd: dir });
    expect(plan.exitCode).toBe(0);
    const planned = (JSON.parse(plan.stdout) as { subjects: { subject: string; action: string; version: number; levelChange?: unknown }[] }).subjects;
    expect(planned.map((s) => [s.subject, s.action, s.version, 'levelChange' in s])).toEqual([[subject, 'unchanged', 2, false]]);
    // A second import finds everything there and writes nothing.
    const again = await iotmsg(['schema', 'import', backup, '--schema-registry', targetUrl, '-o', 'json'], { cwd: dir });
    expect(again.exitCode).toBe(0);
    expect((JSON.parse(again.stdout) as { versions: { outcome: string }[] }).versions.map((v) => v.outcome)).toEqual(['unchanged', 'unchanged']);
  }, 300_000);
});
