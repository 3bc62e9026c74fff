import { AvroBodyDecoder, MAGIC_BYTE, WIRE_HEADER_BYTES } from './avro.js';
import type { SchemaRegistryLookup } from './registry.js';

/** How `tail` read a key or value: what it was and what to show for it. */
export type PayloadFormat = 'avro' | 'json' | 'text' | 'hex' | 'null';

export interface DecodedPayload {
  format: PayloadFormat;
  /** JSON-friendly: parsed JSON, decoded Avro, a string of text, or hex digits. */
  value: unknown;
  schemaId?: number;
  /** Size on the wire in bytes. */
  size: number;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
// Control characters other than tab, newline and carriage return mean the data is binary.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const JSON_START = /^\s*[[{"\d-]|^\s*(true|false|null)\s*$/;

/** Text if the bytes are printable UTF-8, hex otherwise. */
export function bytesForDisplay(data: Buffer): { format: 'text' | 'hex'; value: string; size: number } {
  let text: string;
  try {
    text = UTF8.decode(data);
  } catch {
    return { format: 'hex', value: data.toString('hex'), size: data.length };
  }
  return CONTROL.test(text) ? { format: 'hex', value: data.toString('hex'), size: data.length } : { format: 'text', value: text, size: data.length };
}

const showBytes = (data: Buffer): string => bytesForDisplay(data).value;

/**
 * Decodes what `tail` reads without being told the format: Confluent Avro by its magic
 * byte and a schema id the registry knows, then JSON, then text, then hex. Decoders are
 * kept per schema id, so the registry is asked once per id however long `tail` runs.
 */
export class PayloadDecoder {
  /** undefined: the id could not be loaded; such values show as bytes for the rest of the run. */
  private readonly decoders = new Map<number, AvroBodyDecoder | undefined>();

  constructor(
    private readonly registry: SchemaRegistryLookup,
    private readonly onWarning: (message: string) => void,
  ) {}

  /** Loads the schemas of every Avro id among these keys and values, so that decoding them needs no waiting. */
  async prepare(messages: Iterable<{ key: Buffer | null; value: Buffer | null }>): Promise<void> {
    const missing = new Set<number>();
    const note = (data: Buffer | null) => {
      if (data !== null && data.length > WIRE_HEADER_BYTES && data[0] === MAGIC_BYTE && !this.decoders.has(data.readInt32BE(1))) missing.add(data.readInt32BE(1));
    };
    for (const { key, value } of messages) {
      note(key);
      note(value);
    }
    if (missing.size > 0) await Promise.all([...missing].map((id) => this.load(id)));
  }

  /** Decodes one payload; Avro ids not loaded by `prepare` show as bytes. */
  decode(data: Buffer | null, options: { json: boolean }): DecodedPayload {
    if (data === null) return { format: 'null', value: null, size: 0 };
    if (data.length > WIRE_HEADER_BYTES && data[0] === MAGIC_BYTE) {
      const schemaId = data.readInt32BE(1);
      const decoder = this.decoders.get(schemaId);
      if (decoder) {
        try {
          return { format: 'avro', value: decoder.decode(data.subarray(WIRE_HEADER_BYTES)), schemaId, size: data.length };
        } catch {
          // Not Avro of that schema after all: show the bytes as they are.
        }
      }
    }
    const shown = bytesForDisplay(data);
    if (options.json && shown.format === 'text' && JSON_START.test(shown.value)) {
      try {
        return { format: 'json', value: JSON.parse(shown.value) as unknown, size: data.length };
      } catch {
        // Text that only starts like JSON.
      }
    }
    return shown;
  }

  /** Header values are text as a rule; binary ones show as hex. */
  headerText(data: Buffer): string {
    return bytesForDisplay(data).value;
  }

  private async load(schemaId: number): Promise<void> {
    try {
      this.decoders.set(schemaId, await AvroBodyDecoder.create(await this.registry.schemaById(schemaId), showBytes));
    } catch (error) {
      this.decoders.set(schemaId, undefined);
      this.onWarning(`cannot decode Avro with schema id ${schemaId}: ${error instanceof Error ? error.message : String(error)}; showing those values as bytes`);
    }
  }
}
