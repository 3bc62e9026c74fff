import Table from 'cli-table3';

export type Cell = string | number | boolean | undefined;

/** Plain aligned columns, like kubectl and rpk: easy to read, easy to grep. */
export function table(head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const t = new Table({
    head: [...head],
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const row of rows) t.push(row.map((c) => (c === undefined ? '-' : String(c))));
  return t.toString().split('\n').map((l) => l.trimEnd()).join('\n');
}

/** Key/value pairs, one per line. */
export function keyValues(pairs: readonly (readonly [string, Cell])[]): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v === undefined ? '-' : String(v)}`).join('\n');
}
