import { Worker } from 'node:worker_threads';
import type { EncodedBatch, PartitionRun, Placement } from '../kafka/producer.js';
import type { RecordHeader } from '../../core/messages/produceProtocol.js';
import type { ProduceFormat } from './codecs.js';

/** What the generator thread is told: the schema, the seeded draw, where messages go and how to cut batches. */
export interface GeneratorSetup {
  format: ProduceFormat;
  /** Self-contained schema JSON, as registered. */
  schemaText: string;
  /** For Avro: the id the wire format carries. */
  schemaId?: number;
  seed: number;
  count: number;
  endMs: number;
  /** Every message's key, else the device id's. */
  key: Uint8Array | null;
  headers: readonly RecordHeader[];
  /** Every message's partition, else the key's. */
  partition: number | undefined;
  partitionCount: number;
  /** A batch closes at this many messages or record bytes, whichever comes first. */
  maxMessages: number;
  maxBytes: number;
  /** Batches the thread may have ready before the sender takes them. */
  chunksAhead: number;
}

/** One batch: its runs end to end from the start of `data` (reused memory, maybe longer), and each message's key as an index into the keys seen so far. */
export interface GeneratedChunk {
  /** Keys first seen in this chunk, in the order of their indexes, with their partitions. */
  newKeys: Placement[];
  data: ArrayBuffer;
  /** In the order of `data`: each run's partition, record count and end. */
  runs: { partition: number; count: number; end: number }[];
  keyIndexes: Uint32Array;
  valueBytes: number;
}

export type GeneratorReport = { kind: 'chunk'; chunk: GeneratedChunk } | { kind: 'done' } | { kind: 'error'; message: string };

/** After the setup: one more batch may be made, in the memory of one the sender is done with. */
export interface GeneratorRequest {
  kind: 'more';
  reuse: ArrayBuffer;
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

  /** The first message the thread gets is its setup; every later one is a GeneratorRequest. */
  start(setup: GeneratorSetup): void {
    this.worker.postMessage(setup);
  }

  /**
   * The batches in order. A batch's runs stay valid until the next batch is asked for: then
   * their memory goes back to the thread for another batch, which spares allocating (and the
   * garbage collector freeing) half a megabyte per batch.
   */
  async *batches(): AsyncGenerator<EncodedBatch> {
    const placements: Placement[] = [];
    try {
      for (;;) {
        const report = await this.reports.next();
        if (report.kind === 'done') return;
        if (report.kind === 'error') throw new Error(`the message generator failed: ${report.message}`);
        const { newKeys, data, runs, keyIndexes, valueBytes } = report.chunk;
        placements.push(...newKeys);
        let start = 0;
        const partitionRuns = runs.map(({ partition, count, end }): PartitionRun => {
          const records = new Uint8Array(data, start, end - start);
          start = end;
          return { partition, count, records };
        });
        yield { runs: partitionRuns, count: keyIndexes.length, valueBytes, placements: () => Array.from(keyIndexes, (i) => placements[i]!) };
        this.worker.postMessage({ kind: 'more', reuse: data } satisfies GeneratorRequest, [data]);
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
