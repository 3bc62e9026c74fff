/**
 * Java .properties files, read as java.util.Properties.load reads them, since that is how
 * Kafka's tools read the file given to --command-config: `#`/`!` comments, `=`, `:` or
 * whitespace between key and value, backslash escapes (\t \n \r \f \uXXXX, any other
 * character stands for itself), and a line ending in an odd number of backslashes
 * continuing on the next (its leading whitespace dropped). The last of repeated keys wins.
 */

export interface PropertyValue {
  value: string;
  /** 1-based line where the key's logical line starts. */
  line: number;
}

export class PropertiesSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export function parseProperties(text: string): Map<string, PropertyValue> {
  const properties = new Map<string, PropertyValue>();
  for (const { text: logical, line } of logicalLines(text)) {
    const { key, value } = splitEntry(logical, line);
    properties.set(key, { value, line });
  }
  return properties;
}

/** Physical lines joined where a line ends in an odd number of backslashes; comments and blank lines dropped. */
function* logicalLines(text: string): Generator<{ text: string; line: number }> {
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < physical.length; i++) {
    const start = i;
    let current = physical[i]!.replace(/^[ \t\f]+/, '');
    if (current === '' || current.startsWith('#') || current.startsWith('!')) continue;
    while (endsWithContinuation(current) && i + 1 < physical.length) {
      i++;
      current = current.slice(0, -1) + physical[i]!.replace(/^[ \t\f]+/, '');
    }
    if (endsWithContinuation(current)) current = current.slice(0, -1);
    yield { text: current, line: start + 1 };
  }
}

function endsWithContinuation(line: string): boolean {
  const trailing = /\\+$/.exec(line)?.[0].length ?? 0;
  return trailing % 2 === 1;
}

function splitEntry(logical: string, line: number): { key: string; value: string } {
  let keyEnd = 0;
  while (keyEnd < logical.length) {
    const c = logical[keyEnd]!;
    if (c === '\\') {
      keyEnd += 2;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
    keyEnd++;
  }
  let valueStart = keyEnd;
  while (valueStart < logical.length && ' \t\f'.includes(logical[valueStart]!)) valueStart++;
  if (valueStart < logical.length && (logical[valueStart] === '=' || logical[valueStart] === ':')) {
    valueStart++;
    while (valueStart < logical.length && ' \t\f'.includes(logical[valueStart]!)) valueStart++;
  }
  return { key: unescape(logical.slice(0, keyEnd), line), value: unescape(logical.slice(valueStart), line) };
}

const SIMPLE_ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(text: string, line: number): string {
  if (!text.includes('\\')) return text;
  let result = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      result += c;
      continue;
    }
    const next = text[++i];
    if (next === undefined) break;
    if (next === 'u') {
      const hex = text.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PropertiesSyntaxError(`malformed \\uxxxx escape "\\u${hex}"`, line);
      result += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      result += SIMPLE_ESCAPES[next] ?? next;
    }
  }
  return result;
}
