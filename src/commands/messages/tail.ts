import type { CommandContext } from '../../cli/context.js';
import type { CommandRun } from '../../cli/spec.js';
import type { ConsumedMessage } from '../../adapters/kafka/consumer.js';
import type { DecodedPayload, PayloadDecoder } from '../../adapters/serde/detect.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { compileTemplate, parsePointInTime, resolvePosition, type Position } from '../../core/messages/index.js';
import { payloadText, renderTailSummary, TailFormatter, type TailOutput, type TailRecord } from '../../render/messages.js';
import { exclusive, integerOption, stringOption } from './options.js';
import { topicContext } from './valueSchema.js';

/** A DLQ sibling by the naming topics.yaml uses (<topic>.dlq, <topic>.dlq.validation_error, ...). */
const DLQ_NAME = /(^|[._-])dlq([._-]|$)/;
const WRITE_SLICE = 64 * 1024;

interface WritableStdout {
  isTTY?: boolean;
  write(chunk: string): boolean;
  once?(event: 'drain', listener: () => void): unknown;
  on?(event: 'error', listener: (error: Error) => void): unknown;
}

export const run: CommandRun = async (ctx, args, options) => {
  const topic = args[0]!;
  // Ctrl-C is how a follow ends: stop reading, close the JSON array, print the summary.
  ctx.handlesInterrupt = true;
  const startFlag = exclusive(options, { fromBeginning: '--from-beginning', offset: '--offset', since: '--since' });
  const group = stringOption(options, 'group');
  if (group !== undefined && (startFlag === 'offset' || startFlag === 'since')) {
    throw new UsageError(`--${startFlag} cannot be used with --group: a group reads from its committed offsets`, { hint: 'move the group with "iotmsg groups reset-offsets"' });
  }
  const max = integerOption(options, 'max', '--max', 1);
  const onlyPartition = integerOption(options, 'partition', '--partition', 0);
  const grep = regexOption(stringOption(options, 'grep'));
  const stdout = ctx.out.options.terminal.stdout as WritableStdout;
  const output = (stringOption(options, 'output') ?? (stdout.isTTY === true ? 'table' : 'ndjson')) as TailOutput;
  const template = stringOption(options, 'format');
  const { spec } = await topicContext(ctx, topic);
  const formatter = new TailFormatter(output, ctx.out.style, template === undefined ? undefined : templateFormatter(template), spec?.dlqOf !== undefined || DLQ_NAME.test(topic));

  const session = await ctx.kafka();
  const { assertTopicExists, offsetsAtTime, readTopic, topicBounds } = await import('../../adapters/kafka/consumer.js');
  await assertTopicExists(session, topic);
  const bounds = await topicBounds(session, topic);
  if (onlyPartition !== undefined && !bounds.some((b) => b.partition === onlyPartition)) {
    throw new UsageError(`topic "${topic}" has no partition ${onlyPartition}`, { hint: `its partitions are 0 to ${bounds.length - 1}` });
  }
  const partitions = bounds.filter((b) => onlyPartition === undefined || b.partition === onlyPartition);

  let start: Map<number, number>;
  if (group === undefined) {
    const position = await startPosition(ctx, startFlag, options.offset, options.since, (ms) => offsetsAtTime(session, topic, ms));
    start = new Map(partitions.map((b) => [b.partition, resolvePosition(position, b)]));
  } else {
    // A group resumes where it committed; where it has not, where a new consumer of it would start.
    const { ConsumerGroups } = await import('../../adapters/kafka/groups.js');
    const committed = (await new ConsumerGroups(session).committed(group, [topic])).get(topic);
    start = new Map(partitions.map((b) => [b.partition, committed?.get(b.partition) ?? (startFlag === 'fromBeginning' ? b.low : b.high)]));
  }

  const { SchemaRegistryLookup } = await import('../../adapters/serde/registry.js');
  const { PayloadDecoder } = await import('../../adapters/serde/detect.js');
  const decoder = new PayloadDecoder(new SchemaRegistryLookup(session.settings.schemaRegistry, session.settings.timeoutMs), (m) => ctx.out.warn(m));

  // stdout closed by the reader (e.g. `| head`) ends the read quietly.
  const closed = new AbortController();
  stdout.on?.('error', () => closed.abort());
  const write = async (text: string) => {
    if (text && !stdout.write(text) && stdout.once && !closed.signal.aborted) await new Promise<void>((resolve) => stdout.once!('drain', resolve));
  };

  const started = performance.now();
  let shown = 0;
  let read = 0;
  await readTopic(session, {
    topic,
    partitions: partitions.map((b) => b.partition),
    start,
    group: group === undefined ? undefined : { id: group, fromBeginning: startFlag === 'fromBeginning' },
    endOffsets: options.exitAtEnd === true ? new Map(partitions.map((b) => [b.partition, b.high])) : undefined,
    signal: AbortSignal.any([ctx.signal, closed.signal]),
    onMessages: async (messages) => {
      await decoder.prepare(messages);
      let text = '';
      let used = 0;
      for (const message of messages) {
        if (max !== undefined && shown >= max) break;
        used++;
        read++;
        const [record, keySize, valueSize] = decode(decoder, message);
        if (grep && !grep.test(`${payloadText(record.key)}\n${payloadText(record.value)}\n${Object.entries(record.headers).flat().join('\n')}`)) continue;
        shown++;
        text += formatter.record(record, keySize, valueSize);
        // Written in slices, so a large fetch never becomes one large string.
        if (text.length >= WRITE_SLICE) {
          await write(text);
          text = '';
        }
      }
      await write(text);
      return { used, more: (max === undefined || shown < max) && !closed.signal.aborted };
    },
  });
  await write(formatter.end());
  ctx.out.info(
    renderTailSummary({ topic, shown, read, partitions: partitions.length, seconds: (performance.now() - started) / 1000, interrupted: ctx.signal.aborted }),
  );
  return ExitCode.ok;
};

function regexOption(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern, 'm');
  } catch (error) {
    throw new UsageError(`--grep "${pattern}" is not a regular expression: ${(error as Error).message}`);
  }
}

/** kcat users end templates with \n; one without a line break gets one, so lines do not run together. */
function templateFormatter(template: string): (record: TailRecord, keySize: number, valueSize: number) => string {
  const format = compileTemplate(template.includes('\\n') ? template : `${template}\\n`);
  return (record, keySize, valueSize) =>
    format({
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      timestampMs: Date.parse(record.timestamp),
      key: record.key === null ? null : payloadText(record.key),
      value: record.value === null ? null : payloadText(record.value),
      headers: Object.entries(record.headers),
      keySize,
      valueSize,
    });
}

async function startPosition(
  ctx: CommandContext,
  flag: string | undefined,
  offset: unknown,
  since: unknown,
  atTime: (ms: number) => Promise<Map<number, number>>,
): Promise<Position> {
  switch (flag) {
    case 'fromBeginning':
      return { kind: 'earliest' };
    case 'offset': {
      const value = integerOption({ offset }, 'offset', '--offset');
      return { kind: 'offset', offset: value! };
    }
    case 'since': {
      const timestampMs = parsePointInTime(String(since), Date.now(), '--since');
      return { kind: 'timestamp', timestampMs, offsets: await atTime(timestampMs) };
    }
    default:
      ctx.out.debug('starting at the end of each partition: only new messages are shown');
      return { kind: 'latest' };
  }
}

function decode(decoder: PayloadDecoder, message: ConsumedMessage): [TailRecord, number, number] {
  const key: DecodedPayload = decoder.decode(message.key, { json: false });
  const value: DecodedPayload = decoder.decode(message.value, { json: true });
  const headers: Record<string, string> = {};
  for (const [name, data] of message.headers) headers[name] = decoder.headerText(data);
  const record: TailRecord = {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    timestamp: new Date(message.timestampMs).toISOString(),
    key: key.value,
    keyFormat: key.format,
    headers,
    value: value.value,
    valueFormat: value.format,
    ...(value.schemaId !== undefined ? { schemaId: value.schemaId } : {}),
  };
  return [record, key.size, value.size];
}
