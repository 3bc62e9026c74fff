import type { RecordTable } from '../core/messages/recordBatch.js';
import type { TemplateField, TemplatePiece } from '../core/messages/template.js';

/** What `tail` writes to: stdout, or a stream a test gives. */
export interface TailStream {
  isTTY?: boolean;
  write(chunk: Uint8Array, callback?: (error?: Error | null) => void): boolean;
  once(event: 'drain', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error & { code?: string }) => void): unknown;
  removeListener(event: 'drain', listener: () => void): unknown;
  /** Bytes the stream still holds: 0 once a write went out at once (a file, a pipe with room). */
  readonly writableLength?: number;
}

/** A chunk this large is handed to the stream at once: few system calls, bounded memory. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * `tail`'s output: bytes gathered into large chunks, each handed to the stream once full,
 * waiting when the stream is behind (back-pressure), so memory stays bounded however fast
 * the topic is read. A reader that went away (`| head`) closes it: `closed` aborts.
 */
export class TailWriter {
  private chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private position = 0;
  private readonly gone = new AbortController();
  private failure: Error | undefined;

  constructor(private readonly stream: TailStream) {
    stream.on('error', (error) => this.close(error));
  }

  /** Aborts once the reader went away (EPIPE) or the output cannot be written. */
  get closed(): AbortSignal {
    return this.gone.signal;
  }

  /** A failure to write other than a reader that went away: a full disk, a closed descriptor. */
  get error(): Error | undefined {
    return this.failure;
  }

  private close(error: Error & { code?: string }): void {
    if (error.code !== 'EPIPE') this.failure ??= error;
    this.gone.abort();
  }

  private room(bytes: number): void {
    if (this.position + bytes <= this.chunk.length) return;
    this.handOff();
    if (bytes > this.chunk.length) this.chunk = Buffer.allocUnsafeSlow(bytes);
  }

  text(text: string): void {
    this.room(text.length * 3);
    this.position += this.chunk.write(text, this.position, 'utf8');
  }

  /** Short ASCII text (numbers): a character at a time, no encoder call. */
  ascii(text: string): void {
    this.room(text.length);
    for (let i = 0; i < text.length; i++) this.chunk[this.position++] = text.charCodeAt(i);
  }

  bytes(source: Buffer, start: number, end: number): void {
    const length = end - start;
    this.room(length);
    const chunk = this.chunk;
    if (length < 64) {
      // Short values (most readings) are copied a byte at a time: no view object per record.
      let at = this.position;
      for (let i = start; i < end; i++) chunk[at++] = source[i]!;
      this.position = at;
    } else {
      this.position += source.copy(chunk, this.position, start, end);
    }
  }

  /** Whether a full chunk is waiting: the caller awaits `flush` before reading on. */
  get full(): boolean {
    return this.position >= CHUNK_BYTES / 2;
  }

  /** Hands what is gathered to the stream, and waits while the stream is behind. */
  async flush(): Promise<void> {
    if (this.handOff()) return;
    if (this.gone.signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.removeListener('drain', done);
        this.gone.signal.removeEventListener('abort', done);
        resolve();
      };
      this.stream.once('drain', done);
      this.gone.signal.addEventListener('abort', done, { once: true });
    });
  }

  /** True when the stream took the chunk without asking to wait. */
  private handOff(): boolean {
    if (this.position === 0 || this.gone.signal.aborted) {
      this.position = 0;
      return true;
    }
    const full = this.chunk;
    const taken = this.stream.write(full.subarray(0, this.position));
    this.position = 0;
    // A stream that still holds the chunk gets it to keep, and the next one is new memory;
    // one that wrote it at once (files, /dev/null) lets it be reused, so memory stays flat.
    if (this.stream.writableLength !== 0) this.chunk = Buffer.allocUnsafeSlow(full.length);
    return taken;
  }
}

/** A record's key, value and headers as text, for the fields that show them decoded. */
export interface DecodedText {
  key: string;
  value: string;
  headers: string;
}

type PieceWriter = (out: TailWriter, table: RecordTable, i: number, partition: number, decoded: DecodedText | undefined) => void;

const FIELD_WRITERS: Record<TemplateField, (topic: string) => PieceWriter> = {
  k: () => (out, _t, _i, _p, d) => out.text(d!.key),
  v: () => (out, _t, _i, _p, d) => out.text(d!.value),
  h: () => (out, _t, _i, _p, d) => out.text(d!.headers),
  s: () => (out, t, i) => {
    const start = t.valueStart[i]!;
    if (start >= 0) out.bytes(t.data, start, t.valueEnd[i]!);
  },
  p: () => (out, _t, _i, p) => out.ascii(String(p)),
  o: () => (out, t, i) => out.ascii(String(t.offsets[i])),
  t: (topic) => {
    const bytes = Buffer.from(topic, 'utf8');
    return (out) => out.bytes(bytes, 0, bytes.length);
  },
  T: () => (out, t, i) => out.ascii(String(t.timestamps[i])),
  K: () => (out, t, i) => out.ascii(String(t.keyStart[i]! < 0 ? 0 : t.keyEnd[i]! - t.keyStart[i]!)),
  S: () => (out, t, i) => out.ascii(String(t.valueStart[i]! < 0 ? 0 : t.valueEnd[i]! - t.valueStart[i]!)),
};

/** A template's pieces, compiled once into one writer per piece. */
export function compileTemplate(pieces: readonly TemplatePiece[], topic: string): PieceWriter {
  const writers = pieces.map((piece): PieceWriter => {
    if ('field' in piece) return FIELD_WRITERS[piece.field](topic);
    const bytes = Buffer.from(piece.literal, 'utf8');
    return (out) => out.bytes(bytes, 0, bytes.length);
  });
  return (out, t, i, p, d) => {
    for (const write of writers) write(out, t, i, p, d);
  };
}
