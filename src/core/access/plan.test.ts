import { describe, expect, it } from 'vitest';
import { Document } from 'yaml';
import { loadTopicsFile } from '../topics/load.js';
import type { Project } from '../topics/model.js';
import { bindingKey, computeAccessPlan, declaredAccess, describeBinding, foldAccess, hasAccessChanges, type AclBinding, type DeclaredBinding } from './index.js';

const at = { line: 1, column: 1 };
const binding = (principal: string, resourceType: AclBinding['resourceType'], resourceName: string, operation: AclBinding['operation'], extra: Partial<AclBinding> = {}): AclBinding => ({
  principal,
  host: '*',
  permission: 'allow',
  resourceType,
  resourceName,
  patternType: 'literal',
  operation,
  ...extra,
});
const declared = (b: AclBinding): DeclaredBinding => ({ ...b, origin: 'acl #1', source: at });

const gatewayWrite = binding('User:gw', 'topic', 'sensor-data', 'WRITE');
const ingestRead = binding('User:in', 'topic', 'sensor-data', 'READ');
const stray = binding('User:old', 'topic', 'sensor-data', 'READ');
const adminAlter = binding('User:deployer', 'cluster', 'kafka-cluster', 'ALTER');
const superUserGrant = binding('User:admin', 'topic', '*', 'ALL');

describe('the access plan', () => {
  it('creates what is missing, lists what the file does not declare as unmanaged, deletes only with prune', () => {
    const observed = { enforced: true as const, bindings: [gatewayWrite, stray] };
    const plan = computeAccessPlan([declared(gatewayWrite), declared(ingestRead)], observed, { prune: false, applyingPrincipal: undefined, superUsers: [] });
    expect(plan.create.map(describeBinding)).toEqual([describeBinding(ingestRead)]);
    expect(plan.declared.map((b) => b.status)).toEqual(['present', 'create']);
    expect(plan.unmanaged).toEqual([stray]);
    expect(plan.delete).toEqual([]);
    const pruned = computeAccessPlan([declared(gatewayWrite), declared(ingestRead)], observed, { prune: true, applyingPrincipal: undefined, superUsers: [] });
    expect(pruned.delete).toEqual([stray]);
    expect(pruned.unmanaged).toEqual([]);
  });

  it('a cluster without an authorizer is "not enforced": nothing to apply', () => {
    const plan = computeAccessPlan([declared(gatewayWrite)], { enforced: false }, { prune: true, applyingPrincipal: undefined, superUsers: [] });
    expect(plan.enforced).toBe(false);
    expect(hasAccessChanges(plan)).toBe(false);
    expect(plan.declared).toHaveLength(1);
  });

  it("never deletes a super user's bindings, even with prune", () => {
    const plan = computeAccessPlan([], { enforced: true, bindings: [superUserGrant, stray] }, { prune: true, applyingPrincipal: 'User:admin', superUsers: ['User:admin'] });
    expect(plan.delete).toEqual([stray]);
    expect(plan.unmanaged).toEqual([superUserGrant]);
    expect(plan.refusal).toBeUndefined();
  });

  it("refuses a plan that takes the applying principal's ALTER on the cluster", () => {
    const observed = { enforced: true as const, bindings: [adminAlter, stray] };
    const plan = computeAccessPlan([], observed, { prune: true, applyingPrincipal: 'User:deployer', superUsers: [] });
    expect(plan.refusal).toBe(
      "it would take User:deployer's ALTER on the cluster, the right to change ACLs, from the principal applying it (deleting ALLOW User:deployer ALTER cluster)",
    );
    const deny = declared(binding('User:*', 'cluster', 'kafka-cluster', 'ALL', { permission: 'deny' }));
    expect(computeAccessPlan([declared(adminAlter), deny], observed, { prune: false, applyingPrincipal: 'User:deployer', superUsers: [] }).refusal).toMatch(/adding DENY User:\* ALL cluster/);
    expect(computeAccessPlan([declared(adminAlter)], observed, { prune: true, applyingPrincipal: 'User:deployer', superUsers: [] }).refusal).toBeUndefined();
  });
});

describe('export → plan round trip', () => {
  it('the folded section expands to exactly the bindings it came from', () => {
    const text = `topics:\n  - name: sensor-data\n    dlq: true\n  - name: device-events\n  - name: telemetry.raw\n`;
    const observed: AclBinding[] = [
      gatewayWrite,
      binding('User:gw', 'topic', 'device-events', 'WRITE'),
      ingestRead,
      binding('User:in', 'group', 'ingest', 'READ'),
      binding('User:in', 'topic', 'sensor-data.dlq', 'WRITE', { patternType: 'prefixed' }),
      binding('User:ops', 'topic', '*', 'READ'),
      binding('User:ops', 'group', 'ops-', 'READ', { patternType: 'prefixed' }),
      binding('User:ops', 'topic', 'telemetry.', 'WRITE', { patternType: 'prefixed' }),
      binding('User:ops', 'topic', 'audit-logs', 'READ', { permission: 'deny' }),
      binding('User:ops', 'cluster', 'kafka-cluster', 'DESCRIBE', { host: '10.1.2.3' }),
      binding('User:tx', 'transactional-id', 'tx-', 'WRITE', { patternType: 'prefixed' }),
    ];
    const project = loadTopicsFile(text, 'topics.yaml').project as Project;
    const names = ['sensor-data', 'sensor-data.dlq', 'sensor-data.dlq.validation_error', 'sensor-data.dlq.processing_error', 'sensor-data.dlq.poison', 'device-events', 'telemetry.raw'];
    const reexported = `${text}${new Document({ access: foldAccess(observed, names) }).toString()}`;
    const { project: again, diagnostics } = loadTopicsFile(reexported, 'topics.yaml');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(project.topics).toHaveLength(3);
    const plan = computeAccessPlan(declaredAccess(again as Project, undefined), { enforced: true, bindings: observed }, { prune: true, applyingPrincipal: undefined, superUsers: [] });
    expect(hasAccessChanges(plan)).toBe(false);
    expect(new Set(plan.declared.map(bindingKey))).toEqual(new Set(observed.map(bindingKey)));
  });
});
