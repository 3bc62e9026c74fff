/**
 * Config changes by name through IncrementalAlterConfigs, which KafkaJS does not have: its
 * alterConfigs (AlterConfigs) replaces a resource's whole set of overrides, and cannot
 * remove one. Broker and topic resources, SET and DELETE.
 */
import {
  type ConfigAlteration,
  type ConfigAlterationResult,
  decodeIncrementalAlterConfigsResponse,
  encodeIncrementalAlterConfigsRequest,
  INCREMENTAL_ALTER_CONFIGS_KEY,
  INCREMENTAL_ALTER_CONFIGS_VERSION,
} from '../../core/brokers/brokerProtocol.js';
import { OperationError } from '../../core/errors.js';
import { failureContext, translateKafkaError } from './errors.js';
import type { KafkaSession } from './session.js';
import { Wire, type WireTarget } from './wire.js';

export type { ConfigAlteration } from '../../core/brokers/brokerProtocol.js';

export interface AlterConfigsOptions {
  /** Only ask the brokers whether they would take every change; nothing changes. */
  validateOnly?: boolean;
  /** A wire connection the caller keeps open; else one is opened for the call. */
  wire?: Wire;
}

const AUTHORIZATION_FAILURES: Record<number, string> = { 29: 'TOPIC_AUTHORIZATION_FAILED', 31: 'CLUSTER_AUTHORIZATION_FAILED' };

/** "broker 1", "the cluster-wide broker default", "topic "t"". */
export function configResourceLabel(resource: { type: 'broker' | 'topic' | 'unknown'; name: string }): string {
  if (resource.type === 'topic') return `topic "${resource.name}"`;
  return resource.name === '' ? 'the cluster-wide broker default' : `broker ${resource.name}`;
}

/**
 * A broker's own resource goes to that broker, as Kafka's AdminClient sends it (KRaft
 * brokers forward it to the controller); topics and the cluster-wide default to any broker.
 */
function targetOf(resource: ConfigAlteration): WireTarget {
  return resource.type === 'broker' && resource.name !== '' ? { nodeId: Number(resource.name) } : 'any';
}

/**
 * Sets and deletes configs of broker and topic resources. Every resource is first sent with
 * validate_only, and only when every broker takes every change is it applied: a refused
 * value (unknown, read-only, out of range) throws OperationError with the broker's message,
 * and nothing was changed. Kafka applies resources one by one, so a failure between the
 * validation and the change (rare) can still leave earlier resources changed.
 */
export async function alterConfigsIncrementally(session: KafkaSession, resources: readonly ConfigAlteration[], options: AlterConfigsOptions = {}): Promise<void> {
  const changing = resources.filter((r) => Object.keys(r.set).length > 0 || r.delete.length > 0);
  if (changing.length === 0) return;
  const action = `change the configs of ${changing.map(configResourceLabel).join(', ')}`;
  await session.run(action, async () => {
    const wire = options.wire ?? (await Wire.open(session.kafka));
    try {
      const byTarget = new Map<string, { target: WireTarget; resources: ConfigAlteration[] }>();
      for (const resource of changing) {
        const target = targetOf(resource);
        const key = JSON.stringify(target);
        const group = byTarget.get(key) ?? { target, resources: [] };
        group.resources.push(resource);
        byTarget.set(key, group);
      }
      const groups = [...byTarget.values()];
      for (const validateOnly of options.validateOnly === true ? [true] : [true, false]) {
        const results = await Promise.all(groups.map((g) => send(wire, g.target, g.resources, validateOnly)));
        const failed = results.flat().find((r) => r.errorCode !== 0);
        if (failed) throw failure(session, wire, failed, validateOnly);
      }
    } finally {
      if (!options.wire) await wire.close();
    }
  });
}

async function send(wire: Wire, target: WireTarget, resources: readonly ConfigAlteration[], validateOnly: boolean): Promise<ConfigAlterationResult[]> {
  if (!(await wire.versions(target, INCREMENTAL_ALTER_CONFIGS_KEY))) {
    throw new OperationError('the cluster does not take IncrementalAlterConfigs', { hint: 'this needs Kafka 2.3 or newer' });
  }
  return wire.send(target, {
    apiKey: INCREMENTAL_ALTER_CONFIGS_KEY,
    apiName: 'IncrementalAlterConfigs',
    version: INCREMENTAL_ALTER_CONFIGS_VERSION,
    body: encodeIncrementalAlterConfigsRequest(resources, validateOnly),
    decode: decodeIncrementalAlterConfigsResponse,
  });
}

function failure(session: KafkaSession, wire: Wire, result: ConfigAlterationResult, validating: boolean): Error {
  const label = configResourceLabel(result);
  const authorization = AUTHORIZATION_FAILURES[result.errorCode];
  if (authorization !== undefined) {
    const refusal = { type: authorization, message: result.errorMessage ?? '' };
    return translateKafkaError(refusal, failureContext(session.settings, `change the configs of ${label}`, { operation: 'ALTER_CONFIGS', resource: result.type === 'topic' ? label : 'the cluster' }));
  }
  const reason = result.errorMessage ?? wire.errorFromCode(result.errorCode).message;
  return new OperationError(`cannot change the configs of ${label}: ${reason}`, validating ? { hint: 'nothing was changed' } : {});
}
