import type { ChalkInstance } from 'chalk';
import { table } from './table.js';

export interface ProduceReport {
  topic: string;
  format: string;
  schema: { source: string; id: number | undefined; subject: string | undefined; version: number | undefined } | undefined;
  requested: number;
  acknowledged: number;
  failed: number;
  bytes: number;
  durationMs: number;
  messagesPerSecond: number;
  /** Each message's place, for small runs. */
  messages: { partition: number; offset: string; key: string | null }[] | undefined;
  error: string | undefined;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function renderProduceReport(report: ProduceReport, style: ChalkInstance): string {
  const lines: string[] = [];
  if (report.messages && report.messages.length > 0) {
    lines.push(table(['PARTITION', 'OFFSET', 'KEY'], report.messages.map((m) => [m.partition, m.offset, m.key ?? style.dim('(none)')])));
  }
  const schema = report.schema?.id !== undefined ? `, schema id ${report.schema.id}` : '';
  const seconds = (report.durationMs / 1000).toFixed(report.durationMs < 10_000 ? 2 : 1);
  const summary = `${report.acknowledged} message(s) written to ${report.topic} (${report.format}${schema}) in ${seconds}s: ${report.messagesPerSecond} msg/s, ${formatBytes(report.bytes)}`;
  lines.push(report.failed > 0 ? `${style.red('✗')} ${summary}; ${report.failed} not acknowledged` : `${style.green('✓')} ${summary}`);
  return lines.join('\n');
}

/** One message as `tail` shows it; NDJSON and JSON output are this object. */
export interface TailRecord {
  topic: string;
  partition: number;
  offset: string;
  /** ISO 8601, from the record's timestamp. */
  timestamp: string;
  key: unknown;
  keyFormat: string;
  headers: Record<string, string>;
  value: unknown;
  valueFormat: string;
  /** The registry id of an Avro value. */
  schemaId?: number;
}

export type TailOutput = 'table' | 'ndjson' | 'json';

/** A decoded key or value as one line of text. */
export function payloadText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Header names that carry why a message was dead-lettered (Kafka Connect, Spring, our own services). */
const ERROR_HEADER = /error|exception|reason|cause|stack|dlq/i;

/**
 * Streams `tail` output: each call returns the text for stdout. The JSON form is one array,
 * opened before the first message and closed at the end, so it parses even after Ctrl-C.
 */
export class TailFormatter {
  private count = 0;

  constructor(
    private readonly output: TailOutput,
    private readonly style: ChalkInstance,
    /** Dead-letter topics show every header on its own line, error headers highlighted. */
    private readonly deadLetter: boolean,
  ) {}

  record(record: TailRecord): string {
    this.count++;
    switch (this.output) {
      case 'ndjson':
        return `${JSON.stringify(record)}\n`;
      case 'json':
        return `${this.count === 1 ? '[\n' : ',\n'}${JSON.stringify(record, null, 2)}`;
      case 'table':
        return this.line(record);
    }
  }

  /** What closes the output; nothing after a --format template, which replaces the formats. */
  end(templated: boolean): string {
    if (templated || this.output !== 'json') return '';
    return this.count === 0 ? '[]\n' : '\n]\n';
  }

  private line(record: TailRecord): string {
    const { style } = this;
    const where = style.dim(`${record.partition}:${record.offset}`);
    const key = record.key === null ? style.dim('(no key)') : style.cyan(payloadText(record.key));
    const format = record.valueFormat === 'avro' ? style.dim(` avro#${record.schemaId}`) : record.valueFormat === 'hex' ? style.dim(' hex') : '';
    let text = `${where} ${style.dim(record.timestamp)} ${key}${format} ${payloadText(record.value)}\n`;
    const headers = Object.entries(record.headers);
    if (this.deadLetter) {
      for (const [name, value] of headers) text += `    ${ERROR_HEADER.test(name) ? style.yellow(name) : style.dim(name)}: ${value}\n`;
    } else if (headers.length > 0) {
      text += `    ${style.dim(headers.map(([name, value]) => `${name}=${value}`).join(' '))}\n`;
    }
    return text;
  }
}

export interface TailSummary {
  topic: string;
  shown: number;
  read: number;
  partitions: number;
  seconds: number;
  interrupted: boolean;
}

export function renderTailSummary(summary: TailSummary): string {
  const filtered = summary.read !== summary.shown ? ` (of ${summary.read} read)` : '';
  const ending = summary.interrupted ? 'stopped: ' : '';
  return `${ending}${summary.shown} message(s)${filtered} from ${summary.partitions} partition(s) of ${summary.topic} in ${summary.seconds.toFixed(1)}s`;
}
