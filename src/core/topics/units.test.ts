import { describe, expect, it } from 'vitest';
import { formatQuantity, parseQuantity } from './units.js';

describe('parseQuantity', () => {
  it.each([
    ['7d', 604_800_000n],
    ['12h', 43_200_000n],
    ['30m', 1_800_000n],
    ['45s', 45_000n],
    ['500ms', 500n],
    ['1w', 604_800_000n],
    ['1.5h', 5_400_000n],
    ['0.5s', 500n],
    ['365d', 31_536_000_000n],
    ['10 d', 864_000_000n],
  ])('duration %s = %s ms', (text, value) => {
    expect(parseQuantity(text, 'duration')).toEqual({ ok: true, value });
  });

  it.each([
    ['512MiB', 536_870_912n],
    ['1GiB', 1_073_741_824n],
    ['100KiB', 102_400n],
    ['1MB', 1_000_000n],
    ['1KB', 1_000n],
    ['2TiB', 2_199_023_255_552n],
    ['1.5KiB', 1_536n],
    ['0.5GB', 500_000_000n],
    ['123B', 123n],
  ])('size %s = %s bytes', (text, value) => {
    expect(parseQuantity(text, 'size')).toEqual({ ok: true, value });
  });

  it('keeps precision beyond 2^53', () => {
    expect(parseQuantity('1000000w', 'duration')).toEqual({ ok: true, value: 604_800_000_000_000n });
    expect(parseQuantity('4096TiB', 'size')).toEqual({ ok: true, value: 4_503_599_627_370_496n });
  });

  it('refuses fractions that do not land on a whole unit', () => {
    expect(parseQuantity('1.5ms', 'duration')).toEqual({ ok: false, problem: 'inexact' });
    expect(parseQuantity('0.0001s', 'duration')).toEqual({ ok: false, problem: 'inexact' });
    expect(parseQuantity('0.1KiB', 'size')).toEqual({ ok: false, problem: 'inexact' });
    expect(parseQuantity('1.0001KB', 'size')).toEqual({ ok: false, problem: 'inexact' });
  });

  it('names unknown units and rejects other shapes', () => {
    expect(parseQuantity('7days', 'duration')).toEqual({ ok: false, problem: 'unknown-unit', unit: 'days' });
    expect(parseQuantity('1mib', 'size')).toEqual({ ok: false, problem: 'unknown-unit', unit: 'mib' });
    expect(parseQuantity('7d', 'size')).toEqual({ ok: false, problem: 'unknown-unit', unit: 'd' });
    for (const text of ['-1d', 'd', '1.d', '', '7', '1e3s']) {
      expect(parseQuantity(text, 'duration').ok, text).toBe(false);
    }
  });
});

describe('formatQuantity', () => {
  it.each([
    [604_800_000n, 'duration', '7d'],
    [5_400_000n, 'duration', '90m'],
    [1_500n, 'duration', undefined],
    [45_000n, 'duration', '45s'],
    [536_870_912n, 'size', '512MiB'],
    [1_000_000n, 'size', '1MB'],
    [1_048_588n, 'size', undefined],
    [-1n, 'duration', undefined],
    [0n, 'size', undefined],
  ] as const)('%s (%s) → %s', (value, kind, text) => {
    expect(formatQuantity(value, kind)).toBe(text);
  });

  it('round-trips through parseQuantity', () => {
    for (const value of [86_400_000n, 3_600_000n, 31_536_000_000n]) {
      const text = formatQuantity(value, 'duration') ?? '';
      expect(parseQuantity(text, 'duration')).toEqual({ ok: true, value });
    }
  });
});
