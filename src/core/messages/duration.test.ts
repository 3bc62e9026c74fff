import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { parseDuration } from '../duration.js';
import { parsePointInTime } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    ['1.5h', 5_400_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '10', 'm', '10 minutes', '-5m', '2024-01-01'])('"%s" is not a duration', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('parsePointInTime', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');

  it('counts a duration back from now', () => expect(parsePointInTime('10m', now, '--since')).toBe(now - 600_000));
  it('reads ISO timestamps and dates', () => {
    expect(parsePointInTime('2024-05-01T11:00:00Z', now, '--since')).toBe(Date.parse('2024-05-01T11:00:00Z'));
    expect(parsePointInTime('2024-04-30', now, '--since')).toBe(Date.parse('2024-04-30T00:00:00Z'));
  });
  it('reads epoch milliseconds', () => expect(parsePointInTime('1714564800000', now, '--since')).toBe(1714564800000));
  it('refuses anything else with the flag in the message', () => {
    expect(() => parsePointInTime('yesterday', now, '--since')).toThrow(UsageError);
    expect(() => parsePointInTime('yesterday', now, '--since')).toThrow('--since "yesterday" is neither a duration nor a timestamp');
  });
});
