import type { CommandOptions } from '../../cli/spec.js';
import { UsageError } from '../../core/errors.js';

/** A whole number from a flag, within bounds; undefined when the flag was not given. */
export function integerOption(options: CommandOptions, name: string, flag: string, min = Number.MIN_SAFE_INTEGER): number | undefined {
  const raw = options[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || !/^\s*-?\d+\s*$/.test(String(raw)) || value < min) {
    throw new UsageError(`${flag} "${String(raw)}" is not ${min === 0 ? 'a whole number of 0 or more' : min === 1 ? 'a positive whole number' : 'a whole number'}`);
  }
  return value;
}

export function stringOption(options: CommandOptions, name: string): string | undefined {
  const raw = options[name];
  return typeof raw === 'string' ? raw : undefined;
}

/** At most one of several mutually exclusive flags. */
export function exclusive(options: CommandOptions, flags: Record<string, string>): string | undefined {
  const given = Object.keys(flags).filter((name) => options[name] !== undefined && options[name] !== false);
  if (given.length > 1) {
    throw new UsageError(`${given.map((n) => flags[n]).join(' and ')} cannot be used together`, { hint: 'pick one' });
  }
  return given[0];
}
