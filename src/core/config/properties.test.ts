import { describe, expect, it } from 'vitest';
import { parseProperties, PropertiesSyntaxError } from './properties.js';

const values = (text: string) => Object.fromEntries([...parseProperties(text)].map(([k, v]) => [k, v.value]));

describe('parseProperties (java.util.Properties.load)', () => {
  it('takes "=", ":" and whitespace as separators, with whitespace around them', () => {
    expect(values('a=1\nb: 2\nc 3\nd   =   4\ne\t:\t5\nf\n')).toEqual({ a: '1', b: '2', c: '3', d: '4', e: '5', f: '' });
  });

  it('skips # and ! comments and blank lines, even indented', () => {
    expect(values('# one\n  ! two\n\n   \nkey=value # not a comment\n')).toEqual({ key: 'value # not a comment' });
  });

  it('joins continuation lines, dropping the next line\'s leading whitespace', () => {
    const text = 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n    username="svc" \\\n    password="p";\n';
    expect(values(text)['sasl.jaas.config']).toBe('org.apache.kafka.common.security.scram.ScramLoginModule required username="svc" password="p";');
  });

  it('an even number of trailing backslashes is an escaped backslash, not a continuation', () => {
    expect(values('a=x\\\\\nb=y')).toEqual({ a: 'x\\', b: 'y' });
  });

  it('unescapes \\t \\n \\uXXXX, escaped separators in keys, and any other escaped character as itself', () => {
    expect(values('my\\ key\\=x=a\\tb\\nc\\u00e9\\q')).toEqual({ 'my key=x': 'a\tb\nc\u00e9q' });
  });

  it('accepts CRLF and CR line ends and a byte-order mark; the last repeated key wins and keeps its line', () => {
    const parsed = parseProperties('\uFEFFa=1\r\nb=2\ra=3\n');
    expect(parsed.get('a')).toEqual({ value: '3', line: 3 });
    expect(parsed.get('b')?.value).toBe('2');
  });

  it('refuses a malformed \\u escape with its line', () => {
    expect(() => parseProperties('ok=1\nbad=\\u12G4\n')).toThrow(PropertiesSyntaxError);
    try {
      parseProperties('ok=1\nbad=\\u12G4\n');
    } catch (error) {
      expect((error as PropertiesSyntaxError).line).toBe(2);
    }
  });
});
