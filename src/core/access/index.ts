/** Access as code: the `access` section → ACL bindings → plan / export. */
export { readAccess, readSuperUsers, PRINCIPAL_KEYS, CONSUMES_KEYS, ACL_KEYS } from './read.js';
export { expandAccess, resolveAccess, uniqueBindings, dlqPrefix } from './expand.js';
export { checkAccess, patternCovers, shadows } from './validate.js';
export { computeAccessPlan, hasAccessChanges, type AccessPlan, type AccessPlanOptions, type ObservedAccess, type PlannedBinding } from './plan.js';
export { foldAccess, type ExportedAcl, type ExportedPrincipal } from './fold.js';
export {
  ANY_HOST,
  bindingKey,
  CLUSTER_RESOURCE,
  describeBinding,
  EMPTY_ACCESS,
  OPERATIONS,
  OPERATIONS_BY_RESOURCE,
  PATTERN_TYPES,
  PERMISSIONS,
  PRINCIPAL,
  RESOURCE_TYPES,
  WILDCARD,
  type AccessSection,
  type AclBinding,
  type DeclaredBinding,
  type Operation,
  type PatternType,
  type Permission,
  type ResourceType,
} from './model.js';

import type { Project } from '../topics/model.js';
import { expandAccess, resolveAccess } from './expand.js';
import type { DeclaredBinding } from './model.js';

/** The bindings topics.yaml declares for one environment (undefined: the file's own section). */
export function declaredAccess(project: Project, environment: string | undefined): DeclaredBinding[] {
  const env = environment === undefined ? undefined : project.environments[environment]?.access;
  return expandAccess(resolveAccess(project.access, env));
}
