/**
 * A JSON reader that keeps what JSON.parse throws away and Avro needs:
 * the offset of every value (for line:column diagnostics) and the exact
 * text of numbers (Avro tells 1 from 1.0 and needs 64-bit integers).
 */

interface JsonNodeBase {
  /** Offset of the value's first character in the source text. */
  offset: number;
}
export interface JsonObject extends JsonNodeBase {
  kind: 'object';
  members: JsonMember[];
}
export interface JsonMember {
  key: string;
  keyOffset: number;
  value: JsonNode;
}
export interface JsonArray extends JsonNodeBase {
  kind: 'array';
  items: JsonNode[];
}
export interface JsonString extends JsonNodeBase {
  kind: 'string';
  value: string;
}
export interface JsonNumber extends JsonNodeBase {
  kind: 'number';
  /** The literal as written, e.g. "9007199254740993" or "1.0". */
  text: string;
  /** No fraction and no exponent: what Jackson reads as an integer node. */
  isIntegral: boolean;
}
export interface JsonBoolean extends JsonNodeBase {
  kind: 'boolean';
  value: boolean;
}
export interface JsonNull extends JsonNodeBase {
  kind: 'null';
}
export type JsonNode = JsonObject | JsonArray | JsonString | JsonNumber | JsonBoolean | JsonNull;

export interface JsonSyntaxError {
  message: string;
  offset: number;
}
export type JsonParseResult =
  | { ok: true; value: JsonNode }
  | { ok: false; error: JsonSyntaxError };

class JsonSyntaxFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

function describeChar(ch: string | undefined): string {
  if (ch === undefined) return 'end of input';
  return JSON.stringify(ch);
}

class Reader {
  private pos = 0;
  constructor(private readonly text: string) {}

  document(): JsonNode {
    this.skipWhitespace();
    if (this.pos >= this.text.length) throw new JsonSyntaxFailure('empty document: expected a JSON value', 0);
    const value = this.value();
    this.skipWhitespace();
    if (this.pos < this.text.length) {
      // Avro Java refuses dangling content too ("dangling content after end of schema").
      throw new JsonSyntaxFailure('unexpected content after the end of the JSON value', this.pos);
    }
    return value;
  }

  private fail(message: string, offset = this.pos): never {
    throw new JsonSyntaxFailure(message, offset);
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') this.pos++;
      else break;
    }
  }

  private value(): JsonNode {
    const offset = this.pos;
    const ch = this.text[this.pos];
    switch (ch) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return { kind: 'string', value: this.string(), offset };
      case 't':
        this.literal('true');
        return { kind: 'boolean', value: true, offset };
      case 'f':
        this.literal('false');
        return { kind: 'boolean', value: false, offset };
      case 'n':
        this.literal('null');
        return { kind: 'null', offset };
      default:
        if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.number();
        return this.fail(`unexpected ${describeChar(ch)}, expected a JSON value`);
    }
  }

  private literal(word: string): void {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return;
    }
    this.fail(`unexpected ${describeChar(this.text[this.pos])}, expected a JSON value`);
  }

  private object(): JsonObject {
    const node: JsonObject = { kind: 'object', members: [], offset: this.pos };
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return node;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') {
        this.fail(`unexpected ${describeChar(this.text[this.pos])}, expected a string key`);
      }
      const keyOffset = this.pos;
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') {
        this.fail(`unexpected ${describeChar(this.text[this.pos])}, expected ':' after key "${key}"`);
      }
      this.pos++;
      this.skipWhitespace();
      node.members.push({ key, keyOffset, value: this.value() });
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === '}') {
        this.pos++;
        return node;
      }
      this.fail(`unexpected ${describeChar(next)}, expected ',' or '}'`);
    }
  }

  private array(): JsonArray {
    const node: JsonArray = { kind: 'array', items: [], offset: this.pos };
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return node;
    }
    for (;;) {
      this.skipWhitespace();
      node.items.push(this.value());
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === ']') {
        this.pos++;
        return node;
      }
      this.fail(`unexpected ${describeChar(next)}, expected ',' or ']'`);
    }
  }

  private string(): string {
    const start = this.pos;
    // Fast path: no escapes and no control characters, so the text is the value.
    const end = this.text.indexOf('"', start + 1);
    if (end > 0) {
      const raw = this.text.slice(start + 1, end);
      if (!/[\\\u0000-\u001f]/.test(raw)) {
        this.pos = end + 1;
        return raw;
      }
    }
    this.pos++;
    let out = '';
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined) this.fail('unterminated string', start);
      if (ch === '"') {
        this.pos++;
        return out;
      }
      if (ch < ' ') this.fail('control character in string; escape it');
      if (ch !== '\\') {
        out += ch;
        this.pos++;
        continue;
      }
      const escape = this.text[this.pos + 1];
      if (escape === 'u') {
        const hex = this.text.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape in string');
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 6;
        continue;
      }
      const decoded = escape === undefined ? undefined : ESCAPES[escape];
      if (decoded === undefined) this.fail(`invalid escape \\${escape ?? ''} in string`);
      out += decoded;
      this.pos += 2;
    }
  }

  private number(): JsonNumber {
    const offset = this.pos;
    NUMBER.lastIndex = offset;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail('invalid number');
    const text = match[0];
    this.pos += text.length;
    return { kind: 'number', text, isIntegral: match[2] === undefined && match[3] === undefined, offset };
  }
}

export function parseJson(text: string): JsonParseResult {
  const reader = new Reader(text);
  try {
    const value = reader.document();
    return { ok: true, value };
  } catch (error) {
    if (error instanceof JsonSyntaxFailure) return { ok: false, error: { message: error.message, offset: error.offset } };
    throw error;
  }
}

/** The member's value; the last one wins on duplicate keys, as in Jackson. */
export function memberValue(object: JsonObject, key: string): JsonNode | undefined {
  for (let i = object.members.length - 1; i >= 0; i--) {
    const member = object.members[i];
    if (member?.key === key) return member.value;
  }
  return undefined;
}

/** Member names in first-seen order, each once. */
export function memberKeys(object: JsonObject): string[] {
  return [...new Set(object.members.map((m) => m.key))];
}

/** Compact JSON text; numbers keep their literal form. */
export function jsonText(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return `{${memberKeys(node)
        .map((key) => `${JSON.stringify(key)}:${jsonText(memberValue(node, key) as JsonNode)}`)
        .join(',')}}`;
    case 'array':
      return `[${node.items.map(jsonText).join(',')}]`;
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
      return node.text;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
  }
}

export function jsonKindName(node: JsonNode): string {
  return node.kind === 'object' ? 'an object' : node.kind === 'array' ? 'an array' : `a ${node.kind}`;
}

/** Maps offsets to 1-based line and column, built once per text. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.lineStarts[low] ?? 0) + 1 };
  }
}
