/**
 * Access as code: the `access` section of topics.yaml (principals with roles and
 * raw ACL entries) and the ACL bindings it stands for.
 */
import type { Position } from '../topics/model.js';

export const RESOURCE_TYPES = ['topic', 'group', 'cluster', 'transactional-id'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const PATTERN_TYPES = ['literal', 'prefixed'] as const;
export type PatternType = (typeof PATTERN_TYPES)[number];

export const PERMISSIONS = ['allow', 'deny'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Kafka's operation names, as kafka-acls prints them. */
export const OPERATIONS = [
  'ALL',
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'CLUSTER_ACTION',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
  'IDEMPOTENT_WRITE',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The operations Kafka's authorizer checks on each resource type (Kafka's ACL docs, "Operations and Resources"). */
export const OPERATIONS_BY_RESOURCE: Readonly<Record<ResourceType, readonly Operation[]>> = {
  topic: ['ALL', 'READ', 'WRITE', 'CREATE', 'DELETE', 'ALTER', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS'],
  group: ['ALL', 'READ', 'DESCRIBE', 'DELETE'],
  cluster: ['ALL', 'CREATE', 'ALTER', 'DESCRIBE', 'CLUSTER_ACTION', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE'],
  'transactional-id': ['ALL', 'DESCRIBE', 'WRITE'],
};

/** The one cluster resource's name. */
export const CLUSTER_RESOURCE = 'kafka-cluster';
/** A literal resource name that matches every resource of its type. */
export const WILDCARD = '*';
export const ANY_HOST = '*';

/** One ACL binding as Kafka stores it. */
export interface AclBinding {
  principal: string;
  host: string;
  resourceType: ResourceType;
  resourceName: string;
  patternType: PatternType;
  operation: Operation;
  permission: Permission;
}

/** A binding the file asks for, with the entry it comes from. */
export interface DeclaredBinding extends AclBinding {
  /** "produces sensor-data", "consumes (dlq) sensor-data", "acl #2" */
  origin: string;
  source: Position;
}

/** A topic or group named in a role: `name` literally, `name*` as a prefix, `*` for all. */
export interface ResourceRef {
  name: string;
  patternType: PatternType;
  /** As written in the file. */
  text: string;
  source: Position;
}

export interface ConsumeRole {
  topics: ResourceRef[];
  groups: ResourceRef[];
  /** May write the dead-letter siblings (`<topic>.dlq*`) of the literal topics it consumes. */
  dlq: boolean;
  source: Position;
}

/** A raw entry: one resource, several operations. */
export interface AclEntry {
  resourceType: ResourceType;
  resourceName: string;
  patternType: PatternType;
  operations: { operation: Operation; source: Position }[];
  permission: Permission;
  host: string;
  source: Position;
}

export interface PrincipalAccess {
  principal: string;
  produces: ResourceRef[];
  consumes: ConsumeRole | undefined;
  acls: AclEntry[];
  source: Position;
}

/**
 * The section by principal, in file order. In an environment a principal set to
 * `false` is dropped there (`dropped`); others add to the file's entries.
 */
export interface AccessSection {
  principals: PrincipalAccess[];
  dropped: { principal: string; source: Position }[];
}

export const EMPTY_ACCESS: AccessSection = { principals: [], dropped: [] };

/** Identity of a binding (the fields Kafka compares). */
export function bindingKey(b: AclBinding): string {
  return [b.principal, b.host, b.resourceType, b.patternType, b.resourceName, b.operation, b.permission].join('\u0000');
}

/** How a binding reads in messages: `ALLOW User:a WRITE topic sensor-data`, `... topic prefix telemetry.`. */
export function describeBinding(b: AclBinding): string {
  const resource = b.resourceType === 'cluster' ? 'cluster' : `${b.resourceType} ${b.patternType === 'prefixed' ? `prefix ${b.resourceName}` : b.resourceName}`;
  const host = b.host === ANY_HOST ? '' : ` from ${b.host}`;
  return `${b.permission.toUpperCase()} ${b.principal} ${b.operation} ${resource}${host}`;
}

/** `Type:name`, as Kafka's principal builders produce (User:alice, User:*). */
export const PRINCIPAL = /^[A-Za-z][A-Za-z0-9_-]*:\S.*$/;
