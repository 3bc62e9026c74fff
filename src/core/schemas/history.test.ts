import { describe, expect, it } from 'vitest';
import type { CompatibilityLevel } from './compatibility.js';
import { checkAgainstHistory, comparedVersions, distinctVersions, type HistoryVersion } from './history.js';
import { parseSchemaText } from './parse.js';

function avro(json: unknown, validateDefaults = true) {
  const { schema, diagnostics } = parseSchemaText(JSON.stringify(json), { validateDefaults });
  if (!schema) throw new Error(`fixture does not parse: ${diagnostics.map((d) => d.message).join('; ')}`);
  return schema.schema;
}

const record = (fields: unknown[]) => ({ type: 'record', name: 'Reading', namespace: 'iot', fields });
/** Versions v1, v2, ... oldest first, read as stored versions are (defaults not validated). */
const history = (...versions: unknown[]): HistoryVersion[] => versions.map((v, i) => ({ label: `v${i + 1}`, schema: avro(v, false) }));
const judge = (candidate: unknown, versions: HistoryVersion[], level: CompatibilityLevel) => checkAgainstHistory(avro(candidate), versions, level);

describe('a candidate against a history', () => {
  it('finds a break with a middle version only at the transitive level, and names that version', () => {
    const versions = history(
      record([{ name: 'a', type: 'int' }]),
      record([{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: '' }]),
      record([{ name: 'a', type: 'int' }]),
    );
    const candidate = record([{ name: 'a', type: 'int' }, { name: 'b', type: 'int', default: 0 }]);
    expect(judge(candidate, versions, 'BACKWARD')).toMatchObject({ compatible: true, history: ['v1', 'v2', 'v3'], checked: ['v3'], broke: [] });
    const transitive = judge(candidate, versions, 'BACKWARD_TRANSITIVE');
    expect(transitive).toMatchObject({ compatible: false, checked: ['v3', 'v2', 'v1'], broke: ['v2'] });
    expect(transitive.incompatibilities.map((i) => [i.against, i.type, i.path, i.direction])).toEqual([['v2', 'TYPE_MISMATCH', '/fields/1/type', 'BACKWARD']]);
  });

  it('sees an enum symbol removed and re-added: old readers of the version without it break', () => {
    const status = (symbols: string[]) => record([{ name: 'status', type: { type: 'enum', name: 'Status', symbols } }]);
    const versions = history(status(['OK', 'WARN', 'FAIL']), status(['OK', 'WARN']));
    const readded = status(['OK', 'WARN', 'FAIL']);
    const forward = judge(readded, versions, 'FORWARD_TRANSITIVE');
    expect(forward).toMatchObject({ compatible: false, checked: ['v2', 'v1'], broke: ['v2'] });
    expect(forward.incompatibilities.map((i) => [i.against, i.type, i.detail])).toEqual([['v2', 'MISSING_ENUM_SYMBOLS', '[FAIL]']]);
    // Reading old data with the symbol back is fine for every version.
    expect(judge(readded, versions, 'BACKWARD_TRANSITIVE')).toMatchObject({ compatible: true, checked: ['v2', 'v1'], broke: [] });
  });

  it('catches a field re-added with another type against the non-adjacent version that had it', () => {
    const versions = history(record([{ name: 'id', type: 'string' }, { name: 'x', type: 'int' }]), record([{ name: 'id', type: 'string' }]));
    const candidate = record([{ name: 'id', type: 'string' }, { name: 'x', type: 'string', default: '' }]);
    expect(judge(candidate, versions, 'BACKWARD').compatible).toBe(true);
    const transitive = judge(candidate, versions, 'BACKWARD_TRANSITIVE');
    expect(transitive).toMatchObject({ compatible: false, broke: ['v1'] });
    expect(transitive.incompatibilities[0]).toMatchObject({ against: 'v1', type: 'TYPE_MISMATCH', path: '/fields/1/type', detail: 'reader type: STRING not compatible with writer type: INT' });
  });

  it('reports a nested record field by its path inside the nested record', () => {
    const location = (fields: unknown[]) => record([{ name: 'location', type: { type: 'record', name: 'Location', fields } }]);
    const versions = history(
      location([{ name: 'lat', type: 'double' }, { name: 'accuracy', type: 'int' }]),
      location([{ name: 'lat', type: 'double' }]),
      location([{ name: 'lat', type: 'double' }, { name: 'alt', type: 'double', default: 0 }]),
    );
    const candidate = location([{ name: 'lat', type: 'double' }, { name: 'alt', type: 'double', default: 0 }, { name: 'accuracy', type: 'string', default: 'n/a' }]);
    expect(judge(candidate, versions, 'BACKWARD').compatible).toBe(true);
    const transitive = judge(candidate, versions, 'BACKWARD_TRANSITIVE');
    expect(transitive.broke).toEqual(['v1']);
    expect(transitive.incompatibilities.map((i) => i.path)).toEqual(['/fields/0/type/fields/2/type']);
  });

  it('FULL_TRANSITIVE checks both directions against every version, forward first', () => {
    const versions = history(record([{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: '' }]), record([{ name: 'a', type: 'int' }]));
    const candidate = record([{ name: 'a', type: 'int' }, { name: 'b', type: 'int', default: 0 }]);
    expect(judge(candidate, versions, 'FULL')).toMatchObject({ compatible: true, checked: ['v2'] });
    const transitive = judge(candidate, versions, 'FULL_TRANSITIVE');
    expect(transitive).toMatchObject({ compatible: false, checked: ['v2', 'v1'], broke: ['v1'] });
    expect(transitive.incompatibilities.map((i) => [i.against, i.direction, i.type])).toEqual([
      ['v1', 'FORWARD', 'TYPE_MISMATCH'],
      ['v1', 'BACKWARD', 'TYPE_MISMATCH'],
    ]);
  });

  it('names every version that breaks, where the registry would stop at the first', () => {
    const versions = history(record([{ name: 'a', type: 'int' }]), record([{ name: 'a', type: 'int' }, { name: 'c', type: 'long', default: 0 }]));
    const candidate = record([{ name: 'a', type: 'string' }]);
    expect(judge(candidate, versions, 'BACKWARD_TRANSITIVE').broke).toEqual(['v2', 'v1']);
  });

  it('checks nothing at NONE, or without versions', () => {
    const versions = history(record([{ name: 'a', type: 'int' }]));
    expect(judge(record([{ name: 'a', type: 'string' }]), versions, 'NONE')).toMatchObject({ compatible: true, checked: [], history: ['v1'] });
    expect(judge(record([{ name: 'a', type: 'string' }]), [], 'FULL_TRANSITIVE')).toMatchObject({ compatible: true, checked: [], history: [] });
    expect(comparedVersions('FORWARD', [1, 2, 3])).toEqual([3]);
    expect(comparedVersions('FORWARD_TRANSITIVE', [1, 2, 3])).toEqual([3, 2, 1]);
  });
});

describe('identical versions', () => {
  it('are kept once, where they last occur, compared by canonical form', () => {
    const a = record([{ name: 'a', type: 'int' }]);
    const aFormatted = { ...record([{ name: 'a', type: 'int', doc: 'docs do not count' }]) };
    const b = record([{ name: 'a', type: 'int' }, { name: 'b', type: 'int', default: 1 }]);
    const versions = history(a, b, aFormatted, a);
    expect(distinctVersions(versions).map((v) => v.label)).toEqual(['v2', 'v4']);
  });
});
