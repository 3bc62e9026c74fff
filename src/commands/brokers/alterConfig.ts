import type { CommandRun, ParsedOptions } from '../../cli/spec.js';
import { parseAssignment, planBrokerConfigChange, type BrokerScope } from '../../core/brokers/brokerConfigs.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { renderBrokerAlteration, renderConfigChanges, type BrokerConfigAlteration } from '../../render/brokers.js';
import type { ALTER_CONFIG_OPTIONS } from './commands.js';
import { registeredBroker } from './lookup.js';

/**
 * Dynamic broker configs by name (IncrementalAlterConfigs): one broker's, or with
 * --all-brokers the cluster-wide default every broker falls back to. The brokers validate
 * every change before any is made, so a refused value changes nothing (exit 1).
 */
export const run: CommandRun<ParsedOptions<typeof ALTER_CONFIG_OPTIONS>> = async (ctx, args, options) => {
  const [id] = args;
  const allBrokers = options.allBrokers === true;
  if ((id === undefined) === !allBrokers) throw new UsageError(allBrokers ? 'give a broker id or --all-brokers, not both' : 'which broker?', { hint: 'a broker id, or --all-brokers for the cluster-wide default' });
  const set = new Map((options.set ?? []).map((text) => parseAssignment(text)).map(({ name, value }) => [name, value]));
  const remove = [...new Set(options.delete ?? [])];
  if (set.size === 0 && remove.length === 0) throw new UsageError('nothing to change', { hint: 'give --set name=value or --delete name' });

  const session = await ctx.kafka();
  const { brokerConfigs, brokerIds } = await import('../../adapters/kafka/brokers.js');
  // The cluster-wide default is read from a broker's synonyms: KafkaJS cannot describe the empty name.
  const broker = id === undefined ? (await brokerIds(session))[0]! : await registeredBroker(session, id);
  const scope: BrokerScope = allBrokers ? 'cluster-default' : 'broker';
  const plan = planBrokerConfigChange(await brokerConfigs(session, broker), scope, set, remove);
  const target = allBrokers ? 'cluster-default' : String(broker);
  const where = allBrokers ? 'the cluster-wide broker default' : `broker ${broker}`;
  if (plan.notSet.length > 0) ctx.out.warn(`not set dynamically on ${where}, nothing to remove: ${plan.notSet.join(', ')}`);
  const result: BrokerConfigAlteration = { target, changes: plan.changes, applied: false };
  if (plan.changes.length === 0) {
    await ctx.out.result(result, renderBrokerAlteration);
    return ExitCode.ok;
  }
  if (ctx.out.format === 'table') ctx.out.stdout(`${where}:\n${renderConfigChanges(plan.changes, ctx.out.style)}\n\n`);
  if (!(await ctx.confirm(`change ${plan.changes.length} config(s) of ${where}`, options.yes === true))) {
    ctx.out.info('alter-config cancelled: nothing was changed');
    return ExitCode.failed;
  }
  const { alterConfigsIncrementally } = await import('../../adapters/kafka/configs.js');
  const changes = {
    set: Object.fromEntries(plan.changes.filter((c) => c.op === 'set').map((c) => [c.name, set.get(c.name)!])),
    delete: plan.changes.filter((c) => c.op === 'delete').map((c) => c.name),
  };
  await alterConfigsIncrementally(session, [{ type: 'broker', name: allBrokers ? '' : String(broker), ...changes }]);
  await ctx.out.result({ ...result, applied: true }, renderBrokerAlteration);
  return ExitCode.ok;
};
