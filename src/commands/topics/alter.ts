import type { CommandRun, ParsedOptions } from '../../cli/spec.js';
import { OperationError, UsageError } from '../../core/errors.js';
import {
  configNameProblem,
  normaliseConfigValue,
  overridesAfter,
  parseConfigAssignment,
  reservedTopicReason,
  type ConfigChange,
} from '../../core/topics/index.js';
import { renderAltered, type AlteredTopic } from '../../render/topics.js';
import type { ALTER_OPTIONS } from './commands.js';
import { findTopic } from './lookup.js';

type AlterOptions = ParsedOptions<typeof ALTER_OPTIONS>;

/** --config k=v and --delete-config k, checked against Kafka's topic-config catalogue. */
function requestedConfigs(options: AlterOptions, topic: string): { sets: Map<string, string>; removals: string[] } {
  const sets = new Map<string, string>();
  for (const text of options.config ?? []) {
    const parsed = parseConfigAssignment(text, `--config for "${topic}"`);
    if (!parsed.ok) throw new UsageError(parsed.message, { hint: parsed.hint ?? 'see the topic configs of Kafka 3.9' });
    sets.set(parsed.name, parsed.value);
  }
  const removals = options.deleteConfig ?? [];
  for (const name of removals) {
    const problem = configNameProblem(name);
    if (problem !== undefined) throw new UsageError(`--delete-config: ${problem.message}`, { hint: problem.hint ?? 'see the topic configs of Kafka 3.9' });
    if (sets.has(name)) throw new UsageError(`"${name}" is both set with --config and removed with --delete-config`);
  }
  return { sets, removals };
}

/**
 * Changes one topic in place. Kafka's AlterConfigs replaces a topic's whole set of
 * overrides, so the set sent is the current one with only the named changes.
 */
export const run: CommandRun<AlterOptions> = async (ctx, args, options) => {
  const [name = ''] = args;
  const { partitions } = options;
  const { sets, removals } = requestedConfigs(options, name);
  if (partitions === undefined && sets.size === 0 && removals.length === 0) {
    throw new UsageError('nothing to alter', { hint: 'give --partitions, --config name=value or --delete-config name' });
  }
  const reserved = reservedTopicReason(name);
  if (reserved !== undefined) throw new OperationError(`refusing to alter internal topic "${name}"`, { hint: reserved });
  const admin = await ctx.admin();
  const topic = findTopic(await admin.listTopics(), name);
  const current = topic.partitions.length;
  if (partitions !== undefined && partitions < current) {
    throw new OperationError(`cannot reduce "${name}" from ${current} to ${partitions} partitions: Kafka only adds partitions`, {
      hint: 'create a new topic with fewer partitions and move the data, or keep the partitions',
    });
  }
  const overrides = (await admin.topicConfigs([name])).get(name) ?? {};
  const changes: ConfigChange[] = [];
  for (const [config, to] of sets) {
    const now = overrides[config];
    if (now?.source === 'dynamic' && normaliseConfigValue(config, now.value) === normaliseConfigValue(config, to)) continue;
    changes.push({ op: 'set', name: config, from: now?.value ?? null, to });
  }
  const notOverridden: string[] = [];
  for (const config of removals) {
    const now = overrides[config];
    if (now?.source === 'dynamic') changes.push({ op: 'delete', name: config, from: now.value });
    else notOverridden.push(config);
  }
  if (notOverridden.length > 0) ctx.out.warn(`not overridden on "${name}", nothing to remove: ${notOverridden.join(', ')}`);

  const grow = partitions !== undefined && partitions > current;
  if (grow) {
    const increase = [{ topic: name, count: partitions }];
    await admin.createPartitions(increase, { validateOnly: false });
    await admin.waitForPartitions(increase);
  }
  if (changes.length > 0) {
    const replacement = [{ topic: name, configs: overridesAfter(overrides, changes) }];
    await admin.replaceTopicConfigs(replacement, { validateOnly: false });
    await admin.waitForConfigs(replacement);
  }
  const altered: AlteredTopic = { topic: name, partitions: grow ? { from: current, to: partitions } : null, configs: changes };
  await ctx.out.result(altered, renderAltered);
};
