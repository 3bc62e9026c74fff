import { connect as connectPlain, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { QuorumObservation } from '../../core/cluster/health.js';
import {
  correlationIdOf,
  decodeApiVersionsResponse,
  decodeDescribeQuorumResponse,
  describeQuorumVersion,
  encodeApiVersionsRequest,
  encodeDescribeQuorumRequest,
} from '../../core/cluster/quorumProtocol.js';
import type { ConnectionSettings } from '../../core/config/settings.js';
import { socketReason } from '../socketErrors.js';

/**
 * The state of the KRaft controller quorum, which KafkaJS cannot ask for: reported as data,
 * the health check decides what it means.
 */

/** One connection to one broker, for requests sent one after the other. */
class BrokerConnection {
  private buffered = Buffer.alloc(0);
  private waiting: { resolve: (frame: Buffer) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.deliver();
    });
    const fail = (error: Error) => {
      this.failure = error;
      this.waiting?.reject(error);
      this.waiting = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the broker closed the connection')));
  }

  static open(address: string, settings: ConnectionSettings, timeoutMs: number): Promise<BrokerConnection> {
    const [host, port] = splitAddress(address);
    return new Promise((resolve, reject) => {
      const tls = settings.tls;
      const socket = tls
        ? connectTls({
            host,
            port,
            servername: host,
            rejectUnauthorized: tls.rejectUnauthorized,
            ca: tls.caFile ? readFileSync(tls.caFile, 'utf8') : undefined,
            cert: tls.certFile ? readFileSync(tls.certFile, 'utf8') : undefined,
            key: tls.keyFile ? readFileSync(tls.keyFile, 'utf8') : undefined,
          })
        : connectPlain({ host, port });
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)));
      socket.once(tls ? 'secureConnect' : 'connect', () => resolve(new BrokerConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends a framed request and resolves with the response frame carrying its correlation id. */
  request(frame: Buffer, correlationId: number): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = {
        resolve: (response) => (correlationIdOf(response) === correlationId ? resolve(response) : reject(new Error('answer to another request'))),
        reject,
      };
      this.socket.write(frame);
      this.deliver();
    });
  }

  private deliver(): void {
    if (!this.waiting || this.buffered.length < 4) return;
    const size = this.buffered.readInt32BE(0);
    if (this.buffered.length < 4 + size) return;
    const response = this.buffered.subarray(4, 4 + size);
    this.buffered = this.buffered.subarray(4 + size);
    const { resolve } = this.waiting;
    this.waiting = undefined;
    resolve(response);
  }

  close(): void {
    this.socket.destroy();
  }
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon).replace(/^\[|\]$/g, ''), Number(address.slice(colon + 1))];
}

/**
 * Asks the first broker that answers to describe the KRaft quorum (the broker forwards
 * DescribeQuorum to the active controller). KafkaJS has no such call, hence the socket.
 */
export async function describeQuorum(settings: ConnectionSettings, timeoutMs = settings.timeoutMs): Promise<QuorumObservation> {
  if (settings.sasl) return { status: 'not-checked', reason: 'the quorum check does not sign in with SASL yet' };
  const reasons: string[] = [];
  for (const address of settings.brokers) {
    let connection: BrokerConnection | undefined;
    try {
      connection = await BrokerConnection.open(address, settings, timeoutMs);
      const versions = decodeApiVersionsResponse(await connection.request(encodeApiVersionsRequest(1, settings.clientId), 1));
      const version = describeQuorumVersion(versions.apis);
      if (version === undefined) return { status: 'not-kraft', address };
      const response = await connection.request(encodeDescribeQuorumRequest(version, 2, settings.clientId), 2);
      return { status: 'answered', address, quorum: decodeDescribeQuorumResponse(response, version) };
    } catch (error) {
      reasons.push(`${address}: ${socketReason(error)}`);
    } finally {
      connection?.close();
    }
  }
  return { status: 'unreachable', reason: reasons.join('; ') };
}
