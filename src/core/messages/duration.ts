import { UsageError } from '../errors.js';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "10m", "1h30m", "2d", "500ms" → milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(\d+(?:\.\d+)?(ms|s|m|h|d|w))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(amount) * DURATION_UNITS[unit!]!;
  return Math.round(total);
}

/**
 * A point in time as operators write it: a duration back from now ("10m", "2h"), an ISO
 * timestamp ("2024-05-01T12:00:00Z", a date alone meaning midnight UTC) or epoch milliseconds.
 */
export function parsePointInTime(text: string, nowMs: number, flag: string): number {
  const ago = parseDuration(text);
  if (ago !== undefined) return nowMs - ago;
  if (/^\d{12,}$/.test(text.trim())) return Number(text.trim());
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? Date.parse(text.trim()) : NaN;
  if (Number.isNaN(parsed)) {
    throw new UsageError(`${flag} "${text}" is neither a duration nor a timestamp`, {
      hint: 'write a duration back from now (10m, 2h, 1d), an ISO timestamp (2024-05-01T12:00:00Z) or epoch milliseconds',
    });
  }
  return parsed;
}
