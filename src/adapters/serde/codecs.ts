import { conformValue, type ValueProblem } from '../../core/messages/index.js';
import type { AvroSchema } from '../../core/schemas/index.js';
import type { AvroWireEncoder, EncodeResult } from './avro.js';

export const PRODUCE_FORMATS = ['json', 'avro', 'string', 'bytes'] as const;
export type ProduceFormat = (typeof PRODUCE_FORMATS)[number];

/**
 * Turns what a user gives `produce` into message bytes, or into problems with their field
 * paths. Text comes from --value or a line of input; values come from the generator.
 */
export interface ValueEncoder {
  readonly format: ProduceFormat;
  fromText(text: string): EncodeResult;
  fromValue(value: unknown): EncodeResult;
}

const problem = (message: string): EncodeResult => ({ ok: false, problems: [{ path: '$', message }] });

function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; problems: ValueProblem[] } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, problems: [{ path: '$', message: `not valid JSON: ${(error as Error).message}` }] };
  }
}

class JsonEncoder implements ValueEncoder {
  readonly format = 'json';
  /** With a schema, JSON values are checked against it as Avro ones are. */
  constructor(private readonly schema: AvroSchema | undefined) {}

  fromText(text: string): EncodeResult {
    const parsed = parseJsonText(text);
    if (!parsed.ok) return parsed;
    const checked = this.check(parsed.value);
    // The user's own text is sent, formatting and number literals as written.
    return checked ?? { ok: true, bytes: Buffer.from(text.trim(), 'utf8') };
  }

  fromValue(value: unknown): EncodeResult {
    return this.check(value) ?? { ok: true, bytes: Buffer.from(JSON.stringify(value), 'utf8') };
  }

  private check(value: unknown): EncodeResult | undefined {
    if (!this.schema) return undefined;
    const conformed = conformValue(this.schema, value);
    return conformed.ok ? undefined : conformed;
  }
}

class AvroEncoder implements ValueEncoder {
  readonly format = 'avro';
  constructor(private readonly wire: AvroWireEncoder) {}

  fromText(text: string): EncodeResult {
    const parsed = parseJsonText(text);
    return parsed.ok ? this.wire.encode(parsed.value) : parsed;
  }

  fromValue(value: unknown): EncodeResult {
    return this.wire.encode(value);
  }
}

class StringEncoder implements ValueEncoder {
  readonly format = 'string';
  fromText(text: string): EncodeResult {
    return { ok: true, bytes: Buffer.from(text, 'utf8') };
  }
  fromValue(value: unknown): EncodeResult {
    return this.fromText(typeof value === 'string' ? value : JSON.stringify(value));
  }
}

/** Bytes written as hex digits (whitespace allowed), the way `tail` shows binary values. */
class BytesEncoder implements ValueEncoder {
  readonly format = 'bytes';
  fromText(text: string): EncodeResult {
    const hex = text.replace(/\s+/g, '').replace(/^0x/i, '');
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return problem('--format bytes takes hex digits, e.g. 0a1b2c');
    return { ok: true, bytes: Buffer.from(hex, 'hex') };
  }
  fromValue(value: unknown): EncodeResult {
    return typeof value === 'string' ? this.fromText(value) : problem('--format bytes takes hex digits');
  }
}

export function createValueEncoder(format: ProduceFormat, options: { schema?: AvroSchema; avro?: AvroWireEncoder }): ValueEncoder {
  switch (format) {
    case 'json':
      return new JsonEncoder(options.schema);
    case 'string':
      return new StringEncoder();
    case 'bytes':
      return new BytesEncoder();
    case 'avro':
      if (!options.avro) throw new Error('an Avro encoder needs a registered schema');
      return new AvroEncoder(options.avro);
  }
}
