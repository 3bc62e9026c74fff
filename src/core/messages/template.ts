/**
 * kcat-style format strings for `tail --format`: %k key, %v (or %s) value, %p partition,
 * %o offset, %t topic, %T timestamp (epoch ms), %h headers (k=v,k=v), %K / %S key and value
 * sizes in bytes, %% a percent sign; \n, \t, \r and \\ are escapes.
 */
export interface TemplateRecord {
  topic: string;
  partition: number;
  offset: string;
  timestampMs: number;
  key: string | null;
  value: string | null;
  headers: readonly (readonly [string, string])[];
  keySize: number;
  valueSize: number;
}

type Piece = string | ((record: TemplateRecord) => string);

const FIELDS: Record<string, (r: TemplateRecord) => string> = {
  k: (r) => r.key ?? '',
  v: (r) => r.value ?? '',
  s: (r) => r.value ?? '',
  p: (r) => String(r.partition),
  o: (r) => r.offset,
  t: (r) => r.topic,
  T: (r) => String(r.timestampMs),
  h: (r) => r.headers.map(([k, v]) => `${k}=${v}`).join(','),
  K: (r) => String(r.keySize),
  S: (r) => String(r.valueSize),
};
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\' };

/** Compiled once so formatting a million messages does not re-read the template. */
export function compileTemplate(template: string): (record: TemplateRecord) => string {
  const pieces: Piece[] = [];
  let literal = '';
  for (let i = 0; i < template.length; i++) {
    const char = template[i]!;
    const next = template[i + 1];
    if (char === '%' && next !== undefined && (FIELDS[next] || next === '%')) {
      i++;
      if (next === '%') {
        literal += '%';
        continue;
      }
      if (literal) pieces.push(literal);
      literal = '';
      pieces.push(FIELDS[next]!);
    } else if (char === '\\' && next !== undefined && ESCAPES[next] !== undefined) {
      i++;
      literal += ESCAPES[next];
    } else {
      literal += char;
    }
  }
  if (literal) pieces.push(literal);
  return (record) => {
    let out = '';
    for (const piece of pieces) out += typeof piece === 'string' ? piece : piece(record);
    return out;
  };
}
