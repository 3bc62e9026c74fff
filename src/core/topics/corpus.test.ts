import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { loadTopicsFile } from './load.js';

/**
 * Every file in test/fixtures/topics/bad ends with the diagnostics it must
 * produce, in order:
 *   # expect: LINE:COLUMN message      (an error)
 *   # warn: LINE:COLUMN message        (a warning)
 *   #   hint: text                     (the hint of the line above; none when absent)
 */
const corpusDir = fileURLToPath(new URL('../../../test/fixtures/topics/bad/', import.meta.url));
const EXPECTATION = /^# (expect|warn): (\d+):(\d+) (.+)$/;
const HINT = /^#   hint: (.+)$/;

type Expected = Pick<Diagnostic, 'severity' | 'line' | 'column' | 'message' | 'hint'>;

function expectationsOf(text: string): Expected[] {
  const expected: Expected[] = [];
  for (const line of text.split('\n')) {
    const match = EXPECTATION.exec(line);
    if (match) {
      const [, kind, row, column, message] = match;
      expected.push({
        severity: kind === 'warn' ? 'warning' : 'error',
        line: Number(row),
        column: Number(column),
        message: message ?? '',
        hint: undefined,
      });
      continue;
    }
    const hint = HINT.exec(line);
    const last = expected.at(-1);
    if (hint && last) last.hint = hint[1];
  }
  return expected;
}

const files = readdirSync(corpusDir)
  .filter((name) => name.endsWith('.yaml'))
  .sort();

describe('bad topics.yaml corpus', () => {
  it('has at least 30 files', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it.each(files)('%s', (name) => {
    const text = readFileSync(corpusDir + name, 'utf8');
    const expected = expectationsOf(text);
    expect(expected.some((d) => d.severity === 'error'), 'a bad file expects at least one error').toBe(true);

    const { project, diagnostics } = loadTopicsFile(text, name);
    const actual = diagnostics.map(({ severity, line, column, message, hint }) => ({ severity, line, column, message, hint }));
    expect(actual).toEqual(expected);
    expect(project).toBeUndefined();
    expect(diagnostics.every((d) => d.file === name && /^[a-z]+(-[a-z]+)*$/.test(d.code))).toBe(true);
  });
});
