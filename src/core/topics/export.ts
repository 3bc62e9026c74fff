/**
 * The cluster as a topics.yaml (for `topics export`): only dynamic overrides,
 * human units where exact, DLQ siblings folded back under their parent, and
 * values every topic shares moved to `defaults`. Loading the result and
 * planning against the same topics yields no changes.
 */
import { Document, isNode, isSeq } from 'yaml';
import { configUnit, topicConfig } from './configCatalog.js';
import { normaliseConfigValue } from './configValues.js';
import { DEFAULT_DLQ_SUFFIXES, dlqTopicName } from './names.js';
import { compareNames, isInternalTopic, type ObservedTopic } from './plan.js';
import { formatQuantity } from './units.js';

export interface ExportOptions {
  /** The environment the exported file declares (the cluster it came from). */
  environment: string;
  brokers?: string[];
  schemaRegistry?: string;
  /** Suffixes recognised as DLQ siblings; the standard four by default. */
  dlqSuffixes?: readonly string[];
  /** The cluster's ACLs, folded into an access section (foldAccess). */
  access?: Readonly<Record<string, unknown>>;
}

type YamlScalar = string | number | boolean;

interface DlqSibling {
  suffix: string;
  topic: ObservedTopic;
}

/** A topic's dynamic overrides by name (sorted), as the broker spells them. */
function overridesOf(topic: ObservedTopic): Map<string, string> {
  return new Map(
    Object.entries(topic.configs)
      .filter(([, config]) => config.source === 'dynamic')
      .map(([name, config]): [string, string] => [name, config.value])
      .sort(([a], [b]) => compareNames(a, b)),
  );
}

function sameOverrides(a: ObservedTopic, b: ObservedTopic): boolean {
  const left = overridesOf(a);
  const right = overridesOf(b);
  return (
    left.size === right.size &&
    [...left].every(([name, value]) => right.has(name) && normaliseConfigValue(name, value) === normaliseConfigValue(name, right.get(name) ?? ''))
  );
}

/** The value as it reads best in the file; loading converts it back to exactly `value`. */
function fileValue(name: string, value: string): YamlScalar {
  const definition = topicConfig(name);
  const text = value.trim();
  switch (definition?.type) {
    case 'boolean':
      return text.toLowerCase() === 'true';
    case 'int':
    case 'long': {
      if (!/^-?\d+$/.test(text)) return value;
      const number = BigInt(text);
      const unit = configUnit(definition);
      const human = unit === undefined ? undefined : formatQuantity(number, unit);
      if (human !== undefined) return human;
      return Number.isSafeInteger(Number(number)) ? Number(number) : number.toString();
    }
    case 'double': {
      const number = Number(text);
      return Number.isFinite(number) ? number : value;
    }
    default:
      return value;
  }
}

/** The file's `configs` for some overrides, leaving out `shared` ones and configs the catalogue does not know. */
function fileConfigs(overrides: Map<string, string>, shared: ReadonlySet<string>): { configs: Record<string, YamlScalar>; unknown: string[] } {
  const configs: Record<string, YamlScalar> = {};
  const unknown: string[] = [];
  for (const [name, value] of overrides) {
    if (shared.has(name)) continue;
    if (topicConfig(name) === undefined) unknown.push(name);
    else configs[name] = fileValue(name, value);
  }
  return { configs, unknown };
}

/** Overrides (catalogue configs only) with the same value in every set, so they can go in `defaults`. */
function sharedOverrides(sets: Map<string, string>[]): Map<string, string> {
  const [first, ...rest] = sets;
  const shared = new Map<string, string>();
  if (first === undefined || rest.length === 0) return shared;
  for (const [name, value] of first) {
    const normalised = normaliseConfigValue(name, value);
    const everywhere = rest.every((set) => {
      const other = set.get(name);
      return other !== undefined && normaliseConfigValue(name, other) === normalised;
    });
    if (everywhere && topicConfig(name) !== undefined) shared.set(name, value);
  }
  return shared;
}

/**
 * Siblings by parent name. A sibling matches `<parent>.<suffix>` for an
 * existing parent that is not itself a sibling; a group is kept only when its
 * topics share partitions, replication and overrides (one dlq block says it all).
 */
function findDlqGroups(topics: ObservedTopic[], suffixes: readonly string[]): Map<string, DlqSibling[]> {
  const names = new Set(topics.map((topic) => topic.name));
  const siblingNames = new Set<string>();
  const groups = new Map<string, DlqSibling[]>();
  const shortestFirst = [...topics].sort((a, b) => a.name.length - b.name.length || compareNames(a.name, b.name));
  for (const topic of shortestFirst) {
    for (const suffix of suffixes) {
      if (!topic.name.endsWith(`.${suffix}`)) continue;
      const parent = topic.name.slice(0, -(suffix.length + 1));
      if (!names.has(parent) || siblingNames.has(parent)) continue;
      siblingNames.add(topic.name);
      groups.set(parent, [...(groups.get(parent) ?? []), { suffix, topic }]);
      break;
    }
  }
  for (const [parent, siblings] of groups) {
    const [first, ...rest] = siblings;
    const uniform = rest.every(
      ({ topic }) =>
        first !== undefined &&
        topic.partitions === first.topic.partitions &&
        topic.replicationFactor === first.topic.replicationFactor &&
        sameOverrides(topic, first.topic),
    );
    if (!uniform) groups.delete(parent);
  }
  return groups;
}

/** The most frequent value (ties: the smallest), so most topics need not repeat it. */
function mostCommon(values: number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort(([valueA, countA], [valueB, countB]) => countB - countA || valueA - valueB)[0]?.[0];
}

function dlqBlock(
  parent: ObservedTopic,
  siblings: DlqSibling[],
  suffixOrder: readonly string[],
  shared: ReadonlySet<string>,
): true | Record<string, unknown> {
  const block: Record<string, unknown> = {};
  const suffixes = suffixOrder.filter((suffix) => siblings.some((sibling) => sibling.suffix === suffix));
  const isDefaultSet = suffixes.length === DEFAULT_DLQ_SUFFIXES.length && suffixes.every((s) => DEFAULT_DLQ_SUFFIXES.includes(s));
  if (!isDefaultSet) block.suffixes = suffixes;
  const sample = siblings[0]?.topic;
  if (sample !== undefined) {
    if (sample.partitions !== parent.partitions) block.partitions = sample.partitions;
    if (sample.replicationFactor !== parent.replicationFactor) block.replicationFactor = sample.replicationFactor;
    const { configs } = fileConfigs(overridesOf(sample), shared);
    if (Object.keys(configs).length > 0) block.configs = configs;
  }
  return Object.keys(block).length === 0 ? true : block;
}

export function exportProject(observed: ObservedTopic[], options: ExportOptions): string {
  const suffixOrder = options.dlqSuffixes ?? DEFAULT_DLQ_SUFFIXES;
  const topics = observed.filter((topic) => !isInternalTopic(topic)).sort((a, b) => compareNames(a.name, b.name));
  const groups = findDlqGroups(topics, suffixOrder);
  const folded = new Set([...groups].flatMap(([parent, siblings]) => siblings.map((s) => dlqTopicName(parent, s.suffix))));
  const parents = topics.filter((topic) => !folded.has(topic.name));
  const defaultPartitions = mostCommon(parents.map((topic) => topic.partitions));
  const replicationFactor = mostCommon(parents.map((topic) => topic.replicationFactor));
  // defaults.configs reach DLQ siblings too, so a shared value must hold for them as well.
  const sharedConfigs = sharedOverrides([
    ...parents.map(overridesOf),
    ...[...groups.values()].flatMap(([sample]) => (sample === undefined ? [] : [overridesOf(sample.topic)])),
  ]);
  const shared = new Set(sharedConfigs.keys());

  const skippedConfigs: { index: number; names: string[] }[] = [];
  const entries = parents.map((topic, index) => {
    const entry: Record<string, unknown> = { name: topic.name };
    if (topic.partitions !== defaultPartitions) entry.partitions = topic.partitions;
    if (topic.replicationFactor !== replicationFactor) entry.replicationFactor = topic.replicationFactor;
    const { configs, unknown } = fileConfigs(overridesOf(topic), shared);
    if (Object.keys(configs).length > 0) entry.configs = configs;
    if (unknown.length > 0) skippedConfigs.push({ index, names: unknown });
    const siblings = groups.get(topic.name);
    if (siblings !== undefined) entry.dlq = dlqBlock(topic, siblings, suffixOrder, shared);
    return entry;
  });

  const defaults: Record<string, unknown> = {};
  if (defaultPartitions !== undefined) defaults.partitions = defaultPartitions;
  if (sharedConfigs.size > 0) defaults.configs = fileConfigs(sharedConfigs, new Set()).configs;
  const environment: Record<string, unknown> = {};
  if (options.brokers !== undefined) environment.brokers = options.brokers;
  if (options.schemaRegistry !== undefined) environment.schemaRegistry = options.schemaRegistry;
  if (replicationFactor !== undefined) environment.replicationFactor = replicationFactor;

  const document = new Document({
    ...(Object.keys(defaults).length === 0 ? {} : { defaults }),
    environments: { [options.environment]: environment },
    topics: entries,
    ...(options.access === undefined || Object.keys(options.access).length === 0 ? {} : { access: options.access }),
  });
  document.commentBefore =
    ' Exported from the cluster by iotmsg. Only dynamic topic overrides are listed;\n anything else is the broker default.';
  const topicNodes = document.get('topics', true);
  for (const skipped of skippedConfigs) {
    const node: unknown = isSeq(topicNodes) ? topicNodes.items[skipped.index] : undefined;
    if (isNode(node)) node.commentBefore = ` not exported (not Kafka 3.9 topic configs): ${skipped.names.join(', ')}`;
  }
  return document.toString({ lineWidth: 0 });
}
