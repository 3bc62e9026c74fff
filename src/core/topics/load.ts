import { isNode, LineCounter, parseDocument, type Node } from 'yaml';
import { checkAccess, readAccess, readSuperUsers } from '../access/index.js';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { brokerOnlyConfig, TOPIC_CONFIG_NAMES, topicConfig } from './configCatalog.js';
import { convertConfigValue } from './configValues.js';
import { didYouMean } from './didYouMean.js';
import {
  brokerAddressProblem,
  DEFAULTS_KEYS,
  DLQ_DEFAULTS_KEYS,
  ENVIRONMENT_KEYS,
  FILE_KEYS,
  SCHEMA_REF_KEYS,
  TOPIC_DLQ_KEYS,
  TOPIC_KEYS,
} from './fileFormat.js';
import {
  COMPATIBILITY_LEVELS,
  type CompatibilityLevel,
  type ConfigSetting,
  type ConfigSettings,
  type DlqDefaults,
  type EnvironmentDefinition,
  type Position,
  type Project,
  type ProjectDefaults,
  type SchemaRef,
  type TopicDefinition,
  type TopicDlq,
} from './model.js';
import {
  collisionKey,
  DEFAULT_DLQ_SUFFIXES,
  dlqSuffixProblem,
  dlqTopicName,
  reservedTopicReason,
  topicNameProblem,
} from './names.js';
import { dlqSiblingsOf, expandTopics } from './resolve.js';
import { readRegistry, readSecurity } from './securityBlock.js';
import { YamlReader, type Field, type Fields } from './yamlReader.js';

/**
 * Parses and validates topics.yaml. Every problem is reported with its
 * position; the project is returned only when there are no errors.
 */
export function loadTopicsFile(text: string, file: string): { project: Project | undefined; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const reader = new YamlReader(file, lineCounter, document);
  for (const problem of document.errors) {
    reader.error(reader.positionAt(problem.pos[0]), 'yaml-syntax', yamlMessage(problem.code, problem.message));
  }
  for (const problem of document.warnings) {
    reader.report('warning', reader.positionAt(problem.pos[0]), 'yaml-warning', yamlMessage(problem.code, problem.message));
  }
  if (hasErrors(reader.diagnostics)) return { project: undefined, diagnostics: reader.diagnostics };

  const project = readProject(reader, isNode(document.contents) ? document.contents : null, file);
  if (project !== undefined) {
    checkTopicNames(reader, project);
    checkMinInsyncReplicas(reader, project);
    const topicNames = expandTopics(project, undefined).map((t) => t.spec.name);
    checkAccess(reader, project.access, Object.values(project.environments).map((e) => e.access), topicNames);
  }
  const diagnostics = sortByPosition(reader.diagnostics);
  return { project: hasErrors(diagnostics) ? undefined : project, diagnostics };
}

function yamlMessage(code: string, message: string): string {
  if (code === 'MULTIPLE_DOCS') return 'the file must hold a single YAML document';
  return message.charAt(0).toLowerCase() + message.slice(1);
}

/** File order (the sort is stable, so problems at one position keep the order they were found in). */
function sortByPosition(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
}

const label = (key: string, context: string): string => `"${key}" in ${context}`;

function readProject(reader: YamlReader, root: Node | null, file: string): Project | undefined {
  if (root === null) {
    reader.error({ line: 0, column: 0 }, 'empty-file', 'the file is empty', 'start with a "topics:" list');
    return undefined;
  }
  const rootAt = reader.positionOf(root);
  const fields = reader.mapping(root, rootAt, 'the file', 'the file', FILE_KEYS);
  if (fields === undefined) return undefined;
  const topicsField = fields.get('topics');
  if (topicsField === undefined) reader.error(rootAt, 'missing-key', 'missing key "topics" in the file');
  const defaults = readDefaults(reader, fields.get('defaults'));
  return {
    file,
    defaults,
    environments: readEnvironments(reader, fields.get('environments')),
    topics: topicsField === undefined ? [] : readTopics(reader, topicsField),
    access: readAccess(reader, fields.get('access'), 'the file', false),
    protectedTopics: readProtectedTopics(reader, fields.get('protectedTopics'), 'the file'),
  };
}

/** The common numeric keys, read the same way at every level. */
function readCounts(reader: YamlReader, fields: Fields, context: string): { partitions?: number; replicationFactor?: number } {
  const counts: { partitions?: number; replicationFactor?: number } = {};
  for (const key of ['partitions', 'replicationFactor'] as const) {
    const field = fields.get(key);
    if (field === undefined) continue;
    const value = reader.integer(field.value, reader.valuePosition(field), label(key, context), 1);
    if (value !== undefined) counts[key] = value;
  }
  return counts;
}

function readDefaults(reader: YamlReader, field: Field | undefined): ProjectDefaults {
  const empty: ProjectDefaults = { configs: {}, dlq: { enabled: false, suffixes: DEFAULT_DLQ_SUFFIXES, configs: {} } };
  if (field === undefined) return empty;
  const fields = reader.mapping(field.value, reader.valuePosition(field), label('defaults', 'the file'), 'defaults', DEFAULTS_KEYS);
  if (fields === undefined) return empty;
  return {
    ...readCounts(reader, fields, 'defaults'),
    configs: readConfigs(reader, fields.get('configs'), 'defaults'),
    dlq: readDlqDefaults(reader, fields.get('dlq')),
  };
}

function readDlqDefaults(reader: YamlReader, field: Field | undefined): DlqDefaults {
  const dlq: DlqDefaults = { enabled: false, suffixes: DEFAULT_DLQ_SUFFIXES, configs: {} };
  if (field === undefined) return dlq;
  const context = 'defaults.dlq';
  const fields = reader.mapping(field.value, reader.valuePosition(field), label('dlq', 'defaults'), context, DLQ_DEFAULTS_KEYS);
  if (fields === undefined) return dlq;
  const enabled = fields.get('enabled');
  if (enabled !== undefined) {
    dlq.enabled = reader.boolean(enabled.value, reader.valuePosition(enabled), label('enabled', context)) ?? false;
  }
  const suffixes = readSuffixes(reader, fields.get('suffixes'), context);
  if (suffixes !== undefined) dlq.suffixes = suffixes;
  const { partitions } = readCounts(reader, fields, context);
  if (partitions !== undefined) dlq.partitions = partitions;
  dlq.configs = readConfigs(reader, fields.get('configs'), context);
  return dlq;
}

function readSuffixes(reader: YamlReader, field: Field | undefined, context: string): string[] | undefined {
  if (field === undefined) return undefined;
  const at = reader.valuePosition(field);
  const items = reader.stringList(field.value, at, label('suffixes', context));
  if (items === undefined) return undefined;
  if (items.length === 0) {
    reader.error(at, 'empty-list', `${label('suffixes', context)} must not be empty`, 'use "dlq: false" to turn DLQs off');
    return undefined;
  }
  const suffixes: string[] = [];
  for (const item of items) {
    const problem = dlqSuffixProblem(item.value);
    if (problem !== undefined) {
      reader.error(item.at, 'invalid-dlq-suffix', `invalid dlq suffix "${item.value}" in ${context}`, problem);
    } else if (suffixes.includes(item.value)) {
      reader.error(item.at, 'duplicate-dlq-suffix', `duplicate dlq suffix "${item.value}" in ${context}`);
    } else {
      suffixes.push(item.value);
    }
  }
  return suffixes;
}

/** Topic configs, checked against the Kafka 3.9 catalogue and converted to Kafka's strings. */
function readConfigs(reader: YamlReader, field: Field | undefined, context: string): ConfigSettings {
  const settings: Record<string, ConfigSetting> = {};
  if (field === undefined) return settings;
  const entries = reader.namedEntries(field.value, reader.valuePosition(field), label('configs', context), `the configs of ${context}`);
  for (const entry of entries?.values() ?? []) {
    const keyAt = reader.positionOf(entry.keyNode);
    const definition = topicConfig(entry.key);
    if (definition === undefined) {
      reportNonTopicConfig(reader, entry, keyAt, context);
      continue;
    }
    const converted = convertConfigValue(definition, reader.rawConfigValue(entry.value), context);
    if (!converted.ok) {
      reader.error(reader.valuePosition(entry), converted.code, converted.message, converted.hint);
      continue;
    }
    if (definition.deprecated !== undefined) {
      reader.report('warning', keyAt, 'deprecated-config', `topic config "${entry.key}" in ${context} is ${definition.deprecated}`);
    }
    settings[entry.key] = { value: converted.value, source: keyAt };
  }
  return settings;
}

function reportNonTopicConfig(reader: YamlReader, entry: Field, at: Position, context: string): void {
  const broker = brokerOnlyConfig(entry.key);
  if (broker === undefined) {
    reader.error(at, 'unknown-config', `unknown topic config "${entry.key}" in ${context}`, didYouMean(entry.key, TOPIC_CONFIG_NAMES));
    return;
  }
  let hint: string;
  if (broker.kind === 'file-key') {
    hint = `use the "${broker.fileKey}" key instead`;
  } else {
    const raw = reader.rawConfigValue(entry.value);
    const example = broker.unit !== undefined && raw.type === 'number' ? `, e.g. ${broker.topicConfig}: ${raw.text}${broker.unit}` : '';
    hint = `use the topic-level "${broker.topicConfig}" instead${example}`;
  }
  reader.error(at, 'broker-config', `"${entry.key}" in ${context} is a broker-level config, not a topic config`, hint);
}

function readEnvironments(reader: YamlReader, field: Field | undefined): Record<string, EnvironmentDefinition> {
  const environments: Record<string, EnvironmentDefinition> = {};
  if (field === undefined) return environments;
  const entries = reader.namedEntries(field.value, reader.valuePosition(field), label('environments', 'the file'), 'environments');
  for (const entry of entries?.values() ?? []) {
    const environment = readEnvironment(reader, entry);
    if (environment !== undefined) environments[entry.key] = environment;
  }
  return environments;
}

function readEnvironment(reader: YamlReader, entry: Field): EnvironmentDefinition | undefined {
  const context = `environment "${entry.key}"`;
  const source = reader.positionOf(entry.keyNode);
  const fields = reader.mapping(entry.value, reader.valuePosition(entry), context, context, ENVIRONMENT_KEYS);
  if (fields === undefined) return undefined;
  const environment: EnvironmentDefinition = {
    name: entry.key,
    ...readCounts(reader, fields, context),
    configs: readConfigs(reader, fields.get('configs'), context),
    protectedTopics: [],
    superUsers: readSuperUsers(reader, fields.get('superUsers'), context),
    access: readAccess(reader, fields.get('access'), context, true),
    source,
  };
  const brokers = fields.get('brokers');
  if (brokers !== undefined) {
    const at = reader.valuePosition(brokers);
    const items = reader.stringList(brokers.value, at, label('brokers', context));
    if (items?.length === 0) reader.error(at, 'empty-list', `${label('brokers', context)} must not be empty`);
    for (const item of items ?? []) {
      const problem = brokerAddressProblem(item.value);
      if (problem !== undefined) reader.error(item.at, 'invalid-broker-address', `invalid broker address "${item.value}" in ${context}`, problem);
    }
    if (items !== undefined) environment.brokers = items.map((item) => item.value);
  }
  const registryField = fields.get('schemaRegistry');
  const registry = registryField && readRegistry(reader, registryField, context);
  if (registry !== undefined) {
    const { url, ...rest } = registry;
    environment.schemaRegistry = url;
    if (Object.keys(rest).length > 0) environment.registrySecurity = rest;
  }
  const securityField = fields.get('security');
  const security = securityField && readSecurity(reader, securityField, context);
  if (security !== undefined) environment.security = security;
  environment.protectedTopics.push(...readProtectedTopics(reader, fields.get('protectedTopics'), context));
  return environment;
}

function readProtectedTopics(reader: YamlReader, field: Field | undefined, context: string): string[] {
  if (field === undefined) return [];
  const names: string[] = [];
  for (const item of reader.stringList(field.value, reader.valuePosition(field), label('protectedTopics', context)) ?? []) {
    const problem = topicNameProblem(item.value);
    if (problem !== undefined) reader.error(item.at, 'invalid-topic-name', `${problem.message} in ${label('protectedTopics', context)}`, problem.hint);
    else names.push(item.value);
  }
  return names;
}

function readTopics(reader: YamlReader, field: Field): TopicDefinition[] {
  const items = reader.list(field.value, reader.valuePosition(field), label('topics', 'the file')) ?? [];
  return items.flatMap((item, index) => readTopic(reader, item.node, item.at, index) ?? []);
}

function readTopic(reader: YamlReader, node: Node | null, at: Position, index: number): TopicDefinition | undefined {
  const peeked = reader.peekString(node, 'name');
  const context = peeked === undefined ? `topic #${index + 1}` : `topic "${peeked}"`;
  const fields = reader.mapping(node, at, context, context, TOPIC_KEYS);
  if (fields === undefined) return undefined;
  const nameField = fields.get('name');
  if (nameField === undefined) reader.error(at, 'missing-key', `missing key "name" in ${context}`);
  const nameSource = nameField === undefined ? at : reader.valuePosition(nameField);
  const name = nameField && reader.string(nameField.value, nameSource, label('name', context));
  // The rest is read even without a usable name, so its problems are reported too.
  const topic: Omit<TopicDefinition, 'name'> = {
    ...readCounts(reader, fields, context),
    configs: readConfigs(reader, fields.get('configs'), context),
    dlq: readTopicDlq(reader, fields.get('dlq'), context),
    source: at,
    nameSource,
  };
  for (const key of ['description', 'owner'] as const) {
    const text = fields.get(key);
    const value = text && reader.string(text.value, reader.valuePosition(text), label(key, context));
    if (value !== undefined) topic[key] = value;
  }
  for (const key of ['keySchema', 'valueSchema'] as const) {
    const schema = readSchemaRef(reader, fields.get(key), context);
    if (schema !== undefined) topic[key] = schema;
  }
  return name === undefined ? undefined : { name, ...topic };
}

function readTopicDlq(reader: YamlReader, field: Field | undefined, topicContext: string): TopicDlq | false | undefined {
  if (field === undefined) return undefined;
  const at = reader.valuePosition(field);
  const flag = reader.scalarValue(field.value);
  if (flag === true) return { configs: {}, source: at };
  if (flag === false) return false;
  const context = `the dlq of ${topicContext}`;
  const expected = 'true, false or a mapping';
  const fields = reader.mapping(field.value, at, label('dlq', topicContext), context, TOPIC_DLQ_KEYS, expected);
  if (fields === undefined) return undefined;
  const dlq: TopicDlq = { ...readCounts(reader, fields, context), configs: readConfigs(reader, fields.get('configs'), context), source: at };
  const suffixes = readSuffixes(reader, fields.get('suffixes'), context);
  if (suffixes !== undefined) dlq.suffixes = suffixes;
  return dlq;
}

function readSchemaRef(reader: YamlReader, field: Field | undefined, topicContext: string): SchemaRef | undefined {
  if (field === undefined) return undefined;
  const at = reader.valuePosition(field);
  const context = `the ${field.key} of ${topicContext}`;
  const shorthand = reader.scalarValue(field.value);
  if (typeof shorthand === 'string') return schemaPathOk(reader, shorthand, at, context) ? { schema: shorthand, source: at } : undefined;
  const expected = 'a schema file path or a mapping';
  const fields = reader.mapping(field.value, at, label(field.key, topicContext), context, SCHEMA_REF_KEYS, expected);
  if (fields === undefined) return undefined;
  const ref: SchemaRef = { source: at };
  const schema = fields.get('schema');
  if (schema !== undefined) {
    const schemaAt = reader.valuePosition(schema);
    const path = reader.string(schema.value, schemaAt, label('schema', context));
    if (path !== undefined && schemaPathOk(reader, path, schemaAt, context)) ref.schema = path;
  }
  const subject = fields.get('subject');
  if (subject !== undefined) {
    const name = reader.string(subject.value, reader.valuePosition(subject), label('subject', context));
    if (name !== undefined) ref.subject = name;
  }
  const compatibility = fields.get('compatibility');
  if (compatibility !== undefined) {
    const levelAt = reader.valuePosition(compatibility);
    const level = reader.string(compatibility.value, levelAt, label('compatibility', context));
    if (level !== undefined && isCompatibilityLevel(level)) ref.compatibility = level;
    else if (level !== undefined) {
      reader.error(
        levelAt,
        'invalid-value',
        `invalid compatibility "${level}" in ${context}`,
        didYouMean(level, COMPATIBILITY_LEVELS) ?? `expected one of: ${COMPATIBILITY_LEVELS.join(', ')}`,
      );
    }
  }
  if (schema === undefined && subject === undefined) {
    reader.error(at, 'missing-key', `${context} needs "schema" (a file) or "subject" (a registry subject)`);
  }
  return ref;
}

function isCompatibilityLevel(level: string): level is CompatibilityLevel {
  return (COMPATIBILITY_LEVELS as readonly string[]).includes(level);
}

function schemaPathOk(reader: YamlReader, path: string, at: Position, context: string): boolean {
  if (path.trim() === '' || path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) {
    reader.error(at, 'invalid-schema-path', `schema path "${path}" in ${context} must be relative to the project`);
    return false;
  }
  return true;
}

interface NameOwner {
  name: string;
  /** How the owner is named in messages: `topic "a"` or `dlq topic "a.dlq" of "a"`. */
  description: string;
  at: Position;
}

/**
 * Names, duplicates, "."/"_" collisions and DLQ sibling clashes, in one pass
 * over declared topics and one over siblings (two hash maps, no pairwise scan).
 */
function checkTopicNames(reader: YamlReader, project: Project): void {
  const byName = new Map<string, NameOwner>();
  const byCollisionKey = new Map<string, NameOwner>();
  const register = (owner: NameOwner): void => {
    byName.set(owner.name, owner);
    byCollisionKey.set(collisionKey(owner.name), owner);
  };
  for (const topic of project.topics) {
    const at = topic.nameSource;
    const problem = topicNameProblem(topic.name);
    if (problem !== undefined) {
      reader.error(at, 'invalid-topic-name', problem.message, problem.hint);
      continue;
    }
    const reserved = reservedTopicReason(topic.name);
    if (reserved !== undefined) {
      reader.error(at, 'internal-topic', `topic "${topic.name}" is internal and cannot be managed`, reserved);
      continue;
    }
    const earlier = byName.get(topic.name);
    if (earlier !== undefined) {
      reader.error(at, 'duplicate-topic', `duplicate topic "${topic.name}"`, `first declared at line ${earlier.at.line}`);
      continue;
    }
    const lookalike = byCollisionKey.get(collisionKey(topic.name));
    if (lookalike !== undefined) {
      reader.error(
        at,
        'topic-name-collision',
        `topic "${topic.name}" collides with ${lookalike.description}`,
        'Kafka treats "." and "_" alike in topic names; rename one of them',
      );
      continue;
    }
    register({ name: topic.name, description: `topic "${topic.name}"`, at });
  }
  for (const topic of project.topics) {
    const siblings = dlqSiblingsOf(project, topic);
    if (siblings === undefined || byName.get(topic.name)?.at !== topic.nameSource) continue;
    for (const suffix of siblings.suffixes) {
      const name = dlqTopicName(topic.name, suffix);
      const description = `dlq topic "${name}" of "${topic.name}"`;
      const problem = topicNameProblem(name);
      if (problem !== undefined) {
        reader.error(siblings.source, 'invalid-topic-name', `${problem.message} (${description})`, problem.hint);
        continue;
      }
      const clash = byName.get(name) ?? byCollisionKey.get(collisionKey(name));
      if (clash !== undefined) {
        reader.error(
          siblings.source,
          'dlq-name-collision',
          `${description} collides with ${clash.description}`,
          clash.name === name
            ? 'set "dlq: false" on one of them or choose other dlq suffixes'
            : 'Kafka treats "." and "_" alike in topic names; choose other dlq suffixes',
        );
        continue;
      }
      register({ name, description, at: siblings.source });
    }
  }
}

/**
 * min.insync.replicas above the replication factor makes every acks=all write
 * fail. RF comes from the environment, so each environment is checked, and the
 * problem is reported where min.insync.replicas is set (once per place).
 */
function checkMinInsyncReplicas(reader: YamlReader, project: Project): void {
  const declared = Object.values(project.environments);
  const environments = declared.length > 0 ? declared : [undefined];
  for (const environment of environments) {
    const groups = new Map<string, { at: Position; value: string; replicationFactor: number; topics: string[] }>();
    for (const { spec, configSources } of expandTopics(project, environment)) {
      const setting = configSources['min.insync.replicas'];
      if (setting === undefined || BigInt(setting.value) <= BigInt(spec.replicationFactor)) continue;
      const key = `${setting.source.line}:${setting.source.column}:${spec.replicationFactor}`;
      const group = groups.get(key) ?? { at: setting.source, value: setting.value, replicationFactor: spec.replicationFactor, topics: [] };
      group.topics.push(spec.name);
      groups.set(key, group);
    }
    const where = environment === undefined ? '' : ` in environment "${environment.name}"`;
    for (const group of groups.values()) {
      const of = group.topics.length === 1 ? `topic "${group.topics[0]}"` : `${group.topics.length} topics`;
      reader.error(
        group.at,
        'min-insync-exceeds-replication',
        `min.insync.replicas ${group.value} exceeds the replication factor ${group.replicationFactor} of ${of}${where}`,
        'producers using acks=all would be refused; lower min.insync.replicas or raise the replication factor',
      );
    }
  }
}
