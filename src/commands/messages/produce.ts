import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandContext } from '../../cli/context.js';
import type { CommandRun, ParsedOptions } from '../../cli/spec.js';
import { SendFailure, type EncodedBatch, type TopicProducer, type OutgoingMessage } from '../../adapters/kafka/producer.js';
import type { ProduceFormat, ValueEncoder } from '../../adapters/serde/codecs.js';
import type { GeneratorSetup, GeneratorThread } from '../../adapters/serde/generatedBatches.js';
import type { KafkaSession } from '../../adapters/kafka/session.js';
import type { ConnectionSettings } from '../../core/config/settings.js';
import type { TopicSpec } from '../../core/topics/index.js';
import type { RecordHeader } from '../../core/messages/produceProtocol.js';
import { frameInput, parseDelimiter, type FramedInput, type InputFraming } from '../../core/messages/inputFraming.js';
import type { EncodeResult } from '../../adapters/serde/avro.js';
import { AuthError, ExitCode, InputError, InterruptedError, OperationError, UsageError, type IotmsgError } from '../../core/errors.js';
import { renderProduceReport, type ProduceReport } from '../../render/messages.js';
import { readInputValues, type InputValue } from './input.js';
import type { PRODUCE_OPTIONS } from './commands.js';
import { exclusive } from './options.js';
import { localSchema, registeredLocalSchema, registrySchema, topicContext, valueSubject, type ValueSchema } from './valueSchema.js';

/** Up to this many messages the report lists each one's partition and offset. */
const LIST_LIMIT = 100;
// Half-megabyte batches: the broker works per partition batch, and its CPU for a million
// messages measured about half that with 256 KB ones; larger ones were no faster and held more
// memory. A batch closes at 480 KB of records so that the request stays under 512 KB: KafkaJS
// frames each request in buffers of the next power of two, and 1 MB ones cost twice as much.
const BATCH_MESSAGES = 2_500;
const BATCH_BYTES = 480 * 1024;
/** Generated batches ready ahead of the sender: enough to keep it busy, few enough to bound memory. */
const CHUNKS_AHEAD = 4;

interface ProduceSettings {
  topic: string;
  key: Buffer | null;
  /** Encoded once, shared by every message. */
  headers: RecordHeader[];
  partition: number | undefined;
  rate: number | undefined;
}

type ProduceOptions = ParsedOptions<typeof PRODUCE_OPTIONS>;

/** Repeated names are kept, in order, as Kafka headers allow. */
function parseHeaders(list: readonly string[] = []): RecordHeader[] {
  return list.map((item) => {
    const at = item.indexOf('=');
    if (at <= 0) throw new UsageError(`--header "${item}" is not name=value`, { hint: 'e.g. --header source=gateway-7' });
    return { key: Buffer.from(item.slice(0, at), 'utf8'), value: Buffer.from(item.slice(at + 1), 'utf8') };
  });
}

export const run: CommandRun<ProduceOptions> = async (ctx, args, options) => {
  const topic = args[0]!;
  // Ctrl-C stops between batches and reports what was written.
  ctx.handlesInterrupt = true;
  const { generate, rate } = options;
  if (generate !== undefined) exclusive(options, { generate: '--generate', value: '--value', input: '--input', keyDelimiter: '--key-delimiter', envelope: '--envelope' });
  const framing = inputFraming(options);
  const settings: ProduceSettings = {
    topic,
    key: options.key === undefined ? null : Buffer.from(options.key, 'utf8'),
    headers: parseHeaders(options.header),
    partition: options.partition,
    rate,
  };

  const { spec, projectDir } = await topicContext(ctx, topic);
  const schemaPath = options.schema;
  const format: ProduceFormat = options.format ?? (schemaPath !== undefined || options.subject !== undefined || spec?.valueSchema ? 'avro' : 'string');
  if (generate !== undefined && format === 'bytes') throw new UsageError('--generate writes avro, json or string values, not bytes', { hint: 'drop --format bytes' });
  // All input is read (and below, checked) before anything is sent: a bad line must not leave half a file written.
  const inputs = generate === undefined ? await readInputValues(ctx, options.value, options.input) : [];

  const generator = generate === undefined ? undefined : await loadGenerator(ctx);
  // The schema lookups and the cluster connection are round trips to two servers: made side by
  // side, the registry's first, so that its answer is on its way while KafkaJS loads.
  const { settings: connection } = await ctx.settings();
  const schemaLookup = valueSchema(ctx, connection, { topic, spec, projectDir, format, schemaPath, subject: options.subject });
  schemaLookup.catch(() => {}); // awaited below: a failure to reach the topic is reported first
  const producer = await ctx.kafka().then((session) => openProducer(ctx, session, topic, options));
  const schema = await schemaLookup;
  if (settings.partition !== undefined && settings.partition >= producer.partitionCount) {
    throw new UsageError(`topic "${topic}" has no partition ${settings.partition}`, { hint: `its partitions are 0 to ${producer.partitionCount - 1}` });
  }
  if (generate !== undefined && !schema) {
    throw new UsageError(`--generate needs a schema for topic "${topic}"`, { hint: 'pass --schema <file.avsc>, or give the topic a valueSchema in topics.yaml' });
  }
  const encoded =
    generate === undefined
      ? encodeInputs(ctx, inputs, settings, { encoder: await createEncoder(format, schema), framing, partitionCount: producer.partitionCount, against: schema?.source ?? `--format ${format}` })
      : [];
  generator?.start(generatorSetup(ctx, schema!, format, settings, producer.partitionCount, generate!, options));

  const requested = generate ?? inputs.length;
  const batches = generator ? generator.batches() : encodedChunks(producer, encoded, batchLimit(rate));
  const { report, denied } = await send(ctx, producer, batches, { settings, format, schema, requested });
  await ctx.out.result(report, renderProduceReport);
  // An ACL refusal keeps its own words and exit code (77), with what was and was not written.
  if (denied) {
    const unwritten = `${report.failed} of ${requested} message(s) were not written`;
    throw new AuthError(denied.message, { hint: denied.hint === undefined ? unwritten : `${unwritten}; ${denied.hint}` });
  }
  if (report.failed > 0) {
    throw new OperationError(`${report.failed} of ${requested} message(s) were not acknowledged${report.error ? `: ${report.error}` : ''}`, {
      // Batches are pipelined: the acknowledged ones need not be the first ones.
      hint: report.acknowledged > 0 ? `${report.acknowledged} were acknowledged and stay written; a re-run writes them again` : 'nothing was written',
    });
  }
  return ExitCode.ok;
};

async function createEncoder(format: ProduceFormat, schema: ValueSchema | undefined): Promise<ValueEncoder> {
  const { createValueEncoder } = await import('../../adapters/serde/codecs.js');
  if (format !== 'avro') return createValueEncoder(format, { schema: schema?.model });
  const { AvroWireEncoder } = await import('../../adapters/serde/avro.js');
  return createValueEncoder('avro', { avro: await AvroWireEncoder.create(schema!.id!, schema!.text, schema!.model) });
}

/** -K or --envelope: keys (and headers, partitions) from each line of input. */
function inputFraming(options: ProduceOptions): InputFraming {
  const framing = exclusive(options, { keyDelimiter: '--key-delimiter', envelope: '--envelope' });
  if (framing === undefined) return { kind: 'line' };
  const flag = framing === 'envelope' ? '--envelope' : '--key-delimiter';
  if (options.value !== undefined) throw new UsageError(`${flag} reads each line of input, and --value is one value`, { hint: 'give the lines with --input <file> or on stdin' });
  if (framing === 'envelope') return { kind: 'envelope' };
  const delimiter = parseDelimiter(options.keyDelimiter!);
  if (delimiter === undefined) throw new UsageError('--key-delimiter is empty', { hint: "e.g. -K : or -K '\\t'" });
  return { kind: 'keyed', delimiter };
}

function encodeValue(encoder: ValueEncoder, input: InputValue, value: FramedInput['value']): EncodeResult | { ok: true; bytes: null } {
  if (value === null) return { ok: true, bytes: null };
  if ('json' in value) return encoder.fromValue(value.json);
  return input.raw && encoder.format === 'bytes' ? { ok: true, bytes: input.raw } : encoder.fromText(value.text);
}

interface EncodeTarget {
  encoder: ValueEncoder;
  framing: InputFraming;
  partitionCount: number;
  /** What values are checked against, for the hint. */
  against: string;
}

/**
 * Frames and encodes every input first, and refuses all of it, listing each problem, if any
 * line is not what the framing says or any value does not fit. Flags win over a line's own
 * key and partition; its headers follow those of -H.
 */
function encodeInputs(ctx: CommandContext, inputs: readonly InputValue[], settings: ProduceSettings, target: EncodeTarget): OutgoingMessage[] {
  const messages: OutgoingMessage[] = [];
  const problems: string[] = [];
  let badMessages = 0;
  let badValues = 0;
  for (const input of inputs) {
    const framed = frameInput(input.text, target.framing);
    if (!framed.ok) {
      badMessages++;
      problems.push(`${input.where}: ${framed.problem}`);
      continue;
    }
    const { key, value, headers, partition: ownPartition } = framed.input;
    const partition = settings.partition ?? ownPartition;
    const encoded = encodeValue(target.encoder, input, value);
    if (!encoded.ok) {
      badMessages++;
      badValues++;
      problems.push(...encoded.problems.map((p) => `${input.where}: ${p.path}: ${p.message}`));
    } else if (partition !== undefined && partition >= target.partitionCount) {
      badMessages++;
      problems.push(`${input.where}: topic "${settings.topic}" has no partition ${partition} (its partitions are 0 to ${target.partitionCount - 1})`);
    } else {
      messages.push({ key: settings.key ?? key ?? null, value: encoded.bytes, headers: headers.length > 0 ? [...settings.headers, ...headers] : settings.headers, partition });
    }
  }
  if (problems.length > 0) {
    for (const problem of problems.slice(1, 20)) ctx.out.info(`  ${problem}`);
    const why = badValues === badMessages ? `do not fit ${target.against}` : 'cannot be written as given';
    throw new InputError(problems[0]!, { hint: `${badMessages} of ${inputs.length} message(s) ${why}; nothing was sent` });
  }
  return messages;
}

/** With --rate, small batches (a tenth of a second's worth) keep the pace even. */
function batchLimit(rate: number | undefined): number {
  return rate === undefined ? BATCH_MESSAGES : Math.max(1, Math.min(BATCH_MESSAGES, Math.floor(rate / 10)));
}

function* encodedChunks(producer: TopicProducer, messages: Iterable<OutgoingMessage>, limit: number): Generator<EncodedBatch> {
  let batch: OutgoingMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    batch.push(m);
    bytes += m.value?.length ?? 0;
    if (batch.length >= limit || bytes >= BATCH_BYTES) {
      yield producer.encode(batch);
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) yield producer.encode(batch);
}

/** The thread that will draw and encode the messages: loading now, while schema and connection are on their way. */
async function loadGenerator(ctx: CommandContext): Promise<GeneratorThread> {
  const { GeneratorThread } = await import('../../adapters/serde/generatedBatches.js');
  const thread = new GeneratorThread();
  ctx.onClose(() => thread.close());
  return thread;
}

function generatorSetup(
  ctx: CommandContext,
  schema: ValueSchema,
  format: ProduceFormat,
  settings: ProduceSettings,
  partitionCount: number,
  count: number,
  options: ProduceOptions,
): GeneratorSetup {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  if (options.seed === undefined) ctx.out.info(`generating ${count} message(s) from ${schema.source} with --seed ${seed}`);
  return {
    format,
    schemaText: schema.text,
    schemaId: schema.id,
    seed,
    count,
    endMs: Date.now(),
    key: settings.key,
    headers: settings.headers,
    partition: settings.partition,
    partitionCount,
    maxMessages: batchLimit(settings.rate),
    maxBytes: BATCH_BYTES,
    chunksAhead: CHUNKS_AHEAD,
  };
}

interface SchemaQuery {
  topic: string;
  spec: TopicSpec | undefined;
  projectDir: string;
  format: ProduceFormat;
  schemaPath: string | undefined;
  subject: string | undefined;
}

/** Avro: the registry's schema (a local file registered first). Other formats: a local schema to check values against, if any. */
async function valueSchema(ctx: CommandContext, connection: ConnectionSettings, query: SchemaQuery): Promise<ValueSchema | undefined> {
  const { topic, spec, projectDir, format, schemaPath } = query;
  if (format === 'avro') {
    const { SchemaRegistryLookup } = await import('../../adapters/serde/registry.js');
    const registry = new SchemaRegistryLookup(connection.schemaRegistry, connection.timeoutMs);
    const subject = valueSubject(topic, spec, query.subject);
    return schemaPath !== undefined ? registeredLocalSchema(ctx, registry, schemaPath, subject) : registrySchema(registry, subject);
  }
  if (schemaPath !== undefined || spec?.valueSchema?.schema !== undefined) {
    return localSchema(schemaPath ?? spec!.valueSchema!.schema!, schemaPath !== undefined ? ctx.cwd : projectDir);
  }
  return undefined;
}

async function openProducer(ctx: CommandContext, session: KafkaSession, topic: string, options: ProduceOptions): Promise<TopicProducer> {
  const { assertTopicExists } = await import('../../adapters/kafka/consumer.js');
  await assertTopicExists(session, topic);
  const { TopicProducer } = await import('../../adapters/kafka/producer.js');
  const producer = await TopicProducer.open(session, topic, { idempotent: options.idempotence !== false });
  ctx.onClose(() => producer.close());
  return producer;
}

interface SendContext {
  settings: ProduceSettings;
  format: ProduceFormat;
  schema: ValueSchema | undefined;
  requested: number;
}

async function send(
  ctx: CommandContext,
  producer: TopicProducer,
  batches: Iterable<EncodedBatch> | AsyncIterable<EncodedBatch>,
  send: SendContext,
): Promise<{ report: ProduceReport; denied: IotmsgError | undefined }> {
  const { settings, requested } = send;
  const listed: ProduceReport['messages'] = requested <= LIST_LIMIT ? [] : undefined;
  const progress = requested > LIST_LIMIT ? ctx.out.progress(`writing ${requested} messages to ${settings.topic}`) : undefined;
  const started = performance.now();
  let acknowledged = 0;
  let queued = 0;
  let bytes = 0;
  const inFlight: Promise<void>[] = [];
  // Every send's failure is caught where it happens: with several in flight, any of them can
  // fail while the loop waits on another, and none may be left unhandled.
  const refusals = new Map<string, number>();
  let refused = 0;
  let denied: IotmsgError | undefined;
  let stopped: string | undefined;

  const deliver = async (batch: EncodedBatch) => {
    try {
      const deliveries = await producer.send(batch);
      acknowledged += batch.count;
      if (listed) listed.push(...deliveries());
      progress?.update(`written ${acknowledged} of ${requested} messages to ${settings.topic}`);
    } catch (failure) {
      const written = failure instanceof SendFailure ? failure.written : 0;
      acknowledged += written;
      refused += batch.count - written;
      const reason = failure instanceof Error ? failure.message : String(failure);
      refusals.set(reason, (refusals.get(reason) ?? 0) + batch.count);
      const cause = failure instanceof SendFailure ? failure.cause : failure;
      if (cause instanceof AuthError) denied ??= cause;
    }
  };
  try {
    for await (const batch of batches) {
      // The first refusal stops the run: what is in flight settles, nothing more is sent.
      if (ctx.signal.aborted || refused > 0) break;
      if (settings.rate !== undefined) {
        const due = started + (queued / settings.rate) * 1000 - performance.now();
        if (due > 0) await sleep(due, undefined, { signal: ctx.signal }).catch(() => {});
        if (ctx.signal.aborted) break;
      }
      queued += batch.count;
      bytes += batch.valueBytes;
      inFlight.push(deliver(batch));
      if (inFlight.length >= producer.maxInFlight) await inFlight.shift();
    }
  } catch (failure) {
    // The messages themselves could not be made (the generator failed).
    stopped = failure instanceof Error ? failure.message : String(failure);
  }
  await Promise.all(inFlight.splice(0));
  const error = failureReport(refusals, requested - acknowledged - refused, stopped);
  const durationMs = performance.now() - started;
  progress?.done();
  if (ctx.signal.aborted) {
    throw new InterruptedError(`interrupted: ${acknowledged} of ${requested} message(s) were written to ${settings.topic}`);
  }
  const report: ProduceReport = {
    topic: settings.topic,
    format: send.format,
    schema: send.schema && { source: send.schema.source, id: send.schema.id, subject: send.schema.subject, version: send.schema.version },
    requested,
    acknowledged,
    failed: requested - acknowledged,
    bytes,
    durationMs: Math.round(durationMs),
    messagesPerSecond: durationMs > 0 ? Math.round((acknowledged / durationMs) * 1000) : acknowledged,
    messages: listed,
    error,
  };
  return { report, denied };
}

/** Why messages were not acknowledged: the broker's reasons with their counts, then those never sent. */
function failureReport(refusals: ReadonlyMap<string, number>, unsent: number, stopped: string | undefined): string | undefined {
  const parts = [...refusals].map(([reason, count]) => `${count} refused (${reason})`);
  if (stopped !== undefined) parts.push(`stopped: ${stopped}`);
  if (unsent > 0 && parts.length > 0) parts.push(`${unsent} not sent after that`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}
