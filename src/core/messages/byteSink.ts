/**
 * A growing buffer written front to back, in the encodings an Avro value and a Kafka record
 * share: zigzag varints, little-endian floats, length-prefixed strings.
 */
export class ByteSink {
  buffer: Buffer;
  position = 0;

  /** The memory is the sink's own, never a slice of Node's pool: it can be handed to another thread. */
  constructor(capacity = 64 * 1024) {
    this.buffer = Buffer.allocUnsafeSlow(capacity);
  }

  /** Makes room for `bytes` more after the position, keeping everything in the buffer (a record writer fills in before the position). */
  reserve(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafeSlow(Math.max(2 * this.buffer.length, this.position + bytes));
    this.buffer.copy(larger);
    this.buffer = larger;
  }

  /** Zigzag varint, as Avro writes int and long and Kafka record fields: exact for every integer a JavaScript number holds exactly. */
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
    // Beyond 31 bits (timestamps): bitwise AND still reads the low bits exactly, and dividing
    // out what it read is exact, where % and Math.floor on doubles are several times slower.
    let zigzag = value >= 0 ? value * 2 : -value * 2 - 1;
    while (zigzag >= 0x80) {
      const low = zigzag & 0x7f;
      buffer[this.position++] = low | 0x80;
      zigzag = (zigzag - low) / 0x80;
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
