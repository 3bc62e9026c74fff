import type { AvroSchema, RecordSchema } from '../schemas/index.js';

/**
 * Avro binary encoding of values that fit their schema by construction: the generator's, in
 * plain JSON form (unions unwrapped, bytes and fixed as one character per byte). Nothing is
 * checked, and values are written straight into a growing buffer. avsc measures every string
 * with Buffer.byteLength first, which costs more than the rest of a sensor reading together.
 */
export class AvroSink {
  buffer: Buffer;
  position = 0;

  /** The memory is the sink's own, never a slice of Node's pool: it can be handed to another thread. */
  constructor(capacity = 64 * 1024) {
    this.buffer = Buffer.allocUnsafeSlow(capacity);
  }

  /** Makes room for `bytes` more, keeping what is written. */
  reserve(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafeSlow(Math.max(2 * this.buffer.length, this.position + bytes));
    this.buffer.copy(larger, 0, 0, this.position);
    this.buffer = larger;
  }

  /** Zigzag varint; exact for every integer a JavaScript number holds exactly. */
  long(value: number): void {
    this.reserve(10);
    const buffer = this.buffer;
    if (value >= -0x40000000 && value < 0x40000000) {
      let zigzag = value >= 0 ? value << 1 : (~value << 1) | 1;
      while (zigzag > 0x7f) {
        buffer[this.position++] = (zigzag & 0x7f) | 0x80;
        zigzag >>>= 7;
      }
      buffer[this.position++] = zigzag;
      return;
    }
    let zigzag = value >= 0 ? value * 2 : -value * 2 - 1;
    while (zigzag >= 0x80) {
      buffer[this.position++] = (zigzag % 0x80) | 0x80;
      zigzag = Math.floor(zigzag / 0x80);
    }
    buffer[this.position++] = zigzag;
  }

  float(value: number): void {
    this.reserve(4);
    this.position = this.buffer.writeFloatLE(value, this.position);
  }

  double(value: number): void {
    this.reserve(8);
    this.position = this.buffer.writeDoubleLE(value, this.position);
  }

  /** UTF-8 with its length first. Short ASCII strings (nearly all) are copied a character at a time. */
  string(value: string): void {
    const length = value.length;
    if (length < 64) {
      // A length under 64 is one varint byte: write it, then the characters, while they are ASCII.
      this.reserve(1 + length);
      const buffer = this.buffer;
      const start = this.position;
      let at = start + 1;
      let i = 0;
      for (; i < length; i++) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) break;
        buffer[at++] = code;
      }
      if (i === length) {
        buffer[start] = length << 1;
        this.position = at;
        return;
      }
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    this.long(bytes);
    this.reserve(bytes);
    this.position += this.buffer.write(value, this.position, bytes, 'utf8');
  }

  /** Bytes and fixed in their JSON form: one character per byte. */
  latin1(value: string, withLength: boolean): void {
    if (withLength) this.long(value.length);
    this.reserve(value.length);
    this.position += this.buffer.write(value, this.position, value.length, 'latin1');
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.position++] = value;
  }

  int32BE(value: number): void {
    this.reserve(4);
    this.position = this.buffer.writeInt32BE(value, this.position);
  }

  bytes(value: Uint8Array): void {
    this.reserve(value.length);
    this.buffer.set(value, this.position);
    this.position += value.length;
  }
}

export type FittingWriter = (value: unknown, sink: AvroSink) => void;

/**
 * The writer for a schema, or undefined when a value alone cannot tell which branch of a
 * union it is (a union with more than one branch besides null): such values need the
 * checked encoder, which names the branch.
 */
export function compileFittingWriter(schema: AvroSchema): FittingWriter | undefined {
  try {
    return compile(schema, new Map());
  } catch (error) {
    if (error instanceof AmbiguousUnion) return undefined;
    throw error;
  }
}

class AmbiguousUnion extends Error {}

function compile(schema: AvroSchema, records: Map<RecordSchema, FittingWriter>): FittingWriter {
  switch (schema.type) {
    case 'null':
      return () => {};
    case 'boolean':
      return (value, sink) => sink.byte(value ? 1 : 0);
    case 'int':
    case 'long':
      return (value, sink) => sink.long(value as number);
    case 'float':
      return (value, sink) => sink.float(value as number);
    case 'double':
      return (value, sink) => sink.double(value as number);
    case 'string':
      return (value, sink) => sink.string(value as string);
    case 'bytes':
      return (value, sink) => sink.latin1(value as string, true);
    case 'fixed':
      return (value, sink) => sink.latin1(value as string, false);
    case 'enum': {
      const indexes = new Map(schema.symbols.map((symbol, i) => [symbol, i]));
      return (value, sink) => sink.long(indexes.get(value as string)!);
    }
    case 'array': {
      const item = compile(schema.items, records);
      return (value, sink) => {
        const items = value as unknown[];
        if (items.length > 0) {
          sink.long(items.length);
          for (const each of items) item(each, sink);
        }
        sink.long(0);
      };
    }
    case 'map': {
      const entry = compile(schema.values, records);
      return (value, sink) => {
        const keys = Object.keys(value as object);
        if (keys.length > 0) {
          sink.long(keys.length);
          for (const key of keys) {
            sink.string(key);
            entry((value as Record<string, unknown>)[key], sink);
          }
        }
        sink.long(0);
      };
    }
    case 'record':
      return record(schema, records);
    case 'union': {
      const present = schema.branches.findIndex((b) => b.type !== 'null');
      const absent = schema.branches.findIndex((b) => b.type === 'null');
      if (schema.branches.length > 2 || (schema.branches.length === 2 && absent < 0)) throw new AmbiguousUnion();
      if (present < 0) return (_value, sink) => sink.long(absent);
      const branch = compile(schema.branches[present]!, records);
      return (value, sink) => {
        if (value === null || value === undefined) sink.long(absent);
        else {
          sink.long(present);
          branch(value, sink);
        }
      };
    }
  }
}

/** Fields are compiled once per record type; a recursive record refers to its own writer. */
function record(schema: RecordSchema, records: Map<RecordSchema, FittingWriter>): FittingWriter {
  const known = records.get(schema);
  if (known) return known;
  // Parallel arrays and an index loop: this runs for every field of every message.
  const names = schema.fields.map((f) => f.name);
  const writers: FittingWriter[] = [];
  const writer: FittingWriter = (value, sink) => {
    const object = value as Record<string, unknown>;
    for (let i = 0; i < names.length; i++) writers[i]!(object[names[i]!], sink);
  };
  records.set(schema, writer);
  for (const field of schema.fields) writers.push(compile(field.schema, records));
  return writer;
}
