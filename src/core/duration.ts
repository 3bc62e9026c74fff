/** Milliseconds per duration unit: the one table for --timeout, --since, --wait and topic configs. */
export const DURATION_UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

const UNIT = Object.keys(DURATION_UNIT_MS).join('|');
const WHOLE = new RegExp(`^(\\d+(?:\\.\\d+)?(${UNIT}))+$`);
const PART = new RegExp(`(\\d+(?:\\.\\d+)?)(${UNIT})`, 'g');

/** "10m", "1h30m", "2d", "500ms" → milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) total += Number(amount) * DURATION_UNIT_MS[unit!]!;
  return Math.round(total);
}
