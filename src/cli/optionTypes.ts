import { parseDuration } from '../core/duration.js';
import { parseQuantity, UNIT_NAMES } from '../core/topics/units.js';
import type { OptionType } from './spec.js';

export type OptionParse = { ok: true; value: number } | { ok: false; problem: string };

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

function range(type: { min?: number; max?: number }): string {
  if (type.min !== undefined && type.max !== undefined) return ` from ${type.min} to ${type.max}`;
  if (type.min !== undefined) return ` of ${type.min} or more`;
  if (type.max !== undefined) return ` of ${type.max} or less`;
  return '';
}

/**
 * One flag value by its type. Only plain decimal digits count as numbers: JavaScript's
 * Number() would take "1e2", "0x10", " 7 " and "" as 100, 16, 7 and 0.
 */
export function parseOptionValue(type: OptionType, text: string): OptionParse {
  switch (type.kind) {
    case 'integer': {
      const value = Number(text);
      const inRange = (type.min === undefined || value >= type.min) && (type.max === undefined || value <= type.max);
      if (INTEGER.test(text) && Number.isSafeInteger(value) && inRange) return { ok: true, value };
      return { ok: false, problem: `not a whole number${range(type)} (plain decimal digits, e.g. 12)` };
    }
    case 'decimal': {
      const value = Number(text);
      const aboveMin = type.min === undefined || (type.exclusiveMin ? value > type.min : value >= type.min);
      if (DECIMAL.test(text) && Number.isFinite(value) && aboveMin && (type.max === undefined || value <= type.max)) return { ok: true, value };
      const bound = type.exclusiveMin && type.min !== undefined ? ` above ${type.min}` : range(type);
      return { ok: false, problem: `not a number${bound} (plain decimal digits, e.g. 250 or 0.5)` };
    }
    case 'duration': {
      const value = parseDuration(text);
      if (value !== undefined) return { ok: true, value };
      return { ok: false, problem: 'not a duration such as 500ms, 30s, 10m, 1h30m or 2d' };
    }
    case 'rate': {
      const parsed = parseOptionValue({ kind: 'size' }, text.replace(/\/s$/, ''));
      return parsed.ok ? parsed : { ok: false, problem: `not a rate in bytes per second, e.g. 50MiB/s or 10000` };
    }
    case 'size': {
      if (INTEGER.test(text) && !text.startsWith('-') && Number.isSafeInteger(Number(text))) return { ok: true, value: Number(text) };
      const parsed = parseQuantity(text, 'size');
      if (parsed.ok && parsed.value <= BigInt(Number.MAX_SAFE_INTEGER)) return { ok: true, value: Number(parsed.value) };
      return { ok: false, problem: `not a size in bytes or with a unit (${UNIT_NAMES.size.join(', ')}), e.g. 512KiB` };
    }
  }
}
