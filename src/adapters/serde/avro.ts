import type { Schema, Type } from 'avsc';
import { conformValue, type ValueProblem } from '../../core/messages/index.js';
import type { AvroSchema } from '../../core/schemas/index.js';

/** Confluent wire format: magic byte 0, the schema id as a big-endian int32, then the Avro body. */
export const MAGIC_BYTE = 0;
export const WIRE_HEADER_BYTES = 5;

export type EncodeResult = { ok: true; bytes: Buffer } | { ok: false; problems: ValueProblem[] };

type Avsc = typeof import('avsc');

async function loadAvsc(): Promise<Avsc> {
  const avsc = await import('avsc');
  return (avsc as { default?: Avsc }).default ?? avsc;
}

const asBuffer = (data: Uint8Array): Buffer => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/** Encoded values are cut from slabs this big: one allocation for hundreds of small values. */
const SLAB_BYTES = 64 * 1024;

/** Writes values of one registered schema in the Confluent wire format. */
export class AvroWireEncoder {
  /** Each value is written, header first, after the previous one and handed out as a view. */
  private slab = Buffer.allocUnsafe(SLAB_BYTES);
  private used = 0;

  private constructor(
    private readonly model: AvroSchema,
    private readonly type: Type,
    private readonly schemaId: number,
  ) {}

  /** `schemaText` is the registered JSON; `model` the same schema parsed by the schemas core. */
  static async create(schemaId: number, schemaText: string, model: AvroSchema): Promise<AvroWireEncoder> {
    const avsc = await loadAvsc();
    // Wrapped unions: conformValue names the branch of every union value explicitly.
    const type = avsc.Type.forSchema(JSON.parse(schemaText) as Schema, { wrapUnions: true });
    return new AvroWireEncoder(model, type, schemaId);
  }

  /** Checks the JSON value against the schema (every problem with its field path), then encodes it. */
  encode(value: unknown): EncodeResult {
    const conformed = conformValue(this.model, value, { bytes: asBuffer });
    return conformed.ok ? { ok: true, bytes: this.write(conformed.value) } : conformed;
  }

  private write(value: unknown): Buffer {
    const start = this.used;
    this.slab.writeUInt8(MAGIC_BYTE, start);
    this.slab.writeInt32BE(this.schemaId, start + 1);
    const end = this.type.encode(value, this.slab, start + WIRE_HEADER_BYTES);
    if (end >= 0) {
      const bytes = this.slab.subarray(start, end);
      this.used = end;
      if (this.slab.length - end < WIRE_HEADER_BYTES) this.newSlab(0);
      return bytes;
    }
    // A negative end is how many bytes were missing: on to a slab large enough for this value.
    this.newSlab(this.slab.length - start - end);
    return this.write(value);
  }

  private newSlab(atLeast: number): void {
    this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, 2 * atLeast));
    this.used = 0;
  }
}

/** Reads Avro bodies of one writer schema into JSON-friendly values. */
export class AvroBodyDecoder {
  private constructor(
    private readonly type: Type,
    private readonly hasBytes: boolean,
    private readonly showBytes: (data: Buffer) => string,
  ) {}

  /** `showBytes` renders bytes fields (e.g. a DLQ payload) as text or hex. */
  static async create(schemaText: string, showBytes: (data: Buffer) => string): Promise<AvroBodyDecoder> {
    const avsc = await loadAvsc();
    // Unions read unwrapped where that is unambiguous, which is how people write JSON.
    const type = avsc.Type.forSchema(JSON.parse(schemaText) as Schema, { wrapUnions: 'auto' });
    return new AvroBodyDecoder(type, /"(bytes|fixed)"/.test(schemaText), showBytes);
  }

  decode(body: Buffer): unknown {
    const value: unknown = this.type.fromBuffer(body);
    return this.hasBytes ? this.replaceBytes(value) : value;
  }

  private replaceBytes(value: unknown): unknown {
    if (Buffer.isBuffer(value)) return this.showBytes(value);
    if (Array.isArray(value)) return value.map((v) => this.replaceBytes(v));
    if (typeof value === 'object' && value !== null) {
      const result: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) result[k] = this.replaceBytes(v);
      return result;
    }
    return value;
  }
}
