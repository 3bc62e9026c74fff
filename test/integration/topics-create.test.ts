import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { uniqueName } from '../support/names.js';
import { removeTopicsProjects, topicNames, topicsProject, topicStates } from '../support/topicsProject.js';

const brokers = inject('devCluster').bootstrapServers;

/** A file as people write them: comments, defaults, DLQ defaults, one environment. */
function projectYaml(existing: string): string {
  return [
    '# the platform topics',
    'defaults:',
    '  partitions: 2   # small on dev',
    '  replicationFactor: 1',
    '  dlq:',
    '    partitions: 1',
    '    configs: {retention.ms: 30d}',
    'environments:',
    '  dev:',
    `    brokers: [${brokers.join(', ')}]`,
    'topics:',
    `  - name: ${existing}`,
    '',
    '# end of file',
    '',
  ].join('\n');
}

afterAll(removeTopicsProjects);

describe('topics create', () => {
  it('creates a topic and its DLQs as the file would, and --save adds it to topics.yaml leaving the rest as it was', async () => {
    const p = uniqueName('tc');
    const dir = await topicsProject(projectYaml(`${p}.kept`));
    const before = await readFile(join(dir, 'topics.yaml'), 'utf8');
    const created = await iotmsg(['topics', 'create', `${p}.user-events`, '--partitions', '3', '--config', 'retention.ms=3d', '--dlq', '--save', '-e', 'dev', '-o', 'json'], { cwd: dir });
    expect(created.exitCode, created.stderr).toBe(0);

    const states = await topicStates(brokers, [`${p}.user-events`, `${p}.user-events.dlq`]);
    expect(states.get(`${p}.user-events`)).toEqual({ partitions: 3, replicationFactor: 1, overrides: { 'retention.ms': '259200000' } });
    expect(states.get(`${p}.user-events.dlq`)).toMatchObject({ partitions: 1, overrides: { 'retention.ms': '2592000000' } });

    const after = await readFile(join(dir, 'topics.yaml'), 'utf8');
    const insertAt = before.indexOf('\n# end of file');
    expect(after.startsWith(before.slice(0, before.indexOf(`  - name: ${p}.kept\n`) + `  - name: ${p}.kept\n`.length))).toBe(true);
    expect(after).toContain(`  - name: "${p}.user-events"\n    partitions: 3\n    dlq: true\n    configs:\n      retention.ms: "3d"\n`);
    expect(after.endsWith(before.slice(insertAt + 1))).toBe(true);

    // The file is the source of truth again: the saved topic is planned as in place.
    const plan = await iotmsg(['topics', 'plan', '-e', 'dev', '-o', 'json'], { cwd: dir });
    const changes = (JSON.parse(plan.stdout) as { plan: { changes: { topic: string; action: string }[] } }).plan.changes;
    expect(changes.filter((c) => c.topic.startsWith(`${p}.user-events`))).toEqual([]);
  });

  it('without --save leaves the file alone, and the next plan lists the topic as unmanaged', async () => {
    const p = uniqueName('tc-adhoc');
    const dir = await topicsProject(projectYaml(`${p}.kept`));
    const before = await readFile(join(dir, 'topics.yaml'), 'utf8');
    const created = await iotmsg(['topics', 'create', `${p}.scratch`, '-e', 'dev'], { cwd: dir });
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stdout).toContain('the next plan lists it as unmanaged');
    expect(await readFile(join(dir, 'topics.yaml'), 'utf8')).toBe(before);
    const plan = JSON.parse((await iotmsg(['topics', 'plan', '-e', 'dev', '-o', 'json'], { cwd: dir })).stdout) as { plan: { unmanaged: string[] } };
    expect(plan.plan.unmanaged).toContain(`${p}.scratch`);

    const again = await iotmsg(['topics', 'create', `${p}.scratch`, '-e', 'dev'], { cwd: dir });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain(`topic "${p}.scratch" already exists on the cluster`);
  });

  it('refuses what validate would refuse, with its position, creating nothing and keeping the file', async () => {
    const p = uniqueName('tc-bad');
    const dir = await topicsProject(projectYaml(`${p}.kept`));
    const before = await readFile(join(dir, 'topics.yaml'), 'utf8');
    const bad = await iotmsg(['topics', 'create', `${p}.events`, '--config', 'retention.ms=forever', '--save', '-e', 'dev'], { cwd: dir });
    expect(bad.exitCode).toBe(65);
    expect(bad.stderr).toMatch(/topics\.yaml:\d+:\d+: .*retention\.ms/);
    const declared = await iotmsg(['topics', 'create', `${p}.kept`, '-e', 'dev'], { cwd: dir });
    expect(declared.exitCode).toBe(65);
    expect(declared.stderr).toContain(`topics.yaml already declares topic "${p}.kept"`);
    expect(await readFile(join(dir, 'topics.yaml'), 'utf8')).toBe(before);
    expect((await topicNames(brokers)).filter((n) => n.startsWith(p))).toEqual([]);
  });
});
