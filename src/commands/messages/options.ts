import type { CommandOptions } from '../../cli/spec.js';
import { UsageError } from '../../core/errors.js';

/** At most one of several mutually exclusive flags. */
export function exclusive(options: CommandOptions, flags: Record<string, string>): string | undefined {
  const given = Object.keys(flags).filter((name) => options[name] !== undefined && options[name] !== false);
  if (given.length > 1) {
    throw new UsageError(`${given.map((n) => flags[n]).join(' and ')} cannot be used together`, { hint: 'pick one' });
  }
  return given[0];
}
