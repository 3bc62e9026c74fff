/**
 * Human units for Kafka's millisecond and byte configs. All arithmetic is on
 * bigint so "1.5h" or "0.5GiB" convert exactly, and a fraction that does not
 * land on a whole millisecond or byte is refused rather than rounded.
 */

import { DURATION_UNIT_MS } from '../duration.js';

export type UnitKind = 'duration' | 'size';

const UNITS: Record<UnitKind, ReadonlyMap<string, bigint>> = {
  duration: new Map(Object.entries(DURATION_UNIT_MS).map(([unit, ms]) => [unit, BigInt(ms)])),
  size: new Map([
    ['B', 1n],
    ['KB', 1_000n],
    ['MB', 1_000_000n],
    ['GB', 1_000_000_000n],
    ['TB', 1_000_000_000_000n],
    ['KiB', 1024n],
    ['MiB', 1024n ** 2n],
    ['GiB', 1024n ** 3n],
    ['TiB', 1024n ** 4n],
  ]),
};

/** Units preferred when writing a value back out, largest first. */
const OUTPUT_UNITS: Record<UnitKind, readonly string[]> = {
  duration: ['d', 'h', 'm', 's'],
  size: ['TiB', 'GiB', 'MiB', 'KiB', 'TB', 'GB', 'MB', 'KB'],
};

export const UNIT_NAMES: Record<UnitKind, readonly string[]> = {
  duration: [...UNITS.duration.keys()],
  size: [...UNITS.size.keys()],
};

export const BASE_UNIT_NAME: Record<UnitKind, string> = { duration: 'milliseconds', size: 'bytes' };

export type UnitParseResult =
  | { ok: true; value: bigint }
  | { ok: false; problem: 'not-a-quantity' }
  | { ok: false; problem: 'unknown-unit'; unit: string }
  | { ok: false; problem: 'inexact' };

const QUANTITY = /^(\d+)(?:\.(\d+))?\s*([A-Za-z]+)$/;

/** Parses "7d", "1.5h", "512MiB" (no sign: -1 and friends are plain integers). */
export function parseQuantity(text: string, kind: UnitKind): UnitParseResult {
  const match = QUANTITY.exec(text.trim());
  if (!match) return { ok: false, problem: 'not-a-quantity' };
  const [, whole = '', fraction = '', unit = ''] = match;
  const factor = UNITS[kind].get(unit);
  if (factor === undefined) return { ok: false, problem: 'unknown-unit', unit };
  const scale = 10n ** BigInt(fraction.length);
  const scaled = BigInt(whole + fraction) * factor;
  if (scaled % scale !== 0n) return { ok: false, problem: 'inexact' };
  return { ok: true, value: scaled / scale };
}

/** The shortest exact human form of a base-unit value ("604800000" → "7d"), or undefined. */
export function formatQuantity(value: bigint, kind: UnitKind): string | undefined {
  if (value <= 0n) return undefined;
  for (const unit of OUTPUT_UNITS[kind]) {
    const factor = UNITS[kind].get(unit);
    if (factor !== undefined && value % factor === 0n) return `${value / factor}${unit}`;
  }
  return undefined;
}
