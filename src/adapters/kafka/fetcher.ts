import { setTimeout as sleep } from 'node:timers/promises';
import { OperationError, UnavailableError } from '../../core/errors.js';
import { decodeFetchResponse, encodeFetchRequest, FETCH_API_KEY, FETCH_VERSION, type PartitionData } from '../../core/messages/fetch.js';
import { decodeListOffsetsResponse, EARLIEST, encodeListOffsetsRequest, LATEST, LIST_OFFSETS_API_KEY, LIST_OFFSETS_VERSION, type OffsetAnswer } from '../../core/messages/listOffsets.js';
import type { PartitionBounds } from '../../core/messages/positions.js';
import { isAbortMarker, RecordTable, scanBatches, TransactionFilter, type BatchHeader } from '../../core/messages/recordBatch.js';
import { decompress } from './compression.js';
import { failureContext, translateKafkaError } from './errors.js';
import type { KafkaSession } from './session.js';
import { Wire, type PartitionLeader } from './wire.js';

/**
 * Group-less reads: the partitions are assigned here, not by a group coordinator. Offsets
 * come from ListOffsets, records from Fetch requests to each partition's leader, decoded by
 * core/messages (recordBatch.ts) as read_committed reads them. No group is joined, so none
 * is left behind and no group ACL is needed, however the read ends.
 */

/** The records handed to a reader: one batch's, valid until the callback returns. */
export interface ReadRecords {
  partition: number;
  table: RecordTable;
}

export interface FetchReadOptions {
  /** Where each partition starts; only these partitions are read. */
  start: ReadonlyMap<number, number>;
  /** Stop each partition at this offset (--exit-at-end): records from it on are not handed over. */
  endOffsets?: ReadonlyMap<number, number>;
  /** Called per batch in offset order; false stops the read. */
  onRecords: (records: ReadRecords) => boolean | Promise<boolean>;
  /** Called between fetches once the records of a fetch were handed over (the writer flushes). */
  onIdle?: () => Promise<void>;
  /** A fault the read recovered from, said once. */
  onNotice: (text: string) => void;
  signal: AbortSignal;
}

/** Partition errors that new metadata cures: the leader moved or is being elected. */
export const LEADER_ERRORS: ReadonlySet<number> = new Set([3, 5, 6, 56, 74, 75]);
const OFFSET_OUT_OF_RANGE = 1;
/** One fetch's bounds: large enough for kcat's pace, small enough that two in flight stay well under the memory goal. */
const FETCH_MAX_BYTES = 4 * 1024 * 1024;
const PARTITION_MAX_BYTES = 1024 * 1024;
const MAX_WAIT_MS = 500;
/** A broker's death is noticed by the controller after its session timeout (9 s by default), then a new leader is elected. */
const FAILOVER_BUDGET_MS = 45_000;

interface Round {
  leader: number;
  partitions: number[];
  /** The offset each partition was fetched from. */
  from: Map<number, number>;
  answer: Promise<PartitionData[]>;
}

interface FetchedPartition {
  data: PartitionData;
  batches: BatchHeader[];
  from: number;
}

export class TopicFetcher {
  private leaders: PartitionLeader[];
  /** Per partition, the bytes a fetch may bring: raised for a batch larger than that. */
  private readonly partitionMaxBytes = new Map<number, number>();
  private readonly table = new RecordTable();

  private constructor(
    private readonly session: KafkaSession,
    private readonly wire: Wire,
    readonly topic: string,
  ) {
    this.leaders = wire.partitions(topic);
  }

  static async open(session: KafkaSession, topic: string): Promise<TopicFetcher> {
    const wire = await session.run(`connect to the leaders of topic "${topic}"`, async () => {
      const opened = await Wire.open(session.kafka);
      await opened.addTopic(topic);
      return opened;
    });
    return new TopicFetcher(session, wire, topic);
  }

  get partitionCount(): number {
    return this.leaders.length;
  }

  /** Log start and end of every partition; the end is the last stable offset, where read_committed stops. */
  async bounds(): Promise<PartitionBounds[]> {
    const partitions = this.leaders.map((p) => p.partition);
    const [low, high] = await Promise.all([this.listOffsets(partitions, EARLIEST), this.listOffsets(partitions, LATEST)]);
    return partitions.map((partition) => ({ partition, low: low.get(partition)!, high: high.get(partition)! }));
  }

  /** Per partition, the first offset at or after a time (-1: none). */
  offsetsAtTime(timestampMs: number): Promise<Map<number, number>> {
    return this.listOffsets(
      this.leaders.map((p) => p.partition),
      timestampMs,
    );
  }

  private listOffsets(partitions: readonly number[], timestamp: number): Promise<Map<number, number>> {
    return this.session.run(`read the offsets of topic "${this.topic}"`, async () => {
      const found = new Map<number, number>();
      let missing = partitions;
      for (let attempt = 0; missing.length > 0; attempt++) {
        const answers = await Promise.all(
          [...this.byLeader(missing)].map(([leader, ofLeader]) =>
            this.wire.send<OffsetAnswer[]>(
              { nodeId: leader },
              {
                apiKey: LIST_OFFSETS_API_KEY,
                apiName: 'ListOffsets',
                version: LIST_OFFSETS_VERSION,
                body: encodeListOffsetsRequest([{ topic: this.topic, queries: ofLeader.map((partition) => ({ partition, timestamp })) }], true),
                decode: decodeListOffsetsResponse,
              },
            ),
          ),
        );
        const retry: number[] = [];
        for (const answer of answers.flat()) {
          if (answer.errorCode === 0) found.set(answer.partition, answer.offset);
          else if (LEADER_ERRORS.has(answer.errorCode) && attempt < 10) retry.push(answer.partition);
          else throw this.wire.errorFromCode(answer.errorCode);
        }
        missing = retry;
        if (retry.length > 0) await this.newLeaders(200);
      }
      return found;
    }, undefined, { operation: 'DESCRIBE', resource: `topic "${this.topic}"` });
  }

  /**
   * Reads from `start` until every partition reached its end offset, `onRecords` says stop
   * or the signal aborts. The next fetch is sent as soon as a response's batch headers are
   * read, so the broker works while the records are decoded and written; memory holds at
   * most two fetches per leader.
   */
  async read(options: FetchReadOptions): Promise<void> {
    const position = new Map(options.start);
    const end = options.endOffsets;
    const atEnd = (partition: number) => end !== undefined && position.get(partition)! >= end.get(partition)!;
    /** Last seen end of each partition: a partition behind it is fetched without waiting. */
    const known = new Map<number, number>();
    let failingSince: number | undefined;
    let failure: unknown;
    let moved: { partitions: Set<number>; from: Map<number, number>; reason: string } | undefined;

    const next = (): Round[] => {
      const active = [...position.keys()].filter((p) => !atEnd(p));
      const behind = active.some((p) => position.get(p)! < (known.get(p) ?? Infinity));
      const maxWaitMs = behind ? 0 : MAX_WAIT_MS;
      return [...this.byLeader(active)].map(([leader, partitions]) => {
        const from = new Map(partitions.map((p) => [p, position.get(p)!]));
        const answer = this.fetch(leader, from, maxWaitMs);
        answer.catch(() => {}); // settled below, or left behind when the read stops
        return { leader, partitions, from, answer };
      });
    };

    const stopped = aborted(options.signal);
    let rounds = next();
    while (rounds.length > 0 && !options.signal.aborted) {
      const settled = await Promise.race([Promise.allSettled(rounds.map((r) => r.answer)), stopped]);
      if (!settled) break;
      // Batch headers first: they give every partition's next offset, and the next fetch goes out.
      const work: FetchedPartition[] = [];
      let leaderLost = false;
      for (let i = 0; i < rounds.length; i++) {
        const round = rounds[i]!;
        const result = settled[i]!;
        if (result.status === 'rejected') {
          leaderLost = true;
          failure = result.reason;
          moved ??= { partitions: new Set(), from: new Map(), reason: translateKafkaError(result.reason, this.failureContext()).message };
          for (const p of round.partitions) {
            moved.partitions.add(p);
            moved.from.set(p, round.leader);
          }
          continue;
        }
        for (const data of result.value) {
          if (data.errorCode === OFFSET_OUT_OF_RANGE) {
            await this.restartOutOfRange(data.partition, position, options.onNotice);
            continue;
          }
          if (LEADER_ERRORS.has(data.errorCode)) {
            leaderLost = true;
            failure = this.wire.errorFromCode(data.errorCode);
            continue;
          }
          if (data.errorCode !== 0) throw translateKafkaError(this.wire.errorFromCode(data.errorCode), this.failureContext());
          known.set(data.partition, data.lastStableOffset >= 0 ? data.lastStableOffset : data.highWatermark);
          const scan = scanBatches(data.records);
          if (scan.neededBytes !== undefined) this.partitionMaxBytes.set(data.partition, scan.neededBytes);
          const last = scan.batches[scan.batches.length - 1];
          if (last) {
            position.set(data.partition, Math.max(position.get(data.partition)!, last.nextOffset));
            work.push({ data, batches: scan.batches, from: round.from.get(data.partition)! });
          }
        }
      }
      if (leaderLost) {
        failingSince ??= Date.now();
        if (Date.now() - failingSince > Math.max(FAILOVER_BUDGET_MS, this.session.settings.timeoutMs)) {
          throw new UnavailableError(`lost the leaders of topic "${this.topic}": ${translateKafkaError(failure, this.failureContext()).message}`, {
            hint: 'check the cluster with "iotmsg health"',
          });
        }
        await this.newLeaders(500, options.signal);
      } else if (failingSince !== undefined) {
        failingSince = undefined;
        if (moved) {
          const to = (p: number) => this.leaders[p]?.leader;
          const changes = [...moved.partitions].sort((a, b) => a - b).map((p) => `${p} (broker ${moved!.from.get(p)} → ${to(p)})`);
          options.onNotice(`the leaders of topic "${this.topic}" changed (${moved.reason}): reading partition ${changes.join(', ')} from the new leader`);
          moved = undefined;
        }
      }
      const started = work.length > 0 ? work : undefined;
      // Restarted here: the records below take the start offsets the scan above moved on.
      rounds = next();
      if (started && !(await this.handOver(started, options, end))) break;
      await options.onIdle?.();
    }
  }

  /** Gives each batch's records to the reader, leaving out what read_committed does not show. */
  private async handOver(work: FetchedPartition[], options: FetchReadOptions, end: ReadonlyMap<number, number> | undefined): Promise<boolean> {
    const table = this.table;
    for (const { data, batches, from } of work) {
      const filter = new TransactionFilter(data.abortedTransactions);
      const stop = end?.get(data.partition) ?? Infinity;
      for (const batch of batches) {
        if (batch.nextOffset <= from) continue;
        if (batch.baseOffset >= stop) break;
        if (filter.skip(batch, () => isAbortMarker(batch, data.records, batch.recordsStart))) continue;
        const records = await decompress(batch.compression, data.records.subarray(batch.recordsStart, batch.end));
        table.fill(batch, records, 0, records.length, from, stop);
        if (table.count > 0 && !(await options.onRecords({ partition: data.partition, table }))) return false;
      }
    }
    return true;
  }

  private fetch(leader: number, from: ReadonlyMap<number, number>, maxWaitMs: number): Promise<PartitionData[]> {
    const body = encodeFetchRequest({
      topics: [{ topic: this.topic, partitions: [...from].map(([partition, offset]) => ({ partition, offset, maxBytes: Math.max(PARTITION_MAX_BYTES, this.partitionMaxBytes.get(partition) ?? 0) })) }],
      maxWaitMs,
      maxBytes: FETCH_MAX_BYTES,
      readCommitted: true,
    });
    return this.wire
      .send(
        { nodeId: leader },
        { apiKey: FETCH_API_KEY, apiName: 'Fetch', version: FETCH_VERSION, body, decode: decodeFetchResponse, timeoutMs: this.session.settings.timeoutMs + maxWaitMs },
      )
      .then(({ errorCode, partitions: data }) => {
        if (errorCode !== 0) throw this.wire.errorFromCode(errorCode);
        return data;
      });
  }

  /** A position the log no longer has (retention deleted it) or not yet has: go on from the nearest end, and say so. */
  private async restartOutOfRange(partition: number, position: Map<number, number>, notice: (text: string) => void): Promise<void> {
    const was = position.get(partition)!;
    const [low, high] = await Promise.all([this.listOffsets([partition], EARLIEST), this.listOffsets([partition], LATEST)]);
    const now = Math.min(high.get(partition)!, Math.max(low.get(partition)!, was));
    position.set(partition, now);
    notice(`partition ${partition} of "${this.topic}" has no offset ${was} any more (it holds ${low.get(partition)} to ${high.get(partition)}): going on at ${now}`);
  }

  private async newLeaders(pauseMs: number, signal?: AbortSignal): Promise<void> {
    await sleep(pauseMs, undefined, { signal }).catch(() => {});
    await this.wire.refreshMetadata().catch(() => {});
    this.leaders = this.wire.partitions(this.topic);
  }

  private byLeader(partitions: readonly number[]): Map<number, number[]> {
    const groups = new Map<number, number[]>();
    for (const partition of partitions) {
      const leader = this.leaders[partition]?.leader ?? -1;
      let group = groups.get(leader);
      if (!group) groups.set(leader, (group = []));
      group.push(partition);
    }
    const leaderless = groups.get(-1);
    if (leaderless) {
      groups.delete(-1);
      // Asked of a broker that is not their leader, they come back as NOT_LEADER: metadata is read again.
      const any = this.leaders.find((p) => p.leader >= 0)?.leader;
      if (any === undefined) throw new OperationError(`no partition of "${this.topic}" has a leader`, { hint: 'check the cluster with "iotmsg health"' });
      groups.set(any, [...(groups.get(any) ?? []), ...leaderless]);
    }
    return groups;
  }

  private failureContext() {
    return failureContext(this.session.settings, `read topic "${this.topic}"`, { operation: 'READ', resource: `topic "${this.topic}"` });
  }

  async close(): Promise<void> {
    await this.wire.close();
  }
}

function aborted(signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(undefined);
    signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
}
