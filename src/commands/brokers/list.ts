import type { CommandRun } from '../../cli/spec.js';
import { renderBrokers } from '../../render/brokers.js';

export const run: CommandRun = async (ctx) => {
  const { listBrokers } = await import('../../adapters/kafka/brokers.js');
  await ctx.out.result(await listBrokers(await ctx.kafka()), renderBrokers);
};
