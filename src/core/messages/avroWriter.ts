import type { AvroSchema, RecordSchema } from '../schemas/index.js';
import type { ByteSink } from './byteSink.js';

/**
 * Avro binary encoding of values that fit their schema by construction: the generator's, in
 * plain JSON form (unions unwrapped, bytes and fixed as one character per byte). Nothing is
 * checked, and values are written straight into a growing buffer. avsc measures every string
 * with Buffer.byteLength first, which costs more than the rest of a sensor reading together.
 */
export type FittingWriter = (value: unknown, sink: ByteSink) => void;

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
      return keepingFrozen((value, sink) => {
        const items = value as unknown[];
        if (items.length > 0) {
          sink.long(items.length);
          for (const each of items) item(each, sink);
        }
        sink.long(0);
      });
    }
    case 'map': {
      const entry = compile(schema.values, records);
      return keepingFrozen((value, sink) => {
        const keys = Object.keys(value as object);
        if (keys.length > 0) {
          sink.long(keys.length);
          for (const key of keys) {
            sink.string(key);
            entry((value as Record<string, unknown>)[key], sink);
          }
        }
        sink.long(0);
      });
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
  const writer = keepingFrozen((value, sink) => {
    const object = value as Record<string, unknown>;
    for (let i = 0; i < names.length; i++) writers[i]!(object[names[i]!], sink);
  });
  records.set(schema, writer);
  for (const field of schema.fields) writers.push(compile(field.schema, records));
  return writer;
}

/**
 * A frozen object is written once and its bytes kept: the generator freezes what a device's
 * readings share (its location, its metadata), which is made once and never changed.
 */
function keepingFrozen(write: FittingWriter): FittingWriter {
  const kept = new WeakMap<object, Uint8Array>();
  return (value, sink) => {
    if (!Object.isFrozen(value)) return write(value, sink);
    const bytes = kept.get(value as object);
    if (bytes) return sink.bytes(bytes);
    const start = sink.position;
    write(value, sink);
    kept.set(value as object, new Uint8Array(sink.buffer.subarray(start, sink.position)));
  };
}
