import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { uniqueName } from '../support/names.js';
import { removeTopicsProjects, topicNames, topicStates, topicsProject } from '../support/topicsProject.js';

const cluster = inject('devCluster');
const brokers = cluster.bootstrapServers;

afterAll(removeTopicsProjects);

/** What `topics apply -o json` prints once it applied. */
interface AppliedReport {
  applied: { created: string[]; partitionsAdded: string[] } | null;
}

function projectYaml(prefix: string, count: number, partitions: number): string {
  const topics = Array.from({ length: count }, (_, i) => `  - name: ${prefix}.t${i}\n    partitions: ${partitions}\n`).join('');
  return `environments:\n  test:\n    brokers: [${brokers.join(', ')}]\ntopics:\n${topics}`;
}

describe('topics apply is honest about what it created', () => {
  it('two applies at once with different specs: never both "created", what a run reports as done is on the cluster', async () => {
    const p = uniqueName('race');
    const count = 60;
    const [two, three] = await Promise.all([topicsProject(projectYaml(p, count, 2)), topicsProject(projectYaml(p, count, 3))]);
    const runs = await Promise.all([iotmsg(['topics', 'apply', '--yes', '-o', 'json'], { cwd: two }), iotmsg(['topics', 'apply', '--yes', '-o', 'json'], { cwd: three })]);
    const names = Array.from({ length: count }, (_, i) => `${p}.t${i}`);
    const states = await topicStates(brokers, names);
    expect(states.size).toBe(count);
    const reports = runs.map((run, i) => ({ run, partitions: i === 0 ? 2 : 3, applied: run.exitCode === 0 ? (JSON.parse(run.stdout) as AppliedReport).applied : null }));
    // Never both "created": the broker created each topic once, so at most one run may say it did.
    const creator = new Map<string, number>();
    for (const report of reports) {
      for (const topic of report.applied?.created ?? []) {
        expect(creator.has(topic), `${topic} reported created by both runs`).toBe(false);
        creator.set(topic, report.partitions);
      }
    }
    // What a run that exits 0 reports as created is on the cluster with its spec, unless the other
    // run, planning after it, then grew the topic (and says so, or failed and said what it did not do).
    for (const [index, report] of reports.entries()) {
      const other = reports[1 - index]!;
      for (const topic of report.applied?.created ?? []) {
        const grownByOther = other.applied === null ? other.run.exitCode !== 0 : other.applied.partitionsAdded.includes(topic);
        if (!grownByOther) expect(states.get(topic)?.partitions, topic).toBe(report.partitions);
      }
    }
    for (const { run } of reports.filter((r) => r.run.exitCode !== 0)) {
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toMatch(/^error: .*/m);
      expect(run.stderr).not.toContain('internal error');
    }
  });

  it('refuses a saved plan whose create lost its replicationFactor, creating nothing', async () => {
    const p = uniqueName('planfile');
    const dir = await topicsProject(projectYaml(p, 1, 2));
    const planned = await iotmsg(['topics', 'plan', '--out', 'plan.json'], { cwd: dir });
    expect(planned.exitCode).toBe(0);
    const document = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as { plan: { changes: { spec: Record<string, unknown> }[] } };
    delete document.plan.changes[0]!.spec.replicationFactor;
    await writeFile(join(dir, 'plan.json'), JSON.stringify(document));
    const applied = await iotmsg(['topics', 'apply', 'plan.json', '--yes'], { cwd: dir });
    expect(applied.exitCode).toBe(65);
    expect(applied.stderr).toContain('plan.changes[0].spec.replicationFactor must be a whole number of 1 or more');
    expect(await topicNames(brokers)).not.toContain(`${p}.t0`);
  });
});
