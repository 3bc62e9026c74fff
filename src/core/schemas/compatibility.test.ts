import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkCompatibility,
  checkReaderWriter,
  COMPATIBILITY_LEVELS,
  registryMessage,
  type CompatibilityLevel,
  type Incompatibility,
} from './compatibility.js';
import type { AvroSchema } from './model.js';
import { parseSchemaText } from './parse.js';

interface EvolutionCase {
  name: string;
  description: string;
  level: CompatibilityLevel;
  previous: unknown[];
  candidate: unknown;
  compatible: boolean;
  expectedPaths?: string[];
}

interface AvroJavaResult {
  name: string;
  compatible: boolean;
  incompatibilities: Pick<Incompatibility, 'direction' | 'previousIndex' | 'type' | 'path' | 'detail'>[];
}

const FIXTURES = new URL('../../../test/fixtures/schemas/', import.meta.url);
const table = JSON.parse(readFileSync(new URL('evolution.json', FIXTURES), 'utf8')) as EvolutionCase[];
const avroJava = JSON.parse(readFileSync(new URL('evolution.avro-java.json', FIXTURES), 'utf8')) as { results: AvroJavaResult[] };

/** Like the registry: the new schema with default validation, stored versions without. */
function schema(json: unknown, validateDefaults = true): AvroSchema {
  const { schema: parsed, diagnostics } = parseSchemaText(JSON.stringify(json), { validateDefaults });
  if (!parsed) throw new Error(`fixture does not parse: ${diagnostics.map((d) => d.message).join('; ')}`);
  return parsed.schema;
}

function check(c: EvolutionCase) {
  return checkCompatibility(schema(c.candidate), c.previous.map((p) => schema(p, false)), c.level);
}

describe('the evolution table', () => {
  it('is large and covers every level', () => {
    expect(table.length).toBeGreaterThanOrEqual(45);
    expect(new Set(table.map((c) => c.level))).toEqual(new Set(COMPATIBILITY_LEVELS));
    expect(new Set(table.map((c) => c.name)).size).toBe(table.length);
    expect(avroJava.results.map((r) => r.name)).toEqual(table.map((c) => c.name));
  });

  it.each(table.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = check(c);
    expect(result.compatible).toBe(c.compatible);
    expect(result.incompatibilities.length === 0).toBe(c.compatible);
    if (c.expectedPaths) expect([...new Set(result.incompatibilities.map((i) => i.path))]).toEqual(c.expectedPaths);
  });

  it('gives exactly what Avro Java 1.12.0 gives for every case', () => {
    const ours = table.map((c) => {
      const result = check(c);
      return {
        name: c.name,
        compatible: result.compatible,
        incompatibilities: result.incompatibilities.map(({ direction, previousIndex, type, path, detail }) => ({ direction, previousIndex, type, path, detail })),
      };
    });
    expect(ours).toEqual(avroJava.results);
  });
});

describe('levels', () => {
  const v1 = { type: 'record', name: 'R', fields: [{ name: 'a', type: 'string' }] };
  const v2 = { type: 'record', name: 'R', fields: [{ name: 'a', type: 'string' }, { name: 'b', type: 'int', default: 0 }] };
  const v3 = { type: 'record', name: 'R', fields: [{ name: 'b', type: 'long' }] };

  it('report FULL forward problems first, then backward ones, with the registry wording', () => {
    const result = checkCompatibility(schema(v3), [schema(v1), schema(v2)], 'FULL');
    expect(result.incompatibilities).toEqual([
      {
        type: 'READER_FIELD_MISSING_DEFAULT_VALUE',
        path: '/fields/0',
        detail: 'a',
        message: "The field 'a' at path '/fields/0' in the old schema has no default value and is missing in the new schema",
        direction: 'FORWARD',
        previousIndex: 1,
      },
      {
        type: 'TYPE_MISMATCH',
        path: '/fields/1/type',
        detail: 'reader type: INT not compatible with writer type: LONG',
        message: "The type (path '/fields/1/type') of a field in the old schema does not match with the new schema",
        direction: 'FORWARD',
        previousIndex: 1,
      },
    ]);
  });

  it('stop a transitive check at the newest version that fails', () => {
    const result = checkCompatibility(schema(v3), [schema(v1), schema(v2)], 'BACKWARD_TRANSITIVE');
    expect(result.incompatibilities.map((i) => [i.previousIndex, i.type, i.path])).toEqual([[0, 'READER_FIELD_MISSING_DEFAULT_VALUE', '/fields/0']]);
  });

  it('format incompatibilities as the registry lists them', () => {
    const [first] = checkCompatibility(schema('int'), [schema('string')], 'BACKWARD').incompatibilities;
    expect(first && registryMessage(first)).toBe(
      "{errorType:'TYPE_MISMATCH', description:'The type (path '/') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: INT not compatible with writer type: STRING'}",
    );
  });
});

describe('the reader/writer check', () => {
  it('terminates on recursive records and shares results between repeated named types', () => {
    const tree = schema({
      type: 'record',
      name: 'Tree',
      fields: [
        { name: 'left', type: ['null', 'Tree'], default: null },
        { name: 'right', type: ['null', 'Tree'], default: null },
        { name: 'value', type: 'int' },
      ],
    });
    const widerTree = schema({
      type: 'record',
      name: 'Tree',
      fields: [
        { name: 'left', type: ['null', 'Tree'], default: null },
        { name: 'right', type: ['null', 'Tree'], default: null },
        { name: 'value', type: 'long' },
      ],
    });
    expect(checkReaderWriter(widerTree, tree)).toEqual([]);
    expect(checkReaderWriter(tree, widerTree)).toEqual([
      { type: 'TYPE_MISMATCH', path: '/fields/2/type', detail: 'reader type: INT not compatible with writer type: LONG' },
    ]);
  });

  it('matches names by their unqualified part or a reader alias', () => {
    const fixed = (name: string, extra: Record<string, unknown> = {}) => schema({ type: 'fixed', name, size: 4, ...extra });
    expect(checkReaderWriter(fixed('a.Hash'), fixed('b.Hash'))).toEqual([]);
    expect(checkReaderWriter(fixed('a.Digest', { aliases: ['b.Hash'] }), fixed('b.Hash'))).toEqual([]);
    expect(checkReaderWriter(fixed('a.Digest'), fixed('b.Hash'))).toEqual([{ type: 'NAME_MISMATCH', path: '/name', detail: 'expected: b.Hash' }]);
  });
});
