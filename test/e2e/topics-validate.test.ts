import { cp } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { removeTopicsProjects, topicsProject } from '../support/topicsProject.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
// validate never connects: an address nothing listens on proves it.
const offline = { KAFKA_BROKERS: 'localhost:1' };

afterAll(removeTopicsProjects);

describe('iotmsg validate (offline)', () => {
  it("accepts the repo's own topics.yaml and schemas", async () => {
    const dir = await topicsProject('');
    await cp(`${repo}/topics.yaml`, `${dir}/topics.yaml`);
    await cp(`${repo}/schemas`, `${dir}/schemas`, { recursive: true });
    const result = await iotmsg(['validate'], { cwd: dir, env: offline });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('✓ topics.yaml (9 topic(s)) and 4 schema file(s) are valid');
  });

  it('reports every problem of topics.yaml and the .avsc files with file:line:column, warnings too, and exits 65', async () => {
    const dir = await topicsProject(
      [
        'defaults:',
        '  partitons: 3',
        'topics:',
        '  - name: sensor-data',
        '    configs:',
        '      retention.ms: 7days',
        '      message.format.version: 3.0',
        '  - name: sensor.data',
        '  - name: sensor_data',
        '',
      ].join('\n'),
      { 'schemas/key.avsc': '{"type": "record", "name": "Key", "fields": [{"name": "id", "type": "strin"}]}\n' },
    );
    const result = await iotmsg(['validate'], { cwd: dir, env: offline });
    expect(result.exitCode).toBe(65);
    expect(result.stdout.split('\n')).toEqual([
      'topics.yaml:2:3: error: unknown key "partitons" in defaults (did you mean "partitions"?)',
      'topics.yaml:6:21: error: unknown unit "days" for "retention.ms" in topic "sensor-data" (use one of ms, s, m, h, d, w)',
      'topics.yaml:7:7: warning: topic config "message.format.version" in topic "sensor-data" is deprecated since Kafka 3.0 and ignored by 3.0+ brokers',
      'topics.yaml:9:11: error: topic "sensor_data" collides with topic "sensor.data" (Kafka treats "." and "_" alike in topic names; rename one of them)',
      'schemas/key.avsc:1:69: error: $.fields[0].type: unknown type "strin": no schema file defines "strin"',
      '✗ topics.yaml and 1 schema file(s): 4 error(s), 1 warning(s)',
    ]);
  });

  it('checks that schema files named in topics.yaml exist, at the position of the reference', async () => {
    const dir = await topicsProject(
      ['topics:', '  - name: readings', '    valueSchema: schemas/reading.avsc', '  - name: alerts', '    keySchema:', '      schema: avro/alert-key.avsc', ''].join('\n'),
      {
        'schemas/readings.avsc': '{"type": "record", "name": "Reading", "fields": [{"name": "v", "type": "double"}]}\n',
        'avro/alert-key.avsc': '{"type": "enum", "name": "Level", "symbols": ["LOW", "LOW"]}\n',
      },
    );
    const result = await iotmsg(['validate', '-o', 'json'], { cwd: dir, env: offline });
    expect(result.exitCode).toBe(65);
    const report = JSON.parse(result.stdout) as { valid: boolean; schemas: string[]; diagnostics: { file: string; line: number; column: number; code: string; message: string; hint?: string }[] };
    expect(report.valid).toBe(false);
    // A referenced file outside schemas/ is parsed too.
    expect(report.schemas).toEqual(['schemas/readings.avsc', 'avro/alert-key.avsc']);
    expect(report.diagnostics[0]).toEqual({
      severity: 'error',
      file: 'topics.yaml',
      line: 3,
      column: 18,
      code: 'missing-schema-file',
      message: 'schema file "schemas/reading.avsc" of topic "readings" (valueSchema) does not exist',
      hint: 'did you mean "schemas/readings.avsc"?',
    });
    expect(report.diagnostics[1]).toMatchObject({ severity: 'error', file: 'avro/alert-key.avsc', line: 1 });
    expect(report.diagnostics).toHaveLength(2);
  });

  it('names the file it could not find, with --file too', async () => {
    const dir = await topicsProject('topics: []\n');
    const missing = await iotmsg(['validate', '--file', 'nope.yaml'], { cwd: dir, env: offline });
    expect(missing.exitCode).toBe(65);
    expect(missing.stderr).toBe(`error: no project file at ${dir}/nope.yaml\nhint: create topics.yaml, or name one with --file`);
  });
});
