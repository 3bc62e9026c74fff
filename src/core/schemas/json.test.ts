import { describe, expect, it } from 'vitest';
import { jsonText, LineIndex, memberValue, parseJson, type JsonNode } from './json.js';

function parsed(text: string): JsonNode {
  const result = parseJson(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('parseJson', () => {
  it('keeps number literals and tells integers from decimals', () => {
    const value = parsed('[9223372036854775807, 1.0, 1e3, -0]');
    expect(value.kind === 'array' && value.items.map((n) => n.kind === 'number' && [n.text, n.isIntegral])).toEqual([
      ['9223372036854775807', true],
      ['1.0', false],
      ['1e3', false],
      ['-0', true],
    ]);
  });

  it('decodes escapes and records offsets', () => {
    const value = parsed('{"a": "x\\u00e9\\n", "b": [true, null]}');
    expect(value.kind === 'object' && value.members.map((m) => [m.key, m.keyOffset, m.value.offset])).toEqual([
      ['a', 1, 6],
      ['b', 19, 24],
    ]);
    expect(value.kind === 'object' && memberValue(value, 'a')).toMatchObject({ kind: 'string', value: 'xé\n' });
  });

  it('lets the last duplicate key win, as Jackson does', () => {
    const value = parsed('{"k": 1, "k": 2}');
    expect(value.kind === 'object' && jsonText(memberValue(value, 'k') as JsonNode)).toBe('2');
    expect(jsonText(value)).toBe('{"k":2}');
  });

  it('reports the first syntax error with its offset', () => {
    expect(parseJson('[1, 2')).toEqual({ ok: false, error: { message: "unexpected end of input, expected ',' or ']'", offset: 5 } });
    expect(parseJson('{"a": tru}')).toEqual({ ok: false, error: { message: 'unexpected "t", expected a JSON value', offset: 6 } });
    expect(parseJson('"abc')).toEqual({ ok: false, error: { message: 'unterminated string', offset: 0 } });
    expect(parseJson('01')).toEqual({ ok: false, error: { message: 'unexpected content after the end of the JSON value', offset: 1 } });
    expect(parseJson('"\\x"')).toEqual({ ok: false, error: { message: 'invalid escape \\x in string', offset: 1 } });
  });
});

describe('LineIndex', () => {
  it('maps offsets to 1-based lines and columns', () => {
    const index = new LineIndex('ab\ncd\n\nef');
    expect([0, 1, 3, 4, 6, 7, 8].map((offset) => index.position(offset))).toEqual([
      { line: 1, column: 1 },
      { line: 1, column: 2 },
      { line: 2, column: 1 },
      { line: 2, column: 2 },
      { line: 3, column: 1 },
      { line: 4, column: 1 },
      { line: 4, column: 2 },
    ]);
  });
});
