import type { CommandSpec, GroupSpec } from '../../cli/spec.js';
import { PLAN_EXITCODE_OPTION, SUBJECT_STRATEGY_OPTION } from '../schema/commands.js';

/** Commands over the whole project: topics and schemas together. */
export const PROJECT_GROUPS: readonly GroupSpec[] = [];

export const PROJECT_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['plan'],
    summary: 'show what topics apply and schema register would change, together',
    output: true,
    options: [
      { flags: '--prune', description: 'also plan to delete topics the file does not declare (never protected or internal ones)' },
      SUBJECT_STRATEGY_OPTION,
      PLAN_EXITCODE_OPTION,
    ],
    examples: ['iotmsg plan --env prod', 'iotmsg plan --env prod --detailed-exitcode -o json'],
    load: () => import('./plan.js'),
  },
];
