/**
 * The thread behind `produce --generate`: draws synthetic messages and encodes them, as Kafka
 * records in a run per partition, while the main thread sends what it encoded before. Each
 * chunk is one batch for the producer, its runs end to end in one buffer that is transferred,
 * not copied, to the main thread, which only puts a header before each run.
 */
import { parentPort } from 'node:worker_threads';
import { ByteSink, compileFittingWriter, generateMessages } from '../../core/messages/index.js';
import { RecordRunWriter } from '../../core/messages/produceProtocol.js';
import { parseSchemaText, type AvroSchema } from '../../core/schemas/index.js';
import { partitionOfKey } from '../kafka/partitioner.js';
import type { Placement } from '../kafka/producer.js';
import { MAGIC_BYTE } from './avro.js';
import type { GeneratedChunk, GeneratorReport, GeneratorRequest, GeneratorSetup } from './generatedBatches.js';

const port = parentPort!;

/** Writes one value, encoded, into the sink. */
type WriteValue = (value: unknown, sink: ByteSink) => void;

async function valueWriter(setup: GeneratorSetup, model: AvroSchema): Promise<WriteValue> {
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

/** A device's key as written, and where it goes. */
interface KeyPlacement {
  index: number;
  bytes: Buffer;
  partition: number;
}

/**
 * Records in a run per partition, and each message's key index in the order drawn. The runs'
 * sinks stay for the whole run of the thread, and a chunk's memory is that of one the sender
 * gave back whenever there is one.
 */
class ChunkBuilder {
  private readonly runs: RecordRunWriter[] = [];
  private readonly spare: ArrayBuffer[] = [];
  private readonly keyIndexes: Uint32Array;
  count = 0;
  bytes = 0;
  private valueBytes = 0;
  /** The value being appended: `writeCurrent` writes it, without a closure per message. */
  private current: unknown;
  private readonly writeCurrent: (sink: ByteSink) => void;

  constructor(
    private readonly setup: GeneratorSetup,
    writeValue: WriteValue,
  ) {
    this.keyIndexes = new Uint32Array(setup.maxMessages);
    this.writeCurrent = (sink) => {
      const start = sink.position;
      writeValue(this.current, sink);
      this.valueBytes += sink.position - start;
    };
  }

  add(key: KeyPlacement, value: unknown): void {
    const partition = key.partition;
    let run = this.runs[partition];
    if (!run) this.runs[partition] = run = new RecordRunWriter(new ByteSink(64 * 1024));
    const before = run.sink.position;
    this.current = value;
    run.append(key.bytes, this.setup.headers, this.writeCurrent);
    this.bytes += run.sink.position - before;
    this.keyIndexes[this.count++] = key.index;
  }

  reuse(memory: ArrayBuffer): void {
    this.spare.push(memory);
  }

  take(newKeys: Placement[]): GeneratedChunk {
    const spare = this.spare.pop();
    // Room for a full chunk: a chunk closes once it reaches maxBytes, a record past it.
    const data = spare && spare.byteLength >= this.bytes ? new Uint8Array(spare) : new Uint8Array(Math.max(this.bytes, this.setup.maxBytes + 64 * 1024));
    const runs: GeneratedChunk['runs'] = [];
    let end = 0;
    this.runs.forEach((run, partition) => {
      if (run.count === 0) return;
      const { count, records } = run.run();
      data.set(records, end);
      end += records.length;
      runs.push({ partition, count, end });
      run.clear();
    });
    const chunk: GeneratedChunk = { newKeys, data: data.buffer, runs, keyIndexes: this.keyIndexes.slice(0, this.count), valueBytes: this.valueBytes };
    this.count = 0;
    this.bytes = 0;
    this.valueBytes = 0;
    return chunk;
  }
}

async function main(): Promise<void> {
  // The thread starts before the schema is known, so that loading it costs the caller nothing.
  const setup = await new Promise<GeneratorSetup>((resolve) => port.once('message', resolve));
  const model = parseSchemaText(setup.schemaText, { validateDefaults: false }).schema?.schema;
  if (!model) throw new Error('the generator was given a schema it cannot parse');
  const chunk = new ChunkBuilder(setup, await valueWriter(setup, model));
  let credit = setup.chunksAhead;
  let wake: (() => void) | undefined;
  port.on('message', (request: GeneratorRequest) => {
    chunk.reuse(request.reuse);
    credit++;
    wake?.();
  });
  const keys = new Map<string, KeyPlacement>();
  const fixedKey = setup.key === null ? undefined : Buffer.from(setup.key);
  let newKeys: Placement[] = [];
  const post = async (): Promise<void> => {
    const taken = chunk.take(newKeys);
    newKeys = [];
    port.postMessage({ kind: 'chunk', chunk: taken } satisfies GeneratorReport, [taken.data, taken.keyIndexes.buffer as ArrayBuffer]);
    credit--;
    // The main thread asks for more as it sends: memory stays bounded by the chunks ahead.
    while (credit <= 0) await new Promise<void>((resolve) => (wake = resolve));
  };
  for (const generated of generateMessages(model, { seed: setup.seed, count: setup.count, endMs: setup.endMs })) {
    let key = keys.get(generated.key);
    if (key === undefined) {
      // The device id is the key, unless --key gave every message the same one.
      const bytes = fixedKey ?? Buffer.from(generated.key, 'utf8');
      const partition = setup.partition ?? partitionOfKey(bytes, setup.partitionCount);
      keys.set(generated.key, (key = { index: keys.size, bytes, partition }));
      newKeys.push({ key: bytes.toString('utf8'), partition });
    }
    chunk.add(key, generated.value);
    if (chunk.count >= setup.maxMessages || chunk.bytes >= setup.maxBytes) await post();
  }
  if (chunk.count > 0) await post();
  port.postMessage({ kind: 'done' } satisfies GeneratorReport);
}

main().catch((error: unknown) => {
  port.postMessage({ kind: 'error', message: error instanceof Error ? error.message : String(error) } satisfies GeneratorReport);
});
