import { execa } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { iotmsg } from '../support/cli.js';

/**
 * `schema check` against whole histories, offline: the same histories given as files
 * (--against, repeated, oldest first) and as commits of a git repository built here
 * (--history, with a rename on the way). The transitive levels must find the version
 * that breaks wherever it is; the others compare with the newest only.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iotmsg-history-'));
  dirs.push(dir);
  return dir;
}

const record = (fields: unknown[]) => ({ type: 'record', name: 'Reading', namespace: 'iot', fields });
const status = (symbols: string[], more: unknown[] = []) => record([{ name: 'status', type: { type: 'enum', name: 'Status', symbols } }, ...more]);
const located = (fields: unknown[]) => record([{ name: 'location', type: { type: 'record', name: 'Place', fields } }]);

interface Scenario {
  name: string;
  level: string;
  versions: unknown[];
  candidate: unknown;
  /** 1-based versions the candidate breaks, newest first. */
  broke: number[];
  /** The same candidate at the non-transitive level: compatible (it only breaks older versions). */
  newestOnly: string;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'a middle version breaks',
    level: 'BACKWARD_TRANSITIVE',
    versions: [
      record([{ name: 'a', type: 'int' }]),
      record([{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: '' }]),
      record([{ name: 'a', type: 'int' }, { name: 'c', type: 'long', default: 0 }]),
    ],
    candidate: record([{ name: 'a', type: 'int' }, { name: 'b', type: 'int', default: 0 }, { name: 'c', type: 'long', default: 0 }]),
    broke: [2],
    newestOnly: 'BACKWARD',
  },
  {
    name: 'an enum symbol removed and re-added',
    level: 'FORWARD_TRANSITIVE',
    // FAIL is dropped in v2 and back in v3: readers of v2 cannot read a FAIL the candidate writes.
    versions: [status(['OK', 'WARN', 'FAIL']), status(['OK', 'WARN']), status(['OK', 'WARN', 'FAIL'], [{ name: 'note', type: 'string', default: '' }])],
    candidate: status(['OK', 'WARN', 'FAIL'], [{ name: 'note', type: 'string', default: '' }, { name: 'source', type: 'string', default: '' }]),
    broke: [2],
    newestOnly: 'FORWARD',
  },
  {
    name: 'a field re-added with another type',
    level: 'BACKWARD_TRANSITIVE',
    versions: [record([{ name: 'id', type: 'string' }, { name: 'x', type: 'int' }]), record([{ name: 'id', type: 'string' }])],
    candidate: record([{ name: 'id', type: 'string' }, { name: 'x', type: 'string', default: '' }]),
    broke: [1],
    newestOnly: 'BACKWARD',
  },
  {
    name: 'a nested record',
    level: 'BACKWARD_TRANSITIVE',
    versions: [located([{ name: 'lat', type: 'double' }, { name: 'accuracy', type: 'int' }]), located([{ name: 'lat', type: 'double' }])],
    candidate: located([{ name: 'lat', type: 'double' }, { name: 'accuracy', type: 'string', default: 'n/a' }]),
    broke: [1],
    newestOnly: 'BACKWARD',
  },
  {
    name: 'FULL_TRANSITIVE',
    level: 'FULL_TRANSITIVE',
    versions: [record([{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: '' }]), record([{ name: 'a', type: 'int' }])],
    candidate: record([{ name: 'a', type: 'int' }, { name: 'b', type: 'int', default: 0 }]),
    broke: [1],
    newestOnly: 'FULL',
  },
];

interface CheckJson {
  level: string;
  compatible: boolean;
  history: { kind: string; label: string }[];
  checked: string[];
  broke: string[];
  incompatibilities: { against: string }[];
}

async function check(dir: string, args: string[]): Promise<{ exitCode: number; report: CheckJson }> {
  const result = await iotmsg(['schema', 'check', ...args, '--offline', '-o', 'json'], { cwd: dir });
  expect(result.stderr).toBe('');
  return { exitCode: result.exitCode, report: JSON.parse(result.stdout) as CheckJson };
}

const json = (schema: unknown) => `${JSON.stringify(schema, null, 2)}\n`;

describe('transitive levels against history files (--against, repeated, oldest first)', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const dir = await tempDir();
    const files = s.versions.map((_, i) => `v${i + 1}.avsc`);
    await Promise.all([...s.versions.map((v, i) => writeFile(join(dir, files[i]!), json(v))), writeFile(join(dir, 'candidate.avsc'), json(s.candidate))]);
    const against = files.flatMap((f) => ['--against', f]);

    const transitive = await check(dir, ['candidate.avsc', ...against, '--level', s.level]);
    expect(transitive.exitCode).toBe(4);
    expect(transitive.report.history).toEqual(files.map((label) => ({ kind: 'file', label })));
    expect(transitive.report.checked).toEqual([...files].reverse());
    expect(transitive.report.broke).toEqual(s.broke.map((v) => `v${v}.avsc`));
    expect(new Set(transitive.report.incompatibilities.map((i) => i.against))).toEqual(new Set(transitive.report.broke));

    const newest = await check(dir, ['candidate.avsc', ...against, '--level', s.newestOnly]);
    expect(newest.exitCode).toBe(0);
    expect(newest.report.checked).toEqual([files.at(-1)]);
  });
});

async function gitRepo(): Promise<{ dir: string; git: (...args: string[]) => Promise<string> }> {
  const dir = await tempDir();
  const git = async (...args: string[]) => (await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: dir })).stdout;
  await git('init', '-q');
  await mkdir(join(dir, 'schemas'));
  return { dir, git };
}

describe('transitive levels against a git history (--history)', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const { dir, git } = await gitRepo();
    // Version 1 lives under another name: --history follows the rename.
    await writeFile(join(dir, 'schemas/old-name.avsc'), json(s.versions[0]));
    await git('add', '.');
    await git('commit', '-qm', 'v1');
    await git('mv', 'schemas/old-name.avsc', 'schemas/reading.avsc');
    for (const [i, version] of s.versions.slice(1).entries()) {
      await writeFile(join(dir, 'schemas/reading.avsc'), json(version));
      await git('commit', '-qam', `v${i + 2}`);
    }
    await writeFile(join(dir, 'schemas/reading.avsc'), json(s.candidate));
    const shas = (await git('log', '--format=%h', '--follow', '--', 'schemas/reading.avsc')).split('\n').reverse();
    const labels = shas.map((sha, i) => `${sha}:schemas/${i === 0 ? 'old-name' : 'reading'}.avsc`);

    const transitive = await check(dir, ['schemas/reading.avsc', '--history', '--level', s.level]);
    expect(transitive.exitCode).toBe(4);
    expect(transitive.report.history).toEqual(labels.map((label) => ({ kind: 'git', label })));
    expect(transitive.report.checked).toEqual([...labels].reverse());
    expect(transitive.report.broke).toEqual(s.broke.map((v) => labels[v - 1]));

    const newest = await check(dir, ['schemas/reading.avsc', '--history', 'HEAD', '--level', s.newestOnly]);
    expect(newest.exitCode).toBe(0);
    expect(newest.report.checked).toEqual([labels.at(-1)]);
  });

  it('takes identical versions once (where they last occur) and only versions reachable from the revision', async () => {
    const { dir, git } = await gitRepo();
    const a = record([{ name: 'a', type: 'int' }]);
    const b = record([{ name: 'a', type: 'int' }, { name: 'b', type: 'int', default: 0 }]);
    for (const [i, version] of [a, b, a].entries()) {
      await writeFile(join(dir, 'schemas/reading.avsc'), json(version));
      await git('add', '.');
      await git('commit', '-qm', `v${i + 1}`);
    }
    // A commit that does not touch the file is no version.
    await writeFile(join(dir, 'README'), 'x\n');
    await git('add', '.');
    await git('commit', '-qm', 'other');
    const [v3, v2, v1] = (await git('log', '--format=%h', '--', 'schemas/reading.avsc')).split('\n');
    const all = await check(dir, ['schemas/reading.avsc', '--history', '--level', 'FULL_TRANSITIVE']);
    expect(all.report.history.map((h) => h.label)).toEqual([`${v2}:schemas/reading.avsc`, `${v3}:schemas/reading.avsc`]);
    const older = await check(dir, ['schemas/reading.avsc', '--history', 'HEAD~3', '--level', 'FULL_TRANSITIVE']);
    expect(older.report.history.map((h) => h.label)).toEqual([`${v1}:schemas/reading.avsc`]);
  });
});

describe('arguments of schema check', () => {
  it('keeps every --against (none dropped), and refuses --against with --history', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'one.avsc'), json(record([{ name: 'a', type: 'int' }])));
    await writeFile(join(dir, 'two.avsc'), json(record([{ name: 'a', type: 'long' }])));
    const both = await check(dir, ['one.avsc', '--against', 'two.avsc', '--against', 'one.avsc', '--level', 'BACKWARD_TRANSITIVE']);
    expect(both.report.checked).toEqual(['one.avsc', 'two.avsc']);
    expect(both.report.broke).toEqual(['two.avsc']);

    const mixed = await iotmsg(['schema', 'check', 'one.avsc', '--against', 'two.avsc', '--history'], { cwd: dir });
    expect(mixed.exitCode).toBe(64);
    expect(mixed.stderr.split('\n')[0]).toBe('error: give --against or --history, not both');

    const nothing = await iotmsg(['schema', 'check', 'one.avsc', '--offline'], { cwd: dir });
    expect(nothing.exitCode).toBe(64);
    expect(nothing.stderr.split('\n')[0]).toBe('error: nothing to check against: give --against or --history, --offline leaves out the registry');
  });
});
