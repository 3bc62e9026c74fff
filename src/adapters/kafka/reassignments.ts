/**
 * Replica reassignments through the wire layer (codecs in core/topics/reassignmentProtocol):
 * start, cancel, list, and wait for them. A broker forwards both requests to the active controller.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { InterruptedError, OperationError } from '../../core/errors.js';
import {
  ALTER_REASSIGNMENTS_KEY,
  decodeAlterReassignmentsResponse,
  decodeListReassignmentsResponse,
  encodeAlterReassignmentsRequest,
  encodeListReassignmentsRequest,
  LIST_REASSIGNMENTS_KEY,
  REASSIGNMENTS_VERSION,
  type OngoingReassignment,
  type TopicTargets,
} from '../../core/topics/reassignmentProtocol.js';
import { failureContext, translateKafkaError } from './errors.js';
import type { BrokerPlacement } from '../../core/topics/reassignment.js';
import type { KafkaSession } from './session.js';
import { Wire } from './wire.js';

/** How often a wait asks the controller what is still moving. */
const POLL_MS = 500;

export interface PartitionRef {
  topic: string;
  partition: number;
}

export interface ReassignmentWait {
  signal?: AbortSignal;
  /** Called once per partition as its move completes. */
  onDone?: (partition: PartitionRef, done: number, total: number) => void;
}

/** One string per partition of the cluster, for maps and sets. */
export const partitionKey = (p: PartitionRef): string => `${p.topic}\u0000${p.partition}`;

export class ReplicaReassignments {
  private wire: Promise<Wire> | undefined;

  constructor(private readonly session: KafkaSession) {}

  /** The brokers with their racks, where replicas can go (KafkaJS's describeCluster leaves racks out). */
  async placements(): Promise<BrokerPlacement[]> {
    const { brokers } = await this.session.run('describe the brokers', async () => (await this.openWire()).describeCluster());
    return brokers.map((b) => ({ nodeId: b.nodeId, rack: b.rack ?? null }));
  }

  /** Every reassignment in flight on the cluster (one request, whatever the number of topics). */
  async ongoing(): Promise<OngoingReassignment[]> {
    const response = await this.call('list the replica reassignments in flight', LIST_REASSIGNMENTS_KEY, 'ListPartitionReassignments', encodeListReassignmentsRequest(null, this.session.settings.timeoutMs), decodeListReassignmentsResponse);
    if (response.errorCode !== 0) throw await this.failure('list the replica reassignments in flight', response.errorCode, response.errorMessage);
    return response.ongoing;
  }

  /** Starts moves (replicas) or cancels them (null); every partition the controller refused is named. */
  async alter(action: string, targets: readonly TopicTargets[]): Promise<void> {
    if (targets.length === 0) return;
    const response = await this.call(action, ALTER_REASSIGNMENTS_KEY, 'AlterPartitionReassignments', encodeAlterReassignmentsRequest(targets, this.session.settings.timeoutMs), decodeAlterReassignmentsResponse);
    if (response.errorCode !== 0) throw await this.failure(action, response.errorCode, response.errorMessage);
    const refused = response.partitions.filter((p) => p.errorCode !== 0);
    if (refused.length > 0) {
      const wire = await this.openWire();
      const reasons = refused.map((p) => `${p.topic}[${p.partition}]: ${p.errorMessage ?? wire.errorFromCode(p.errorCode).message}`);
      const accepted = response.partitions.length - refused.length;
      throw new OperationError(`cannot ${action}: ${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? ` and ${reasons.length - 3} more` : ''}`, {
        hint: accepted > 0 ? `the other ${accepted} partition(s) were accepted and are moving; "iotmsg topics reassign <topic>" shows them` : 'nothing was changed',
      });
    }
  }

  /**
   * Waits until none of `partitions` is moving. No deadline: a move copies the partition's
   * data and takes as long as that takes; Ctrl-C stops the wait, not the move.
   */
  async waitUntilDone(partitions: readonly PartitionRef[], options: ReassignmentWait = {}): Promise<void> {
    const pending = new Map(partitions.map((p) => [partitionKey(p), p]));
    const total = pending.size;
    while (pending.size > 0) {
      if (options.signal?.aborted) throw new InterruptedError(`interrupted while ${pending.size} of ${total} partition(s) were still moving`);
      const moving = new Set((await this.ongoing()).map(partitionKey));
      for (const [id, partition] of pending) {
        if (moving.has(id)) continue;
        pending.delete(id);
        options.onDone?.(partition, total - pending.size, total);
      }
      if (pending.size > 0) await sleep(POLL_MS, undefined, { signal: options.signal }).catch(() => {});
    }
  }

  async close(): Promise<void> {
    await (await this.wire?.catch(() => undefined))?.close();
  }

  private async call<T>(action: string, apiKey: number, apiName: string, body: Buffer, decode: (response: Buffer) => T): Promise<T> {
    const operation = apiKey === LIST_REASSIGNMENTS_KEY ? 'DESCRIBE' : 'ALTER';
    return this.session.run(
      action,
      async () => {
        const wire = await this.openWire();
        if (!(await wire.versions('controller', apiKey))) {
          throw new OperationError(`cannot ${action}: the cluster does not move replicas over the protocol`, { hint: 'this needs Kafka 2.4 or newer' });
        }
        return wire.send('controller', { apiKey, apiName, version: REASSIGNMENTS_VERSION, body, decode });
      },
      undefined,
      { operation, resource: 'the cluster' },
    );
  }

  private openWire(): Promise<Wire> {
    this.wire ??= Wire.open(this.session.kafka);
    return this.wire;
  }

  /** A top-level error code, read as KafkaJS would have thrown it: an ACL refusal names what it needs. */
  private async failure(action: string, code: number, message: string | undefined): Promise<Error> {
    const error = (await this.openWire()).errorFromCode(code);
    if (message !== undefined) error.message = message;
    return translateKafkaError(error, failureContext(this.session.settings, action, { operation: 'ALTER', resource: 'the cluster' }));
  }
}
