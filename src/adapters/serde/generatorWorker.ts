/**
 * The thread behind `produce --generate`: draws synthetic messages and encodes them while the
 * main thread sends what it encoded before. Each chunk is one batch for the producer, its
 * values end to end in one buffer that is transferred, not copied, to the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { AvroSink, compileFittingWriter, generateMessages } from '../../core/messages/index.js';
import { parseSchemaText, type AvroSchema } from '../../core/schemas/index.js';
import { MAGIC_BYTE } from './avro.js';
import type { GeneratedChunk, GeneratorReport, GeneratorSetup } from './generatedBatches.js';

const port = parentPort!;

/** Appends one value, encoded, to the chunk. */
type Append = (value: unknown, sink: AvroSink) => void;

async function appender(setup: GeneratorSetup, model: AvroSchema): Promise<Append> {
  const write = setup.format === 'avro' ? compileFittingWriter(model) : undefined;
  if (write) {
    const schemaId = setup.schemaId!;
    return (value, sink) => {
      sink.byte(MAGIC_BYTE);
      sink.int32BE(schemaId);
      write(value, sink);
    };
  }
  // JSON and string values, and Avro whose unions a plain value cannot settle: the checked encoders.
  const { createValueEncoder } = await import('./codecs.js');
  const avro = setup.format === 'avro' ? await (await import('./avro.js')).AvroWireEncoder.create(setup.schemaId!, setup.schemaText, model) : undefined;
  const encoder = createValueEncoder(setup.format, { schema: model, avro });
  return (value, sink) => {
    const encoded = encoder.fromValue(value);
    if (!encoded.ok) throw new Error(`a generated value does not fit the schema: ${encoded.problems[0]?.path} ${encoded.problems[0]?.message}`);
    sink.bytes(encoded.bytes);
  };
}

/** Values end to end in a sink of the chunk's own, with where each ends and whose key it has. */
class ChunkBuilder {
  private sink: AvroSink;
  private ends: number[] = [];
  private keyIndexes: number[] = [];

  constructor(private readonly maxBytes: number) {
    this.sink = this.newSink();
  }

  get count(): number {
    return this.ends.length;
  }

  get bytes(): number {
    return this.sink.position;
  }

  add(keyIndex: number, value: unknown, append: Append): void {
    append(value, this.sink);
    this.ends.push(this.sink.position);
    this.keyIndexes.push(keyIndex);
  }

  take(newKeys: string[]): GeneratedChunk {
    const chunk: GeneratedChunk = { newKeys, data: this.sink.buffer.buffer as ArrayBuffer, ends: Uint32Array.from(this.ends), keyIndexes: Uint32Array.from(this.keyIndexes) };
    this.sink = this.newSink();
    this.ends = [];
    this.keyIndexes = [];
    return chunk;
  }

  /** A chunk closes at maxBytes, so one value seldom makes it grow. */
  private newSink(): AvroSink {
    return new AvroSink(this.maxBytes + 64 * 1024);
  }
}

async function main(): Promise<void> {
  // The thread starts before the schema is known, so that loading it costs the caller nothing.
  const setup = await new Promise<GeneratorSetup>((resolve) => port.once('message', resolve));
  const model = parseSchemaText(setup.schemaText, { validateDefaults: false }).schema?.schema;
  if (!model) throw new Error('the generator was given a schema it cannot parse');
  const append = await appender(setup, model);
  let credit = setup.chunksAhead;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    credit++;
    wake?.();
  });
  const keyIndex = new Map<string, number>();
  let newKeys: string[] = [];
  const chunk = new ChunkBuilder(setup.maxBytes);
  const post = async (): Promise<void> => {
    const taken = chunk.take(newKeys);
    newKeys = [];
    port.postMessage({ kind: 'chunk', chunk: taken } satisfies GeneratorReport, [taken.data, taken.ends.buffer as ArrayBuffer, taken.keyIndexes.buffer as ArrayBuffer]);
    credit--;
    // The main thread asks for more as it sends: memory stays bounded by the chunks ahead.
    while (credit <= 0) await new Promise<void>((resolve) => (wake = resolve));
  };
  for (const generated of generateMessages(model, { seed: setup.seed, count: setup.count, endMs: setup.endMs })) {
    let index = keyIndex.get(generated.key);
    if (index === undefined) {
      keyIndex.set(generated.key, (index = keyIndex.size));
      newKeys.push(generated.key);
    }
    chunk.add(index, generated.value, append);
    if (chunk.count >= setup.maxMessages || chunk.bytes >= setup.maxBytes) await post();
  }
  if (chunk.count > 0) await post();
  port.postMessage({ kind: 'done' } satisfies GeneratorReport);
}

main().catch((error: unknown) => {
  port.postMessage({ kind: 'error', message: error instanceof Error ? error.message : String(error) } satisfies GeneratorReport);
});
