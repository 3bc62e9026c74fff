/** Reads the `access` section of topics.yaml (file level or an environment's) through the shared YAML reader. */
import type { Node } from 'yaml';
import { didYouMean } from '../topics/didYouMean.js';
import type { Position } from '../topics/model.js';
import type { Field, YamlReader } from '../topics/yamlReader.js';
import {
  ANY_HOST,
  CLUSTER_RESOURCE,
  OPERATIONS,
  OPERATIONS_BY_RESOURCE,
  PATTERN_TYPES,
  PERMISSIONS,
  PRINCIPAL,
  RESOURCE_TYPES,
  WILDCARD,
  type AccessSection,
  type AclEntry,
  type ConsumeRole,
  type Operation,
  type PrincipalAccess,
  type ResourceRef,
} from './model.js';

export const PRINCIPAL_KEYS = ['produces', 'consumes', 'acls'] as const;
export const CONSUMES_KEYS = ['topics', 'groups', 'dlq'] as const;
export const ACL_KEYS = ['resource', 'name', 'pattern', 'operations', 'permission', 'host'] as const;

const label = (key: string, context: string): string => `"${key}" in ${context}`;

/** `inEnvironment`: a principal may be `false` there, to drop it. */
export function readAccess(reader: YamlReader, field: Field | undefined, context: string, inEnvironment: boolean): AccessSection {
  const section: AccessSection = { principals: [], dropped: [] };
  if (field === undefined) return section;
  const entries = reader.namedEntries(field.value, reader.valuePosition(field), label('access', context), `the access of ${context}`);
  for (const entry of entries?.values() ?? []) {
    const at = reader.positionOf(entry.keyNode);
    if (!PRINCIPAL.test(entry.key)) {
      reader.error(at, 'invalid-principal', `principal "${entry.key}" must be of the form Type:name`, `e.g. "User:${entry.key.replace(/^[^:]*:/, '') || 'alice'}"`);
      continue;
    }
    if (inEnvironment && reader.scalarValue(entry.value) === false) {
      section.dropped.push({ principal: entry.key, source: at });
      continue;
    }
    const principal = readPrincipal(reader, entry, at, inEnvironment);
    if (principal !== undefined) section.principals.push(principal);
  }
  return section;
}

function readPrincipal(reader: YamlReader, entry: Field, at: Position, inEnvironment: boolean): PrincipalAccess | undefined {
  const context = `principal "${entry.key}"`;
  const expected = inEnvironment ? 'a mapping, or false to drop the principal here' : 'a mapping';
  const fields = reader.mapping(entry.value, reader.valuePosition(entry), context, context, PRINCIPAL_KEYS, expected);
  if (fields === undefined) return undefined;
  const produces = fields.get('produces');
  const consumes = fields.get('consumes');
  const acls = fields.get('acls');
  return {
    principal: entry.key,
    produces: produces === undefined ? [] : readRefs(reader, produces, context),
    consumes: consumes === undefined ? undefined : readConsumes(reader, consumes, context),
    acls: acls === undefined ? [] : readAcls(reader, acls, context),
    source: at,
  };
}

/** `name` literally, `prefix*` as a prefix, `*` alone for every resource. */
function readRefs(reader: YamlReader, field: Field, context: string): ResourceRef[] {
  const at = reader.valuePosition(field);
  const items = reader.stringList(field.value, at, label(field.key, context)) ?? [];
  const refs: ResourceRef[] = [];
  for (const item of items) {
    const text = item.value;
    if (text === '' || text === '**') {
      reader.error(item.at, 'invalid-resource-name', `invalid name "${text}" in ${label(field.key, context)}`, 'use a name, a prefix such as "telemetry.*", or "*" for all');
      continue;
    }
    if (refs.some((r) => r.text === text)) {
      reader.error(item.at, 'duplicate-acl', `duplicate "${text}" in ${label(field.key, context)}`);
      continue;
    }
    const prefixed = text.length > 1 && text.endsWith('*');
    refs.push({ name: prefixed ? text.slice(0, -1) : text, patternType: prefixed ? 'prefixed' : 'literal', text, source: item.at });
  }
  return refs;
}

function readConsumes(reader: YamlReader, field: Field, principalContext: string): ConsumeRole | undefined {
  const context = `the consumes of ${principalContext}`;
  const at = reader.valuePosition(field);
  const fields = reader.mapping(field.value, at, label('consumes', principalContext), context, CONSUMES_KEYS);
  if (fields === undefined) return undefined;
  const topics = fields.get('topics');
  if (topics === undefined) reader.error(at, 'missing-key', `missing key "topics" in ${context}`);
  const groups = fields.get('groups');
  const dlq = fields.get('dlq');
  return {
    topics: topics === undefined ? [] : readRefs(reader, topics, context),
    groups: groups === undefined ? [] : readRefs(reader, groups, context),
    dlq: dlq === undefined ? false : (reader.boolean(dlq.value, reader.valuePosition(dlq), label('dlq', context)) ?? false),
    source: at,
  };
}

function readAcls(reader: YamlReader, field: Field, principalContext: string): AclEntry[] {
  const items = reader.list(field.value, reader.valuePosition(field), label('acls', principalContext)) ?? [];
  return items.flatMap((item, index) => readAcl(reader, item.node, item.at, `acl #${index + 1} of ${principalContext}`) ?? []);
}

/** One of `allowed` (case-insensitive), reported with a did-you-mean otherwise. */
function choice<T extends string>(reader: YamlReader, field: Field | undefined, context: string, allowed: readonly T[], fallback: T): T | undefined {
  if (field === undefined) return fallback;
  const at = reader.valuePosition(field);
  const text = reader.string(field.value, at, label(field.key, context));
  if (text === undefined) return undefined;
  const found = allowed.find((value) => value.toLowerCase() === text.toLowerCase());
  if (found === undefined) {
    reader.error(at, 'invalid-value', `invalid ${field.key} "${text}" in ${context}`, didYouMean(text, allowed) ?? `expected one of: ${allowed.join(', ')}`);
  }
  return found;
}

function readAcl(reader: YamlReader, node: Node | null, at: Position, context: string): AclEntry | undefined {
  const fields = reader.mapping(node, at, context, context, ACL_KEYS);
  if (fields === undefined) return undefined;
  const resourceField = fields.get('resource');
  if (resourceField === undefined) reader.error(at, 'missing-key', `missing key "resource" in ${context}`);
  const resourceType = resourceField === undefined ? undefined : choice(reader, resourceField, context, RESOURCE_TYPES, 'topic');
  const patternType = choice(reader, fields.get('pattern'), context, PATTERN_TYPES, 'literal');
  const permission = choice(reader, fields.get('permission'), context, PERMISSIONS, 'allow');
  const hostField = fields.get('host');
  const host = hostField === undefined ? ANY_HOST : reader.string(hostField.value, reader.valuePosition(hostField), label('host', context));

  const nameField = fields.get('name');
  let resourceName: string | undefined;
  if (resourceType === 'cluster') {
    resourceName = CLUSTER_RESOURCE;
    if (nameField !== undefined) {
      const name = reader.scalarValue(nameField.value);
      if (name !== CLUSTER_RESOURCE) reader.error(reader.valuePosition(nameField), 'invalid-resource-name', `the cluster resource is always named "${CLUSTER_RESOURCE}" (${context})`, 'leave "name" out');
    }
  } else if (nameField === undefined) {
    reader.error(at, 'missing-key', `missing key "name" in ${context}`, `use "${WILDCARD}" for every ${resourceType ?? 'resource'}`);
  } else {
    resourceName = reader.string(nameField.value, reader.valuePosition(nameField), label('name', context));
  }

  const operationsField = fields.get('operations');
  if (operationsField === undefined) reader.error(at, 'missing-key', `missing key "operations" in ${context}`);
  const operations: AclEntry['operations'] = [];
  const opsAt = operationsField === undefined ? at : reader.valuePosition(operationsField);
  const items = operationsField === undefined ? undefined : reader.stringList(operationsField.value, opsAt, label('operations', context));
  if (items?.length === 0) reader.error(opsAt, 'empty-list', `${label('operations', context)} must not be empty`);
  for (const item of items ?? []) {
    const operation = readOperation(reader, item.value, item.at, context, resourceType);
    if (operation === undefined) continue;
    if (operations.some((o) => o.operation === operation)) reader.error(item.at, 'duplicate-acl', `duplicate operation ${operation} in ${context}`);
    else operations.push({ operation, source: item.at });
  }
  if (resourceType === undefined || resourceName === undefined || patternType === undefined || permission === undefined || host === undefined) return undefined;
  return { resourceType, resourceName, patternType, operations, permission, host, source: at };
}

/** Kafka's spelling (READ, DESCRIBE_CONFIGS); "Read" and "describe-configs" are accepted too. */
function readOperation(reader: YamlReader, text: string, at: Position, context: string, resourceType: AclEntry['resourceType'] | undefined): Operation | undefined {
  const normalised = text.toUpperCase().replace(/-/g, '_');
  const operation = OPERATIONS.find((o) => o === normalised);
  const valid = resourceType === undefined ? OPERATIONS : OPERATIONS_BY_RESOURCE[resourceType];
  if (operation === undefined) {
    reader.error(at, 'invalid-operation', `unknown operation "${text}" in ${context}`, didYouMean(normalised, valid) ?? `expected one of: ${valid.join(', ')}`);
    return undefined;
  }
  if (!valid.includes(operation)) {
    reader.error(at, 'invalid-operation', `operation ${operation} does not exist for ${resourceType ?? ''} resources (${context})`, `${resourceType ?? ''} operations: ${valid.join(', ')}`);
    return undefined;
  }
  return operation;
}

/** An environment's `superUsers`: principals, as the brokers' super.users lists them. */
export function readSuperUsers(reader: YamlReader, field: Field | undefined, context: string): string[] {
  if (field === undefined) return [];
  const items = reader.stringList(field.value, reader.valuePosition(field), label('superUsers', context)) ?? [];
  for (const item of items) {
    if (!PRINCIPAL.test(item.value)) reader.error(item.at, 'invalid-principal', `super user "${item.value}" in ${context} must be of the form Type:name`);
  }
  return items.map((item) => item.value).filter((value) => PRINCIPAL.test(value));
}
