import type { CommandRun, ParsedOptions } from '../../cli/spec.js';
import { shownConfigs } from '../../core/brokers/brokerConfigs.js';
import { renderBrokerConfigs } from '../../render/brokers.js';
import type { DESCRIBE_OPTIONS } from './commands.js';
import { registeredBroker } from './lookup.js';

export const run: CommandRun<ParsedOptions<typeof DESCRIBE_OPTIONS>> = async (ctx, args, options) => {
  const session = await ctx.kafka();
  const broker = await registeredBroker(session, args[0]!);
  const { brokerConfigs } = await import('../../adapters/kafka/brokers.js');
  const configs = shownConfigs(await brokerConfigs(session, broker), options.all === true);
  await ctx.out.result({ broker, configs }, renderBrokerConfigs);
};
