import { setTimeout as sleep } from 'node:timers/promises';
import { decodeFetchResponse, encodeFetchRequest, FETCH_API_KEY, FETCH_VERSION, type PartitionData } from '../../core/messages/fetch.js';
import { decodeListOffsetsResponse, EARLIEST, encodeListOffsetsRequest, LATEST, LIST_OFFSETS_API_KEY, LIST_OFFSETS_VERSION, type OffsetAnswer } from '../../core/messages/listOffsets.js';
import { RecordTable, scanBatches, type BatchHeader } from '../../core/messages/recordBatch.js';
import { decompress } from './compression.js';
import type { KafkaSession } from './session.js';
import { LEADER_ERRORS } from './fetcher.js';
import { Wire, type BrokerError } from './wire.js';

/**
 * The edges of many topics' logs at once: log start and high watermark of every partition,
 * and the timestamps of the first and last record between them. Requests go to each leader
 * once per question (earliest, latest, first record, last record) whatever the number of
 * topics, over the same codecs `tail` reads with (fetcher.ts).
 */

export interface PartitionEdges {
  partition: number;
  /** Log start offset. */
  low: number;
  /** High watermark: uncommitted transactions and markers count, as in Kafka's own tools. */
  high: number;
  /** Timestamps of the first and last record; undefined for an empty partition. */
  oldestMs: number | undefined;
  newestMs: number | undefined;
}

interface Place {
  topic: string;
  partition: number;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
const PARTITION_MAX_BYTES = 1024 * 1024;
const FETCH_MAX_BYTES = 32 * 1024 * 1024;
/** Rounds for partitions a fetch left out (the response was full) or cut short (a batch larger than asked for). */
const FETCH_ROUNDS = 4;

/** Per topic, its partitions' edges; the topics must exist. */
export async function readLogEdges(session: KafkaSession, topics: readonly string[]): Promise<Map<string, PartitionEdges[]>> {
  if (topics.length === 0) return new Map();
  const what = topics.length === 1 ? `topic "${topics[0]}"` : `${topics.length} topics`;
  const wire = await session.run(`connect to the leaders of ${what}`, async () => {
    const opened = await Wire.open(session.kafka);
    await opened.addTopics(topics);
    return opened;
  });
  try {
    const [low, high] = await session.run(
      `read the offsets of ${what}`,
      () => withNewLeaders(wire, () => {
        const leaders = leadersOf(wire, topics);
        return Promise.all([listOffsets(wire, leaders, EARLIEST), listOffsets(wire, leaders, LATEST)]);
      }),
      undefined,
      { operation: 'DESCRIBE', resource: what },
    );
    const at = (offsets: Map<string, number>, shift: number) => (p: Place) => offsets.get(key(p.topic, p.partition))! + shift;
    const [oldest, newest] = await session.run(
      `read the first and last records of ${what}`,
      () => withNewLeaders(wire, () => {
        // Empty partitions have no record to read.
        const holding = new Map<number, Place[]>();
        for (const [leader, places] of leadersOf(wire, topics)) {
          const some = places.filter((p) => high.get(key(p.topic, p.partition))! > low.get(key(p.topic, p.partition))!);
          if (some.length > 0) holding.set(leader, some);
        }
        return Promise.all([edgeTimestamps(wire, holding, at(low, 0), high, 'first'), edgeTimestamps(wire, holding, at(high, -1), high, 'last')]);
      }),
      undefined,
      { operation: 'READ', resource: what },
    );
    return new Map(
      topics.map((topic) => [
        topic,
        wire.partitions(topic).map(({ partition }): PartitionEdges => {
          const k = key(topic, partition);
          return { partition, low: low.get(k)!, high: high.get(k)!, oldestMs: oldest.get(k), newestMs: newest.get(k) };
        }),
      ]),
    );
  } finally {
    await wire.close();
  }
}

/** The partitions by leader, as the metadata last read has them; a partition without one waits for an election. */
function leadersOf(wire: Wire, topics: readonly string[]): Map<number, Place[]> {
  const leaders = new Map<number, Place[]>();
  for (const topic of topics) {
    for (const { partition, leader } of wire.partitions(topic)) {
      if (leader < 0) throw wire.errorFromCode(5); // LEADER_NOT_AVAILABLE: retried below
      push(leaders, leader, { topic, partition });
    }
  }
  return leaders;
}

/** Work asked of the leaders, done again on new metadata while a leader moves (as tail does), up to about 10 s. */
async function withNewLeaders<T>(wire: Wire, work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as BrokerError).code;
      if (attempt >= 50 || code === undefined || !LEADER_ERRORS.has(code)) throw error;
      await sleep(200);
      await wire.refreshMetadata().catch(() => {});
    }
  }
}

function push<K, V>(map: Map<K, V[]>, k: K, value: V): void {
  const list = map.get(k);
  if (list) list.push(value);
  else map.set(k, [value]);
}

function byTopic<T extends Place>(places: readonly T[]): Map<string, T[]> {
  const topics = new Map<string, T[]>();
  for (const place of places) push(topics, place.topic, place);
  return topics;
}

/** One ListOffsets request per leader for all its partitions; read uncommitted, so LATEST is the high watermark. */
async function listOffsets(wire: Wire, leaders: ReadonlyMap<number, Place[]>, timestamp: number): Promise<Map<string, number>> {
  const answers = await Promise.all(
    [...leaders].map(([leader, places]) =>
      wire.send<OffsetAnswer[]>(
        { nodeId: leader },
        {
          apiKey: LIST_OFFSETS_API_KEY,
          apiName: 'ListOffsets',
          version: LIST_OFFSETS_VERSION,
          body: encodeListOffsetsRequest([...byTopic(places)].map(([topic, ofTopic]) => ({ topic, queries: ofTopic.map((p) => ({ partition: p.partition, timestamp })) })), false),
          decode: decodeListOffsetsResponse,
        },
      ),
    ),
  );
  const offsets = new Map<string, number>();
  for (const answer of answers.flat()) {
    if (answer.errorCode !== 0) throw wire.errorFromCode(answer.errorCode);
    offsets.set(key(answer.topic, answer.partition), answer.offset);
  }
  return offsets;
}

/**
 * The timestamp of the first record from `from` on, or of the last before `end`, per partition:
 * one Fetch per leader for all its partitions. Control batches (transaction markers) hold no
 * record; a partition of markers or compacted-away records alone has no timestamp.
 */
async function edgeTimestamps(
  wire: Wire,
  leaders: ReadonlyMap<number, Place[]>,
  from: (place: Place) => number,
  end: ReadonlyMap<string, number>,
  edge: 'first' | 'last',
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const maxBytes = new Map<string, number>();
  let pending = [...leaders].map(([leader, places]) => ({ leader, places }));
  for (let round = 0; round < FETCH_ROUNDS && pending.length > 0; round++) {
    const answers = await Promise.all(pending.map(({ leader, places }) => fetchFrom(wire, leader, places, from, maxBytes).then((data) => ({ leader, places, data }))));
    pending = [];
    for (const { leader, places, data } of answers) {
      const again: Place[] = [];
      for (const partition of data) {
        if (partition.errorCode !== 0) throw wire.errorFromCode(partition.errorCode);
        const k = key(partition.topic, partition.partition);
        const place = places.find((p) => p.topic === partition.topic && p.partition === partition.partition)!;
        const scan = scanBatches(partition.records);
        if (scan.batches.length === 0) {
          // Nothing came back (the response was full) or the batch was larger than asked for: ask again.
          if (scan.neededBytes !== undefined) maxBytes.set(k, scan.neededBytes);
          again.push(place);
          continue;
        }
        const timestamp = await edgeTimestamp(partition, scan.batches, from(place), end.get(k)!, edge);
        if (timestamp !== undefined) found.set(k, timestamp);
      }
      if (again.length > 0) pending.push({ leader, places: again });
    }
  }
  return found;
}

function fetchFrom(wire: Wire, leader: number, places: readonly Place[], from: (place: Place) => number, maxBytes: ReadonlyMap<string, number>): Promise<PartitionData[]> {
  const body = encodeFetchRequest({
    topics: [...byTopic(places)].map(([topic, ofTopic]) => ({
      topic,
      partitions: ofTopic.map((p) => ({ partition: p.partition, offset: from(p), maxBytes: Math.max(PARTITION_MAX_BYTES, maxBytes.get(key(topic, p.partition)) ?? 0) })),
    })),
    maxWaitMs: 0,
    maxBytes: FETCH_MAX_BYTES,
    readCommitted: false,
  });
  return wire.send({ nodeId: leader }, { apiKey: FETCH_API_KEY, apiName: 'Fetch', version: FETCH_VERSION, body, decode: decodeFetchResponse }).then(({ errorCode, partitions }) => {
    if (errorCode !== 0) throw wire.errorFromCode(errorCode);
    return partitions;
  });
}

const table = new RecordTable();

async function edgeTimestamp(data: PartitionData, batches: readonly BatchHeader[], from: number, end: number, edge: 'first' | 'last'): Promise<number | undefined> {
  const ordered = edge === 'first' ? batches : [...batches].reverse();
  for (const batch of ordered) {
    if (batch.control || batch.nextOffset <= from || batch.baseOffset >= end) continue;
    const records = await decompress(batch.compression, data.records.subarray(batch.recordsStart, batch.end));
    table.fill(batch, records, 0, records.length, from, end);
    if (table.count > 0) return table.timestamps[edge === 'first' ? 0 : table.count - 1];
  }
  return undefined;
}
