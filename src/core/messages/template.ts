/**
 * kcat-style format strings for `tail --format`: %k key, %v value (decoded: Avro via the
 * registry, JSON, text, hex), %s the value's bytes untouched (kcat's %s), %p partition, %o
 * offset, %t topic, %T timestamp (epoch ms), %h headers (k=v,k=v), %K / %S key and value
 * sizes in bytes, %% a percent sign; \n, \t, \r and \\ are escapes. Parsed once into pieces
 * that the writer renders per record.
 */
export type TemplateField = 'k' | 'v' | 's' | 'p' | 'o' | 't' | 'T' | 'h' | 'K' | 'S';

export type TemplatePiece = { literal: string } | { field: TemplateField };

const FIELDS = new Set<string>(['k', 'v', 's', 'p', 'o', 't', 'T', 'h', 'K', 'S']);
/** The fields that need the key, value or headers decoded; a template without them is written from the bytes. */
export const DECODED_FIELDS: ReadonlySet<TemplateField> = new Set<TemplateField>(['k', 'v', 'h']);
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\' };

export function parseTemplate(template: string): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  let literal = '';
  for (let i = 0; i < template.length; i++) {
    const char = template[i]!;
    const next = template[i + 1];
    if (char === '%' && next !== undefined && (FIELDS.has(next) || next === '%')) {
      i++;
      if (next === '%') {
        literal += '%';
        continue;
      }
      if (literal) pieces.push({ literal });
      literal = '';
      pieces.push({ field: next as TemplateField });
    } else if (char === '\\' && next !== undefined && ESCAPES[next] !== undefined) {
      i++;
      literal += ESCAPES[next];
    } else {
      literal += char;
    }
  }
  if (literal) pieces.push({ literal });
  return pieces;
}
