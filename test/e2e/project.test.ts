import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { uniqueName } from '../support/names.js';
import { removeTopicsProjects, topicNames, topicsProject } from '../support/topicsProject.js';

const cluster = inject('devCluster');
const sensorSchema = readFileSync(new URL('../../schemas/sensor-data.avsc', import.meta.url), 'utf8');
const locationSchema = readFileSync(new URL('../../schemas/location.avsc', import.meta.url), 'utf8');

afterAll(removeTopicsProjects);

async function sensorProject(topic: string): Promise<string> {
  const yaml = [
    'environments:',
    '  dev:',
    `    brokers: [${cluster.bootstrapServers.join(', ')}]`,
    `    schemaRegistry: ${cluster.schemaRegistryUrl}`,
    'topics:',
    `  - name: ${topic}`,
    '    partitions: 2',
    '    valueSchema: schemas/sensor-data.avsc',
    '    dlq:',
    '      suffixes: [dlq]',
  ].join('\n');
  return topicsProject(`${yaml}\n`, { 'schemas/sensor-data.avsc': sensorSchema, 'schemas/location.avsc': locationSchema });
}

interface ProjectPlanJson {
  topics: { plan: { changes: { action: string; topic: string }[] } };
  schemas: { changes?: unknown[]; subjects?: { subject: string; action: string }[] };
}

describe('iotmsg plan (topics and schemas together)', () => {
  it('shows topic creates and subject registrations, then nothing once both are applied', async () => {
    const topic = uniqueName('e2e-project');
    const dir = await sensorProject(topic);

    const before = await iotmsg(['plan', '--detailed-exitcode', '-o', 'json'], { cwd: dir });
    expect(before.stderr).toBe('');
    expect(before.exitCode).toBe(2);
    const plan = JSON.parse(before.stdout) as ProjectPlanJson;
    expect(plan.topics.plan.changes.map((c) => `${c.action} ${c.topic}`)).toEqual([`create ${topic}`, `create ${topic}.dlq`]);
    expect(JSON.stringify(plan.schemas)).toContain(`${topic}-value`);

    expect((await iotmsg(['topics', 'apply', '--yes'], { cwd: dir })).exitCode).toBe(0);
    expect(await topicNames(cluster.bootstrapServers)).toEqual(expect.arrayContaining([topic, `${topic}.dlq`]));
    const stillSchemas = await iotmsg(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(stillSchemas.exitCode).toBe(2);

    expect((await iotmsg(['schema', 'register'], { cwd: dir })).exitCode).toBe(0);
    const subjects = (await (await fetch(`${cluster.schemaRegistryUrl}/subjects`)).json()) as string[];
    expect(subjects).toContain(`${topic}-value`);
    const after = await iotmsg(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(after.exitCode).toBe(0);
  });

  it('exits 1 when anything is blocked, 2 only for appliable changes, 0 for none (--detailed-exitcode)', async () => {
    const topic = uniqueName('e2e-project');
    const dir = await sensorProject(topic);
    expect((await iotmsg(['topics', 'apply', '--yes'], { cwd: dir })).exitCode).toBe(0);
    expect((await iotmsg(['schema', 'register'], { cwd: dir })).exitCode).toBe(0);
    expect((await iotmsg(['plan', '--detailed-exitcode'], { cwd: dir })).exitCode).toBe(0);

    // A compatible new field: appliable, so 2.
    const schema = JSON.parse(sensorSchema) as { fields: unknown[] };
    const withField = (field: unknown) => writeFileSync(join(dir, 'schemas/sensor-data.avsc'), JSON.stringify({ ...schema, fields: [...schema.fields, field] }));
    withField({ name: 'quality', type: 'int', default: 100 });
    const appliable = await iotmsg(['plan', '--detailed-exitcode', '-o', 'json'], { cwd: dir });
    expect(appliable.exitCode).toBe(2);
    expect((JSON.parse(appliable.stdout) as { schemas: { appliable: boolean } }).schemas.appliable).toBe(true);

    // A field without a default: BACKWARD refuses it, so the plan is blocked and exits 1, even though topics have no change.
    withField({ name: 'quality', type: 'int' });
    const blocked = await iotmsg(['plan', '--detailed-exitcode', '-o', 'json'], { cwd: dir });
    expect(blocked.exitCode).toBe(1);
    expect(blocked.stderr.split('\n')[0]).toBe('error: the schema plan cannot be applied: 1 blocked subject(s)');
    const document = JSON.parse(blocked.stdout) as { topics: { plan: { appliable: boolean; changes: unknown[] } }; schemas: { appliable: boolean } };
    expect([document.topics.plan.appliable, document.topics.plan.changes, document.schemas.appliable]).toEqual([true, [], false]);
    expect((await iotmsg(['plan'], { cwd: dir })).exitCode).toBe(1);

    // Both halves blocked: one line names both.
    writeFileSync(join(dir, 'topics.yaml'), readFileSync(join(dir, 'topics.yaml'), 'utf8').replace('partitions: 2', 'partitions: 1'));
    const both = await iotmsg(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(both.exitCode).toBe(1);
    // The topic and its DLQ sibling (which follows its partitions) are both blocked.
    expect(both.stderr.split('\n')[0]).toBe('error: the plan cannot be applied: 2 blocked change(s); the schema plan cannot be applied: 1 blocked subject(s)');
    // The registry was not touched by planning.
    expect((await (await fetch(`${cluster.schemaRegistryUrl}/subjects/${topic}-value/versions`)).json())).toEqual([1]);
  });

  it('fails with the unreachable-cluster code when the broker is down', async () => {
    const dir = await sensorProject(uniqueName('e2e-project'));
    const result = await iotmsg(['plan', '-b', 'localhost:1'], { cwd: dir });
    expect(result.exitCode).toBe(69);
    expect(result.stderr.split('\n')[0]).toBe('error: cannot reach Kafka at localhost:1: connection refused');
  });
});
