import type { QuorumObservation } from '../../core/cluster/health.js';
import { decodeDescribeQuorumResponse, DESCRIBE_QUORUM_KEY, describeQuorumVersion, encodeDescribeQuorumRequest } from '../../core/cluster/quorumProtocol.js';
import type { ConnectionSettings } from '../../core/config/settings.js';
import { UnavailableError } from '../../core/errors.js';
import { withDeadline } from './errors.js';
import { createKafka } from './client.js';
import { socketReason } from '../socketErrors.js';
import { Wire } from './wire.js';

/**
 * The state of the KRaft controller quorum, which KafkaJS cannot ask for: reported as data,
 * the health check decides what it means. Asked over the wire layer, so it signs in and
 * speaks TLS as every other request does.
 */
export async function describeQuorum(settings: ConnectionSettings, timeoutMs = settings.timeoutMs): Promise<QuorumObservation> {
  const address = settings.brokers.join(',');
  let wire: Wire | undefined;
  const probe = async (): Promise<QuorumObservation> => {
    wire = await Wire.open(await createKafka({ ...settings, timeoutMs }));
    // Any broker forwards DescribeQuorum to the active controller.
    const version = describeQuorumVersion(await wire.versions('any', DESCRIBE_QUORUM_KEY));
    if (version === undefined) return { status: 'not-kraft', address };
    const quorum = await wire.send('any', { apiKey: DESCRIBE_QUORUM_KEY, apiName: 'DescribeQuorum', version, body: encodeDescribeQuorumRequest(), decode: (r) => decodeDescribeQuorumResponse(r, version) });
    return { status: 'answered', address, quorum };
  };
  try {
    return await withDeadline(probe(), timeoutMs, () => new UnavailableError(`no answer within ${timeoutMs / 1000}s`));
  } catch (error) {
    return { status: 'unreachable', reason: `${address}: ${socketReason(error)}` };
  } finally {
    await wire?.close();
  }
}
