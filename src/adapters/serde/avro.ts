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

/** Writes values of one registered schema in the Confluent wire format. */
export class AvroWireEncoder {
  /** Values are written after the header in this scratch space, then copied out once. */
  private scratch = Buffer.alloc(64 * 1024);

  private constructor(
    private readonly model: AvroSchema,
    private readonly type: Type,
    schemaId: number,
  ) {
    this.scratch.writeUInt8(MAGIC_BYTE, 0);
    this.scratch.writeInt32BE(schemaId, 1);
  }

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
    if (!conformed.ok) return conformed;
    let end = this.type.encode(conformed.value, this.scratch, WIRE_HEADER_BYTES);
    if (end < 0) {
      // A negative end is how many bytes were missing: grow and write again.
      const grown = Buffer.alloc(Math.max(this.scratch.length - end, this.scratch.length * 2));
      this.scratch.copy(grown, 0, 0, WIRE_HEADER_BYTES);
      this.scratch = grown;
      end = this.type.encode(conformed.value, this.scratch, WIRE_HEADER_BYTES);
    }
    return { ok: true, bytes: Buffer.from(this.scratch.subarray(0, end)) };
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
