import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';

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
