export type Cell = string | number | boolean | undefined;

// Colour codes take no room on screen, so widths are measured without them.
const ANSI = /\u001b\[[0-9;]*m/g;

function visibleWidth(text: string): number {
  return text.replace(ANSI, '').length;
}

/**
 * Plain aligned columns, like kubectl and rpk: easy to read, easy to grep. Hand-written
 * because cli-table3 took about 4 s for 5,000 rows (a `topics list` of a large cluster).
 */
export function table(head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [head, ...rows].map((row) => row.map((c) => (c === undefined ? '-' : String(c))));
  const widths = head.map((_, i) => Math.max(...lines.map((line) => visibleWidth(line[i] ?? ''))));
  return lines
    .map((line) =>
      line
        .map((cell, i) => (i === line.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleWidth(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Key/value pairs, one per line. */
export function keyValues(pairs: readonly (readonly [string, Cell])[]): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v === undefined ? '-' : String(v)}`).join('\n');
}
