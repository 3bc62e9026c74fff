import type { CommandSpec, GroupSpec } from '../../cli/spec.js';
import { YES_OPTION } from '../project/commands.js';
import { DETAILED_EXITCODE_OPTION } from '../schema/commands.js';

export const ACCESS_GROUPS: readonly GroupSpec[] = [{ name: 'access', summary: 'access as code: the ACLs of the principals topics.yaml declares' }];

export const PRUNE_ACLS_OPTION = { flags: '--prune', description: 'also delete ACL bindings the file does not declare (never a super user\'s)' };

export const ACCESS_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['access', 'plan'],
    summary: "show each principal's roles, the ACL bindings they expand to, and what apply would change",
    output: true,
    options: [PRUNE_ACLS_OPTION, DETAILED_EXITCODE_OPTION],
    examples: ['iotmsg access plan --env prod', 'iotmsg access plan --env prod --prune -o json'],
    load: () => import('./plan.js'),
  },
  {
    path: ['access', 'apply'],
    summary: 'create the ACL bindings topics.yaml declares (one CreateAcls), and with --prune delete the others (one DeleteAcls)',
    output: true,
    options: [PRUNE_ACLS_OPTION, YES_OPTION],
    examples: ['iotmsg access apply --env prod', 'iotmsg access apply --env prod --prune --yes'],
    load: () => import('./apply.js'),
  },
];
