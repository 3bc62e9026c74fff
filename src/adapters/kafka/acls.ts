/**
 * ACL bindings through KafkaJS's admin: one DescribeAcls to read them all, one
 * CreateAcls and one DeleteAcls for a whole plan. A broker without an authorizer
 * answers SECURITY_DISABLED: access is then "not enforced here", not an error.
 */
import type { Acl, AclEntry, AclFilter, DescribeAclResource } from 'kafkajs';
import type { AclBinding, ObservedAccess, Operation, PatternType, ResourceType } from '../../core/access/index.js';
import type { AccessNeed } from './errors.js';
import type { KafkaSession } from './session.js';

// Kafka protocol codes (org.apache.kafka.common.acl / resource), as KafkaJS sends them.
const RESOURCE_CODES: Record<ResourceType, number> = { topic: 2, group: 3, cluster: 4, 'transactional-id': 5 };
const OPERATION_CODES: Record<Operation, number> = {
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
};
const PATTERN_CODES: Record<PatternType, number> = { literal: 3, prefixed: 4 };
const PERMISSION_CODES = { deny: 2, allow: 3 } as const;
const ANY = 1;
/** What the ACL requests need (an authorizer checks them on the cluster resource). */
const CLUSTER_DESCRIBE: AccessNeed = { operation: 'DESCRIBE', resource: 'the cluster' };
const CLUSTER_ALTER: AccessNeed = { operation: 'ALTER', resource: 'the cluster' };

const reverse = <K extends string>(table: Record<K, number>): Map<number, K> => new Map(Object.entries(table).map(([k, v]) => [v as number, k as K]));
const RESOURCE_NAMES = reverse(RESOURCE_CODES);
const OPERATION_NAMES = reverse(OPERATION_CODES);
const PATTERN_NAMES = reverse(PATTERN_CODES);
const PERMISSION_NAMES = reverse<keyof typeof PERMISSION_CODES>(PERMISSION_CODES);

function entry(b: AclBinding): AclEntry {
  return {
    principal: b.principal,
    host: b.host,
    resourceType: RESOURCE_CODES[b.resourceType],
    resourceName: b.resourceName,
    resourcePatternType: PATTERN_CODES[b.patternType],
    operation: OPERATION_CODES[b.operation],
    permissionType: PERMISSION_CODES[b.permission],
  };
}

/** A binding iotmsg manages, or undefined for kinds it leaves alone (delegation tokens, users). */
function binding(resource: DescribeAclResource, acl: Acl): AclBinding | undefined {
  const resourceType = RESOURCE_NAMES.get(resource.resourceType);
  const patternType = PATTERN_NAMES.get(resource.resourcePatternType);
  const operation = OPERATION_NAMES.get(acl.operation);
  const permission = PERMISSION_NAMES.get(acl.permissionType);
  if (resourceType === undefined || patternType === undefined || operation === undefined || permission === undefined) return undefined;
  return { principal: acl.principal, host: acl.host, resourceType, resourceName: resource.resourceName, patternType, operation, permission };
}

const isSecurityDisabled = (error: unknown): boolean => (error as { type?: unknown }).type === 'SECURITY_DISABLED';

export class AclAdmin {
  constructor(private readonly session: KafkaSession) {}

  /** Every binding on the cluster, or `enforced: false` without an authorizer. */
  observe(): Promise<ObservedAccess> {
    const { admin } = this.session;
    return this.session.run('describe the ACLs', async () => {
      const filter: AclFilter = { resourceType: ANY, resourcePatternType: ANY, operation: ANY, permissionType: ANY };
      let resources: DescribeAclResource[];
      try {
        ({ resources } = await admin.describeAcls(filter));
      } catch (error) {
        if (isSecurityDisabled(error)) return { enforced: false };
        throw error;
      }
      const bindings = resources.flatMap((resource) => resource.acls.flatMap((acl) => binding(resource, acl) ?? []));
      return { enforced: true, bindings };
    }, undefined, CLUSTER_DESCRIBE);
  }

  /** One CreateAcls request for all of them. */
  async create(bindings: readonly AclBinding[]): Promise<void> {
    if (bindings.length === 0) return;
    await this.session.run(`create ${bindings.length} ACL binding(s)`, () => this.session.admin.createAcls({ acl: bindings.map(entry) }), undefined, CLUSTER_ALTER);
  }

  /** One DeleteAcls request, each filter matching exactly one binding. */
  async delete(bindings: readonly AclBinding[]): Promise<void> {
    if (bindings.length === 0) return;
    await this.session.run(`delete ${bindings.length} ACL binding(s)`, () => this.session.admin.deleteAcls({ filters: bindings.map(entry) }), undefined, CLUSTER_ALTER);
  }
}
