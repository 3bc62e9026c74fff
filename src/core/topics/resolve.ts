import { ConfigError } from '../errors.js';
import { didYouMean } from './didYouMean.js';
import type {
  ConfigSettings,
  EnvironmentDefinition,
  Position,
  Project,
  ResolvedEnvironment,
  TopicDefinition,
  TopicDlq,
  TopicSpec,
} from './model.js';
import { dlqTopicName } from './names.js';

/** Kafka's own broker defaults (num.partitions, default.replication.factor) when nothing is set. */
const FALLBACK_PARTITIONS = 1;
const FALLBACK_REPLICATION_FACTOR = 1;

/** The DLQ siblings a topic gets, whatever the environment. */
export interface DlqSiblings {
  suffixes: readonly string[];
  /** The topic's own `dlq` block, when it has one. */
  settings: TopicDlq | undefined;
  /** Where the siblings come from: the topic's `dlq` key, else the topic. */
  source: Position;
}

export function dlqSiblingsOf(project: Project, topic: TopicDefinition): DlqSiblings | undefined {
  const { dlq } = topic;
  if (dlq === false) return undefined;
  if (dlq === undefined && !project.defaults.dlq.enabled) return undefined;
  return {
    suffixes: dlq?.suffixes ?? project.defaults.dlq.suffixes,
    settings: dlq,
    source: dlq?.source ?? topic.source,
  };
}

/** A resolved topic plus where each of its configs was set (for diagnostics). */
export interface ExpandedTopic {
  spec: TopicSpec;
  configSources: ConfigSettings;
}

function configValues(settings: ConfigSettings): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).map(([name, setting]) => [name, setting.value]));
}

function optional<K extends keyof TopicSpec>(key: K, value: TopicSpec[K] | undefined): Partial<TopicSpec> {
  return value === undefined ? {} : { [key]: value };
}

/**
 * Applies defaults, then the environment, then the topic (most specific wins)
 * and expands DLQ siblings right after their parent. `environment` is
 * undefined for a file without environments.
 */
export function expandTopics(project: Project, environment: EnvironmentDefinition | undefined): ExpandedTopic[] {
  const { defaults } = project;
  const baseConfigs: ConfigSettings = { ...defaults.configs, ...environment?.configs };
  const dlqBaseConfigs: ConfigSettings = { ...baseConfigs, ...defaults.dlq.configs };
  const expanded: ExpandedTopic[] = [];
  for (const topic of project.topics) {
    const partitions = topic.partitions ?? environment?.partitions ?? defaults.partitions ?? FALLBACK_PARTITIONS;
    const replicationFactor =
      topic.replicationFactor ??
      environment?.replicationFactor ??
      defaults.replicationFactor ??
      FALLBACK_REPLICATION_FACTOR;
    const configSources: ConfigSettings = { ...baseConfigs, ...topic.configs };
    expanded.push({
      spec: {
        name: topic.name,
        partitions,
        replicationFactor,
        configs: configValues(configSources),
        ...optional('description', topic.description),
        ...optional('owner', topic.owner),
        ...optional('keySchema', topic.keySchema),
        ...optional('valueSchema', topic.valueSchema),
        source: topic.source,
      },
      configSources,
    });
    const siblings = dlqSiblingsOf(project, topic);
    if (siblings === undefined) continue;
    const dlqConfigSources: ConfigSettings = { ...dlqBaseConfigs, ...siblings.settings?.configs };
    for (const suffix of siblings.suffixes) {
      expanded.push({
        spec: {
          name: dlqTopicName(topic.name, suffix),
          partitions: siblings.settings?.partitions ?? defaults.dlq.partitions ?? partitions,
          replicationFactor: siblings.settings?.replicationFactor ?? replicationFactor,
          configs: configValues(dlqConfigSources),
          dlqOf: topic.name,
          ...optional('owner', topic.owner),
          source: siblings.source,
        },
        configSources: dlqConfigSources,
      });
    }
  }
  return expanded;
}

/** The topics, connection and protections of one environment of a loaded project. */
export function resolveEnvironment(project: Project, envName: string): ResolvedEnvironment {
  const environment = Object.hasOwn(project.environments, envName) ? project.environments[envName] : undefined;
  if (environment === undefined) {
    const names = Object.keys(project.environments);
    const hint =
      didYouMean(envName, names) ??
      (names.length === 0
        ? `${project.file} defines no environments`
        : `environments in ${project.file}: ${names.join(', ')}`);
    throw new ConfigError(`unknown environment "${envName}"`, { hint });
  }
  return {
    name: environment.name,
    brokers: environment.brokers === undefined ? undefined : [...environment.brokers],
    schemaRegistry: environment.schemaRegistry,
    topics: expandTopics(project, environment).map((topic) => topic.spec),
    protectedTopics: [...new Set([...project.protectedTopics, ...environment.protectedTopics])],
  };
}
