import type { CommandContext } from '../../cli/context.js';
import type { CommandRun, ParsedOptions } from '../../cli/spec.js';
import type { ReadRecords, TopicFetcher } from '../../adapters/kafka/fetcher.js';
import type { DecodedPayload, PayloadDecoder } from '../../adapters/serde/detect.js';
import type { ConnectionSettings } from '../../core/config/settings.js';
import { ExitCode, OperationError, UsageError } from '../../core/errors.js';
import { DECODED_FIELDS, offsetClampNotes, parsePointInTime, parseTemplate, resolvePosition, type Position } from '../../core/messages/index.js';
import type { RecordTable } from '../../core/messages/recordBatch.js';
import { payloadText, renderTailSummary, TailFormatter, type TailRecord } from '../../render/messages.js';
import { compileTemplate, TailWriter, type TailStream } from '../../render/tailWriter.js';
import type { TAIL_OPTIONS } from './commands.js';
import { exclusive } from './options.js';
import { topicContext } from './valueSchema.js';

/** A DLQ sibling by the naming topics.yaml uses (<topic>.dlq, <topic>.dlq.validation_error, ...). */
const DLQ_NAME = /(^|[._-])dlq([._-]|$)/;
export const run: CommandRun<ParsedOptions<typeof TAIL_OPTIONS>> = async (ctx, args, options) => {
  const topic = args[0]!;
  // Ctrl-C (or SIGTERM) is how a follow ends: stop reading, close the JSON array, print the summary.
  ctx.handlesInterrupt = true;
  const startFlag = exclusive(options, { fromBeginning: '--from-beginning', offset: '--offset', since: '--since' });
  const group = options.group;
  if (group !== undefined && (startFlag === 'offset' || startFlag === 'since')) {
    throw new UsageError(`--${startFlag} cannot be used with --group: a group reads from its committed offsets`, { hint: 'move the group with "iotmsg groups reset-offsets"' });
  }
  const max = options.max;
  const onlyPartition = options.partition;
  const grep = regexOption(options.grep);
  const stdout = ctx.out.options.terminal.stdout as unknown as TailStream;
  const output = options.output ?? (stdout.isTTY === true ? 'table' : 'ndjson');
  const templateText = options.format;
  // kcat users end templates with \n; one without a line break gets one, so lines do not run together.
  const pieces = templateText === undefined ? undefined : parseTemplate(templateText.includes('\\n') ? templateText : `${templateText}\\n`);
  const template = pieces && compileTemplate(pieces, topic);
  // A template of raw fields only (kcat's '%s') is written from the bytes: nothing is decoded.
  const decodes = !pieces || grep !== undefined || pieces.some((p) => 'field' in p && DECODED_FIELDS.has(p.field));
  const { spec } = await topicContext(ctx, topic);
  const formatter = new TailFormatter(output, ctx.out.style, spec?.dlqOf !== undefined || DLQ_NAME.test(topic));

  const session = await ctx.kafka();
  const { assertTopicExists, topicBounds } = await import('../../adapters/kafka/consumer.js');
  await assertTopicExists(session, topic);
  let fetcher: TopicFetcher | undefined;
  if (group === undefined) {
    const { TopicFetcher } = await import('../../adapters/kafka/fetcher.js');
    const opened = (fetcher = await TopicFetcher.open(session, topic));
    ctx.onClose(() => opened.close());
  }
  const bounds = fetcher ? await fetcher.bounds() : await topicBounds(session, topic);
  if (onlyPartition !== undefined && !bounds.some((b) => b.partition === onlyPartition)) {
    throw new UsageError(`topic "${topic}" has no partition ${onlyPartition}`, { hint: `its partitions are 0 to ${bounds.length - 1}` });
  }
  const partitions = bounds.filter((b) => onlyPartition === undefined || b.partition === onlyPartition);

  let start: Map<number, number>;
  if (fetcher) {
    const reader = fetcher;
    const position = await startPosition(ctx, startFlag, options.offset, options.since, (ms) => reader.offsetsAtTime(ms));
    if (position.kind === 'offset') for (const note of offsetClampNotes('--offset', position.offset, partitions)) ctx.out.info(note);
    start = new Map(partitions.map((b) => [b.partition, resolvePosition(position, b)]));
  } else {
    // A group resumes where it committed; where it has not, where a new consumer of it would start.
    const { ConsumerGroups } = await import('../../adapters/kafka/groups.js');
    const committed = (await new ConsumerGroups(session).committed(group!, [topic])).get(topic);
    start = new Map(partitions.map((b) => [b.partition, committed?.get(b.partition) ?? (startFlag === 'fromBeginning' ? b.low : b.high)]));
  }

  const decoder = decodes ? await payloadDecoder(ctx, session.settings) : undefined;
  const writer = new TailWriter(stdout);
  const signal = AbortSignal.any([ctx.signal, writer.closed]);
  const started = performance.now();
  let shown = 0;
  let read = 0;
  const onRecords = async ({ partition, table }: ReadRecords): Promise<{ used: number; more: boolean }> => {
    if (decoder) await decoder.prepare(keysAndValues(table));
    let used = 0;
    for (let i = 0; i < table.count; i++) {
      if (max !== undefined && shown >= max) break;
      used++;
      read++;
      if (!decoder) {
        template!(writer, table, i, partition, undefined);
      } else {
        const record = decode(decoder, topic, partition, table, i);
        const headers = Object.entries(record.headers);
        if (grep && !grep.test(`${payloadText(record.key)}\n${payloadText(record.value)}\n${headers.flat().join('\n')}`)) continue;
        if (template) {
          const text = { key: payloadText(record.key), value: payloadText(record.value), headers: headers.map(([k, v]) => `${k}=${v}`).join(',') };
          template(writer, table, i, partition, text);
        } else {
          writer.text(formatter.record(record));
        }
      }
      shown++;
      if (writer.full) await writer.flush();
    }
    return { used, more: (max === undefined || shown < max) && !signal.aborted };
  };
  const endOffsets = options.exitAtEnd === true ? new Map(partitions.map((b) => [b.partition, b.high])) : undefined;
  if (fetcher) {
    await fetcher.read({
      start,
      endOffsets,
      signal,
      onRecords: async (records) => (await onRecords(records)).more,
      onIdle: () => writer.flush(),
      onNotice: (text) => ctx.out.warn(text),
    });
  } else {
    const { readAsGroup } = await import('../../adapters/kafka/consumer.js');
    await readAsGroup(session, {
      topic,
      partitions: partitions.map((b) => b.partition),
      start,
      group: { id: group!, fromBeginning: startFlag === 'fromBeginning' },
      endOffsets,
      signal,
      onRecords: async (records) => {
        const answer = await onRecords(records);
        await writer.flush();
        return answer;
      },
    });
  }
  writer.text(formatter.end(template !== undefined));
  await writer.flush();
  if (writer.error) throw new OperationError(`cannot write the messages to stdout: ${writer.error.message}`);
  // The reader went away (`| head`): that is how a pipe ends, nothing to say.
  if (writer.closed.aborted) return ExitCode.ok;
  ctx.out.info(
    renderTailSummary({ topic, shown, read, partitions: partitions.length, seconds: (performance.now() - started) / 1000, interrupted: ctx.signal.aborted }),
  );
  return ExitCode.ok;
};

async function payloadDecoder(ctx: CommandContext, settings: ConnectionSettings): Promise<PayloadDecoder> {
  const { SchemaRegistryLookup } = await import('../../adapters/serde/registry.js');
  const { PayloadDecoder } = await import('../../adapters/serde/detect.js');
  return new PayloadDecoder(new SchemaRegistryLookup(settings.schemaRegistry, settings.timeoutMs), (m) => ctx.out.warn(m));
}

function* keysAndValues(table: RecordTable): Generator<{ key: Buffer | null; value: Buffer | null }> {
  for (let i = 0; i < table.count; i++) yield { key: table.key(i), value: table.value(i) };
}

function regexOption(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern, 'm');
  } catch (error) {
    throw new UsageError(`--grep "${pattern}" is not a regular expression: ${(error as Error).message}`);
  }
}

async function startPosition(
  ctx: CommandContext,
  flag: string | undefined,
  offset: number | undefined,
  since: string | undefined,
  atTime: (ms: number) => Promise<Map<number, number>>,
): Promise<Position> {
  switch (flag) {
    case 'fromBeginning':
      return { kind: 'earliest' };
    case 'offset':
      return { kind: 'offset', offset: offset! };
    case 'since': {
      const timestampMs = parsePointInTime(String(since), Date.now(), '--since');
      return { kind: 'timestamp', timestampMs, offsets: await atTime(timestampMs) };
    }
    default:
      ctx.out.debug('starting at the end of each partition: only new messages are shown');
      return { kind: 'latest' };
  }
}

function decode(decoder: PayloadDecoder, topic: string, partition: number, table: RecordTable, i: number): TailRecord {
  const key: DecodedPayload = decoder.decode(table.key(i), { json: false });
  const value: DecodedPayload = decoder.decode(table.value(i), { json: true });
  const headers: Record<string, string> = {};
  for (const [name, data] of table.headers(i)) headers[name] = decoder.headerText(data);
  const record: TailRecord = {
    topic,
    partition,
    offset: String(table.offsets[i]),
    timestamp: new Date(table.timestamps[i]!).toISOString(),
    key: key.value,
    keyFormat: key.format,
    headers,
    value: value.value,
    valueFormat: value.format,
    ...(value.schemaId !== undefined ? { schemaId: value.schemaId } : {}),
  };
  return record;
}
