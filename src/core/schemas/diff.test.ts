import { describe, expect, it } from 'vitest';
import { diffSchemas } from './diff.js';
import type { AvroSchema } from './model.js';
import { parseSchemaText } from './parse.js';

function schema(json: unknown): AvroSchema {
  const { schema: parsed } = parseSchemaText(JSON.stringify(json));
  if (!parsed) throw new Error('fixture does not parse');
  return parsed.schema;
}

const record = (fields: unknown[], extra: Record<string, unknown> = {}) => schema({ type: 'record', name: 'R', namespace: 'n', ...extra, fields });

describe('diffSchemas', () => {
  it('finds nothing between identical schemas', () => {
    const s = record([{ name: 'a', type: 'int' }]);
    expect(diffSchemas(s, s)).toEqual({ status: 'identical', differences: [] });
  });

  it('calls schemas differing only in docs equivalent', () => {
    const before = record([{ name: 'a', type: 'int' }]);
    const after = record([{ name: 'a', type: 'int', doc: 'the a' }], { doc: 'R' });
    expect(diffSchemas(before, after)).toEqual({ status: 'equivalent', differences: [] });
  });

  it('lists added, removed and changed fields, defaults and nested paths', () => {
    const before = record([
      { name: 'a', type: 'int' },
      { name: 'gone', type: 'string' },
      { name: 'loc', type: { type: 'record', name: 'Loc', fields: [{ name: 'lat', type: 'float' }] } },
      { name: 'tags', type: { type: 'array', items: 'string' }, default: [] },
    ]);
    const after = record([
      { name: 'a', type: 'long' },
      { name: 'loc', type: { type: 'record', name: 'Loc', fields: [{ name: 'lat', type: 'double' }] } },
      { name: 'tags', type: { type: 'array', items: 'bytes' }, default: ['x'] },
      { name: 'added', type: ['null', 'string'], default: null },
    ]);
    const { status, differences } = diffSchemas(before, after);
    expect(status).toBe('different');
    expect(differences).toEqual([
      { path: 'a', change: 'changed', before: 'int', after: 'long' },
      { path: 'gone', change: 'removed', before: 'string' },
      { path: 'loc.lat', change: 'changed', before: 'float', after: 'double' },
      { path: 'tags[]', change: 'changed', before: 'string', after: 'bytes' },
      { path: 'tags (default)', change: 'changed', before: '[]', after: '["x"]' },
      { path: 'added', change: 'added', after: '[null, string] = null' },
    ]);
  });

  it('reports enum symbols, union branches, logical types and field order', () => {
    const before = record([
      { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B'] } },
      { name: 'u', type: ['null', 'int'] },
      { name: 't', type: 'long' },
    ]);
    const after = record([
      { name: 'u', type: ['null', 'string'] },
      { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'C'] } },
      { name: 't', type: { type: 'long', logicalType: 'timestamp-millis' } },
    ]);
    expect(diffSchemas(before, after).differences).toEqual([
      { path: 'e.symbols', change: 'removed', before: 'B' },
      { path: 'e.symbols', change: 'added', after: 'C' },
      { path: 'u', change: 'removed', before: 'int' },
      { path: 'u', change: 'added', after: 'string' },
      { path: 't', change: 'changed', before: 'long', after: 'long (timestamp-millis)' },
      { path: '(schema)', change: 'changed', before: 'field order e, u, t', after: 'field order u, e, t' },
    ]);
  });

  it('compares a recursive record once', () => {
    const before = record([{ name: 'next', type: ['null', 'R'], default: null }]);
    const after = record([{ name: 'next', type: ['null', 'R'], default: null }, { name: 'v', type: 'int', default: 0 }]);
    expect(diffSchemas(before, after).differences).toEqual([{ path: 'v', change: 'added', after: 'int = 0' }]);
  });
});
