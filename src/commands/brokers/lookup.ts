import type { KafkaSession } from '../../adapters/kafka/session.js';
import { OperationError, UsageError } from '../../core/errors.js';

/** A broker id argument, checked against the brokers the cluster registers. */
export async function registeredBroker(session: KafkaSession, text: string): Promise<number> {
  if (!/^\d+$/.test(text)) throw new UsageError(`"${text}" is not a broker id`, { hint: 'a number, as "iotmsg brokers list" shows them' });
  const id = Number(text);
  const { brokerIds } = await import('../../adapters/kafka/brokers.js');
  const ids = await brokerIds(session);
  if (!ids.includes(id)) throw new OperationError(`no broker ${id} in the cluster`, { hint: `its brokers are ${ids.join(', ')}` });
  return id;
}
