import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { removeTopicsProjects, topicsProject } from '../support/topicsProject.js';

afterAll(removeTopicsProjects);

const yaml = 'environments:\n  dev:\n    brokers: [localhost:9092]\ntopics:\n  - name: sensor-data\n    partitions: 3\n';
const schema = '{"type":"record","name":"Reading","fields":[{"name":"v","type":"double"}]}';

describe('validate with bad inputs', () => {
  it('an environment the file does not have is a configuration error (78), as for plan', async () => {
    const dir = await topicsProject(yaml);
    const result = await iotmsg(['validate', '--env', 'staging'], { cwd: dir });
    expect(result.exitCode).toBe(78);
    expect(result.stderr).toContain('error: unknown environment "staging"');
    expect(result.stdout).not.toContain('valid');
  });

  it('a directory named x.avsc is an input error (65) naming it', async () => {
    const dir = await topicsProject(yaml);
    await mkdir(join(dir, 'schemas', 'x.avsc'), { recursive: true });
    const result = await iotmsg(['validate'], { cwd: dir });
    expect(result.exitCode).toBe(65);
    expect(result.stderr.split('\n')[0]).toBe('error: cannot read schema file schemas/x.avsc: it is a directory');
  });

  it('a .avsc it may not read is an input error (65) naming it and the reason', async () => {
    const dir = await topicsProject(yaml, { 'schemas/r.avsc': schema });
    await chmod(join(dir, 'schemas', 'r.avsc'), 0o000);
    // root reads any file: the check then runs as nobody, who may enter the project but not read the file.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) await Promise.all([chmod(dir, 0o755), chmod(join(dir, 'schemas'), 0o755), chmod(join(dir, 'topics.yaml'), 0o644)]);
    const result = await iotmsg(['validate'], { cwd: dir, ...(asRoot ? { uid: 65534, env: { HOME: dir } } : {}) });
    expect(result.exitCode).toBe(65);
    expect(result.stderr.split('\n')).toEqual(['error: cannot read schema file schemas/r.avsc: permission denied', 'hint: a .avsc must be a readable file']);
  });

  it('a .avsc starting with a UTF-8 BOM gets a message naming the BOM', async () => {
    const dir = await topicsProject(yaml, { 'schemas/r.avsc': `\uFEFF${schema}` });
    const result = await iotmsg(['validate', '-o', 'json'], { cwd: dir });
    expect(result.exitCode).toBe(65);
    const { diagnostics } = JSON.parse(result.stdout) as { diagnostics: { file: string; code: string; message: string }[] };
    expect(diagnostics).toEqual([expect.objectContaining({ file: 'schemas/r.avsc', code: 'byte-order-mark', message: expect.stringContaining('byte order mark (BOM)') })]);
  });

  it('a binary topics.yaml gets one short line', async () => {
    const dir = await topicsProject('');
    await writeFile(join(dir, 'topics.yaml'), Buffer.from(Array.from({ length: 7000 }, (_, i) => (i * 37) % 256)));
    const result = await iotmsg(['validate'], { cwd: dir });
    expect(result.exitCode).toBe(65);
    expect(result.stderr.trim().split('\n')).toEqual(['error: topics.yaml is not a text file: it holds binary data', 'hint: topics.yaml must be YAML text (UTF-8)']);
    expect(result.stdout).toBe('');
  });
});
