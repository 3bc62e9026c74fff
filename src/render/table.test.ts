import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { keyValues, table } from './table.js';

describe('table', () => {
  it('aligns columns two spaces apart, without trailing blanks', () => {
    expect(table(['NAME', 'N'], [['a', 1], ['longer', undefined]])).toBe(['NAME    N', 'a       1', 'longer  -'].join('\n'));
  });

  it('measures coloured cells by what shows on screen', () => {
    const red = new Chalk({ level: 1 }).red('x');
    const lines = table(['A', 'B'], [[red, 'y'], ['zz', 'w']]).split('\n');
    expect(lines[1]).toBe(`${red}   y`);
    expect(lines[2]).toBe('zz  w');
  });
});

describe('keyValues', () => {
  it('pads keys to the longest', () => {
    expect(keyValues([['a', 1], ['long', 'x']])).toBe('a     1\nlong  x');
  });
});
