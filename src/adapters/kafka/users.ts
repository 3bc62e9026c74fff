/**
 * SCRAM users through the wire layer: KafkaJS has neither DescribeUserScramCredentials nor
 * AlterUserScramCredentials. A broker forwards both to the active controller.
 */
import { randomBytes } from 'node:crypto';
import {
  ALTER_SCRAM_KEY,
  decodeAlterScramResponse,
  decodeDescribeScramResponse,
  DESCRIBE_SCRAM_KEY,
  encodeAlterScramRequest,
  encodeDescribeScramRequest,
  saltedCredential,
  SCRAM_VERSION,
  type ScramDeletion,
  type ScramMechanism,
  type ScramUser,
} from '../../core/access/scramProtocol.js';
import { OperationError } from '../../core/errors.js';
import { failureContext, translateKafkaError } from './errors.js';
import type { KafkaSession } from './session.js';
import { Wire } from './wire.js';

const CLUSTER_AUTHORIZATION_FAILED = 31;
/** RESOURCE_NOT_FOUND: a user asked for by name has no credentials. */
const RESOURCE_NOT_FOUND = 91;

export interface NewCredential {
  user: string;
  mechanism: ScramMechanism;
  iterations: number;
  password: string;
}

export class ScramUsers {
  private wire: Promise<Wire> | undefined;

  constructor(private readonly session: KafkaSession) {}

  /** Users with their mechanisms; a named user without credentials is left out. */
  async describe(users: readonly string[] | null): Promise<ScramUser[]> {
    const response = await this.call('list SCRAM users', DESCRIBE_SCRAM_KEY, 'DescribeUserScramCredentials', encodeDescribeScramRequest(users), decodeDescribeScramResponse);
    if (response.errorCode !== 0) throw this.failure('list SCRAM users', 'DESCRIBE', response.errorCode, response.errorMessage);
    const known = response.users.filter((u) => u.errorCode !== RESOURCE_NOT_FOUND);
    const failed = known.find((u) => u.errorCode !== 0);
    if (failed) throw this.failure(`describe user ${failed.user}`, 'DESCRIBE', failed.errorCode, failed.errorMessage);
    return known.sort((a, b) => a.user.localeCompare(b.user));
  }

  /** One request for every change; the salt is new for each credential. */
  async alter(deletions: readonly ScramDeletion[], upsertions: readonly NewCredential[]): Promise<void> {
    const salted = upsertions.map((u) => saltedCredential(u.user, u.mechanism, u.password, u.iterations, randomBytes(32)));
    const action = `change the SCRAM credentials of ${[...new Set([...deletions, ...upsertions].map((c) => c.user))].join(', ')}`;
    const results = await this.call(action, ALTER_SCRAM_KEY, 'AlterUserScramCredentials', encodeAlterScramRequest(deletions, salted), decodeAlterScramResponse);
    const failed = results.find((r) => r.errorCode !== 0);
    if (failed) throw this.failure(`change the credentials of ${failed.user}`, 'ALTER', failed.errorCode, failed.errorMessage);
  }

  private async call<T>(action: string, apiKey: number, apiName: string, body: Buffer, decode: (response: Buffer) => T): Promise<T> {
    return this.session.run(action, async () => {
      const wire = await this.openWire();
      if (!(await wire.versions('controller', apiKey))) {
        throw new OperationError(`cannot ${action}: the cluster does not manage SCRAM credentials over the protocol`, { hint: 'this needs Kafka 2.7 or newer' });
      }
      return wire.send('controller', { apiKey, apiName, version: SCRAM_VERSION, body, decode });
    });
  }

  /** One connection for a command's describe and alter (each sign-in is a SCRAM exchange). */
  private openWire(): Promise<Wire> {
    this.wire ??= Wire.open(this.session.kafka);
    return this.wire;
  }

  async close(): Promise<void> {
    await (await this.wire?.catch(() => undefined))?.close();
  }

  private failure(action: string, operation: 'DESCRIBE' | 'ALTER', code: number, message: string | undefined): Error {
    if (code === CLUSTER_AUTHORIZATION_FAILED) {
      const refusal = { type: 'CLUSTER_AUTHORIZATION_FAILED', message: message ?? '' };
      return translateKafkaError(refusal, failureContext(this.session.settings, action, { operation, resource: 'the cluster' }));
    }
    return new OperationError(`cannot ${action}: ${message ?? `broker error ${code}`}`);
  }
}
