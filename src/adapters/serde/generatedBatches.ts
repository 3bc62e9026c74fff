import { Worker } from 'node:worker_threads';
import type { OutgoingMessage } from '../kafka/producer.js';
import type { RecordHeader } from '../../core/messages/produceProtocol.js';
import type { ProduceFormat } from './codecs.js';

/** What the generator thread is told: the schema, the seeded draw, and how to cut batches. */
export interface GeneratorSetup {
  format: ProduceFormat;
  /** Self-contained schema JSON, as registered. */
  schemaText: string;
  /** For Avro: the id the wire format carries. */
  schemaId?: number;
  seed: number;
  count: number;
  endMs: number;
  /** A batch closes at this many messages or value bytes, whichever comes first. */
  maxMessages: number;
  maxBytes: number;
  /** Batches the thread may have ready before the sender takes them. */
  chunksAhead: number;
}

/** One batch's values end to end in `data`; each message's key is an index into the keys seen so far. */
export interface GeneratedChunk {
  /** Keys first seen in this chunk, in the order of their indexes. */
  newKeys: string[];
  data: ArrayBuffer;
  ends: Uint32Array;
  keyIndexes: Uint32Array;
}

export type GeneratorReport = { kind: 'chunk'; chunk: GeneratedChunk } | { kind: 'done' } | { kind: 'error'; message: string };

/** What every generated message carries besides its value: a fixed key (else the device id), headers, partition. */
export interface GeneratedEnvelope {
  key: Buffer | null;
  headers: RecordHeader[];
  partition: number | undefined;
}

/**
 * Generated messages, drawn and encoded on a worker thread a few batches ahead of the
 * sender, so that generating and sending share the two cores. The thread loads at once,
 * while the caller still looks up its schema and connects; `start` sets it going. It stops
 * with `close` or when its batches run out.
 */
export class GeneratorThread {
  private readonly worker = new Worker(new URL('./generatorWorker.js', import.meta.url));
  private readonly reports = new ReportQueue(this.worker);

  /** The first message the thread gets is its setup; every later one lets it make one more batch. */
  start(setup: GeneratorSetup): void {
    this.worker.postMessage(setup);
  }

  async *batches(envelope: GeneratedEnvelope): AsyncGenerator<OutgoingMessage[]> {
    // Each key is one Buffer for the whole run: the producer knows its partition again by identity.
    const keys: Buffer[] = [];
    try {
      for (;;) {
        const report = await this.reports.next();
        if (report.kind === 'done') return;
        if (report.kind === 'error') throw new Error(`the message generator failed: ${report.message}`);
        this.worker.postMessage('more');
        const { newKeys, data, ends, keyIndexes } = report.chunk;
        for (const key of newKeys) keys.push(Buffer.from(key, 'utf8'));
        const values = Buffer.from(data);
        const { key, headers, partition } = envelope;
        const batch = new Array<OutgoingMessage>(ends.length);
        let start = 0;
        for (let i = 0; i < ends.length; i++) {
          batch[i] = { key: key ?? keys[keyIndexes[i]!]!, value: values.subarray(start, ends[i]), headers, partition };
          start = ends[i]!;
        }
        yield batch;
      }
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** The worker's reports in order; a thread that dies without reporting is an error too. */
class ReportQueue {
  private readonly ready: GeneratorReport[] = [];
  private waiting: ((report: GeneratorReport) => void) | undefined;

  constructor(worker: Worker) {
    worker.on('message', (report: GeneratorReport) => this.push(report));
    worker.on('error', (error) => this.push({ kind: 'error', message: error.message }));
    worker.on('exit', (code) => this.push({ kind: 'error', message: `the generator thread exited with code ${code}` }));
  }

  next(): Promise<GeneratorReport> {
    const report = this.ready.shift();
    return report ? Promise.resolve(report) : new Promise((resolve) => (this.waiting = resolve));
  }

  private push(report: GeneratorReport): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting(report);
    else this.ready.push(report);
  }
}
