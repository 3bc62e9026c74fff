import { describe, expect, it } from 'vitest';
import { frameInput, parseDelimiter } from './inputFraming.js';

const text = (b: Uint8Array | null | undefined) => (b === null || b === undefined ? b : Buffer.from(b).toString('utf8'));

describe('input framing', () => {
  it('takes the whole line as the value by default', () => {
    expect(frameInput('a:b', { kind: 'line' })).toEqual({ ok: true, input: { value: { text: 'a:b' }, headers: [] } });
  });

  it('splits at the first delimiter only, and keeps an empty key', () => {
    const split = frameInput('k1::v:1', { kind: 'keyed', delimiter: '::' });
    expect(split.ok && [text(split.input.key), split.input.value]).toEqual(['k1', { text: 'v:1' }]);
    const empty = frameInput(':v', { kind: 'keyed', delimiter: ':' });
    expect(empty.ok && text(empty.input.key)).toBe('');
    expect(frameInput('v', { kind: 'keyed', delimiter: ':' })).toEqual({ ok: false, problem: 'no key delimiter ":" in the line' });
  });

  it('reads \\t and \\xNN in a delimiter, and refuses an empty one', () => {
    expect(parseDelimiter('\\t')).toBe('\t');
    expect(parseDelimiter('\\x1f')).toBe('\x1f');
    expect(parseDelimiter('|')).toBe('|');
    expect(parseDelimiter('')).toBeUndefined();
  });

  it("reads tail's NDJSON as an envelope, ignoring where the message was read", () => {
    const line = JSON.stringify({ topic: 't', partition: 1, offset: '7', timestamp: '2026-01-01T00:00:00.000Z', key: 'ab01', keyFormat: 'hex', headers: { h: 'v' }, value: { x: 1 }, valueFormat: 'json', schemaId: 3 });
    const framed = frameInput(line, { kind: 'envelope' });
    expect(framed.ok).toBe(true);
    if (!framed.ok) return;
    expect(framed.input.key).toEqual(Buffer.from([0xab, 0x01]));
    expect(framed.input.value).toEqual({ json: { x: 1 } });
    expect(framed.input.partition).toBe(1);
    expect(framed.input.headers.map((h) => [text(h.key), text(h.value)])).toEqual([['h', 'v']]);
  });

  it('keeps a missing key absent, a null key null, and a null value a tombstone', () => {
    const absent = frameInput('{"value":1}', { kind: 'envelope' });
    expect(absent.ok && 'key' in absent.input).toBe(false);
    const nulls = frameInput('{"key":null,"value":null}', { kind: 'envelope' });
    expect(nulls.ok && [nulls.input.key, nulls.input.value]).toEqual([null, null]);
    const decodedKey = frameInput('{"key":{"id":7},"value":1}', { kind: 'envelope' });
    expect(decodedKey.ok && text(decodedKey.input.key)).toBe('{"id":7}');
  });

  it('says what is wrong with a line that is not an envelope', () => {
    const problem = (line: string) => {
      const framed = frameInput(line, { kind: 'envelope' });
      return framed.ok ? undefined : framed.problem;
    };
    expect(problem('{"key":"a"')).toMatch(/^not a JSON envelope: /);
    expect(problem('"text"')).toBe('an envelope is a JSON object such as {"key":"k","value":{...}}');
    expect(problem('{"key":"a"}')).toBe('the envelope has no "value" (null writes a tombstone)');
    expect(problem('{"value":1,"vaule":2}')).toBe('unknown envelope field "vaule" (an envelope has key, value, headers, partition)');
    expect(problem('{"value":1,"partition":-1}')).toBe('"partition" is a whole number of 0 or more');
    expect(problem('{"value":1,"partition":1.5}')).toBe('"partition" is a whole number of 0 or more');
    expect(problem('{"value":1,"headers":["a"]}')).toBe('"headers" is an object of names to text values');
    expect(problem('{"value":1,"headers":{"n":2}}')).toBe('header "n" is not text');
    expect(problem('{"value":1,"key":"zz","keyFormat":"hex"}')).toBe('"key" is not hex digits, and keyFormat says "hex"');
  });
});
