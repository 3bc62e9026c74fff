/**
 * Cursors for the Kafka protocol's big-endian fields, shared by the codecs of each API
 * (one small module per API, as KafkaJS's protocol/requests/<api>/vN are).
 */

export class ProtocolError extends Error {}

/** A cursor over a buffer sized in advance: every write fits. */
export class Writer {
  offset = 0;
  constructor(readonly buffer: Buffer) {}

  static sized(size: number): Writer {
    return new Writer(Buffer.allocUnsafe(size));
  }

  int8(value: number): void {
    this.buffer[this.offset++] = value & 0xff;
  }

  int16(value: number): void {
    this.offset = this.buffer.writeInt16BE(value, this.offset);
  }

  int32(value: number): void {
    this.offset = this.buffer.writeInt32BE(value, this.offset);
  }

  int64(value: bigint): void {
    this.offset = this.buffer.writeBigInt64BE(value, this.offset);
  }

  bytes(bytes: Uint8Array): void {
    this.buffer.set(bytes, this.offset);
    this.offset += bytes.length;
  }

  /** Non-flexible string: int16 length, then UTF-8. */
  string(value: string): void {
    const length = Buffer.byteLength(value, 'utf8');
    this.int16(length);
    this.offset += this.buffer.write(value, this.offset, length, 'utf8');
  }

  /** The finished bytes; the size given must have been exact. */
  done(): Buffer {
    if (this.offset !== this.buffer.length) throw new RangeError(`wrote ${this.offset} of ${this.buffer.length} bytes`);
    return this.buffer;
  }
}

/** Flexible versions' (KIP-482) unsigned varint, for building a request from parts. */
export function unsignedVarint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** Compact string: length + 1, then UTF-8. */
export function compactString(value: string): Buffer {
  const text = Buffer.from(value, 'utf8');
  return Buffer.concat([unsignedVarint(text.length + 1), text]);
}

/** Compact nullable string: 0 for null. */
export function compactNullableString(value: string | null): Buffer {
  return value === null ? unsignedVarint(0) : compactString(value);
}

/** Fixed-width fields, for building a request from parts. */
export function int8Bytes(value: number): Buffer {
  return Buffer.of(value & 0xff);
}

export function int32Bytes(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}

export function compactBytes(bytes: Uint8Array): Buffer {
  return Buffer.concat([unsignedVarint(bytes.length + 1), bytes]);
}

/** Compact array of encoded items; null (length 0) when `items` is null. */
export function compactArray(items: readonly Buffer[] | null): Buffer {
  return items === null ? unsignedVarint(0) : Buffer.concat([unsignedVarint(items.length + 1), ...items]);
}

export const NO_TAGGED_FIELDS = unsignedVarint(0);

/** The size a non-flexible string takes. */
export function stringSize(value: string): number {
  return 2 + Buffer.byteLength(value, 'utf8');
}

/** Reads a response front to back; a short or malformed buffer throws ProtocolError. */
export class Reader {
  offset = 0;
  constructor(readonly buffer: Buffer) {}

  private need(bytes: number): void {
    if (this.offset + bytes > this.buffer.length) throw new ProtocolError(`response ends after ${this.buffer.length} bytes`);
  }
  int8(): number {
    this.need(1);
    return this.buffer.readInt8(this.offset++);
  }
  int16(): number {
    this.need(2);
    const v = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  int32(): number {
    this.need(4);
    const v = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  /** As a number: offsets and timestamps stay below 2^53. */
  int64(): number {
    this.need(8);
    const v = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return Number(v);
  }
  bigint64(): bigint {
    this.need(8);
    const v = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }
  skip(bytes: number): void {
    this.need(bytes);
    this.offset += bytes;
  }
  /** Non-flexible nullable string: int16 length, -1 for null. */
  string(): string | undefined {
    const length = this.int16();
    if (length < 0) return undefined;
    this.need(length);
    const text = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return text;
  }
  /** Non-flexible nullable bytes (int32 length), as a view of the response's memory. */
  bytes(): Buffer | undefined {
    const length = this.int32();
    if (length < 0) return undefined;
    this.need(length);
    const bytes = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return bytes;
  }
  /** Non-flexible array: int32 count, -1 for null (read as empty). */
  array<T>(item: () => T): T[] {
    const length = this.int32();
    const items: T[] = [];
    for (let i = 0; i < length; i++) items.push(item());
    return items;
  }
  unsignedVarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      this.need(1);
      const byte = this.buffer[this.offset++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new ProtocolError('varint longer than 5 bytes');
  }
  /** Compact nullable string: length + 1, 0 for null. */
  compactString(): string | undefined {
    const length = this.unsignedVarint() - 1;
    if (length < 0) return undefined;
    this.need(length);
    const text = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return text;
  }
  compactArray<T>(item: () => T): T[] {
    const length = this.unsignedVarint() - 1;
    return Array.from({ length: Math.max(0, length) }, item);
  }
  taggedFields(): void {
    const count = this.unsignedVarint();
    for (let i = 0; i < count; i++) {
      this.unsignedVarint();
      this.skip(this.unsignedVarint());
    }
  }
}
