import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { computeAccessPlan, type AclBinding, type DeclaredBinding } from '../core/access/index.js';
import { renderAccessPlan } from './accessPlan.js';

const plain = new Chalk({ level: 0 });
const at = { line: 3, column: 5 };
const write: AclBinding = { principal: 'User:gw', host: '*', permission: 'allow', resourceType: 'topic', resourceName: 'sensor-data', patternType: 'literal', operation: 'WRITE' };
const read: AclBinding = { ...write, principal: 'User:in', operation: 'READ' };
const declared: DeclaredBinding[] = [
  { ...write, origin: 'produces sensor-data', source: at },
  { ...read, origin: 'consumes sensor-data', source: at },
];

describe('the access plan view', () => {
  it('shows each role with its bindings, what exists, what is created and what the file does not declare', () => {
    const stray = { ...read, principal: 'User:old' };
    const plan = computeAccessPlan(declared, { enforced: true, bindings: [write, stray] }, { prune: false, applyingPrincipal: undefined, superUsers: [] });
    expect(renderAccessPlan(plan, plain).split('\n')).toEqual([
      '  User:gw',
      '    produces sensor-data',
      '        ALLOW WRITE topic sensor-data',
      '  User:in',
      '    consumes sensor-data',
      '      + ALLOW READ topic sensor-data',
      '  not in the file (unmanaged, kept; --prune deletes them):',
      '      ? ALLOW User:old READ topic sensor-data',
      'Access: 1 to create, 0 to delete. 1 unchanged, 1 unmanaged.',
    ]);
  });

  it('says access is not enforced on a cluster without an authorizer', () => {
    const plan = computeAccessPlan(declared, { enforced: false }, { prune: false, applyingPrincipal: undefined, superUsers: [] });
    expect(renderAccessPlan(plan, plain)).toContain('Not enforced here: the cluster runs without an authorizer, so 2 declared binding(s) have nothing to apply to.');
  });
});
