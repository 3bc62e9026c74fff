import type { CommandSpec, GroupSpec, OptionSpec } from '../../cli/spec.js';
import { PLAN_EXITCODE_OPTION, SUBJECT_STRATEGY_OPTION } from '../schema/commands.js';

export const YES_OPTION = { flags: '-y, --yes', description: 'answer yes to confirmations (needed without a terminal, e.g. in CI)' } as const satisfies OptionSpec;

/** Commands over the whole project: topics, schemas and access together. */
export const PROJECT_GROUPS: readonly GroupSpec[] = [];

export const PROJECT_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['plan'],
    summary: 'show what topics apply, schema register and access apply would change, together',
    output: true,
    options: [
      { flags: '--prune', description: 'also plan to delete topics and ACL bindings the file does not declare (never protected topics or super users\' bindings)' },
      SUBJECT_STRATEGY_OPTION,
      PLAN_EXITCODE_OPTION,
    ],
    examples: ['iotmsg plan --env prod', 'iotmsg plan --env prod --detailed-exitcode -o json'],
    load: () => import('./plan.js'),
  },
  {
    path: ['apply'],
    summary: 'apply topics, then schemas, then ACLs granted, ACLs removed last: the whole of topics.yaml',
    output: true,
    options: [
      { flags: '--prune', description: 'also delete topics and ACL bindings the file does not declare (asks, naming how many)' },
      SUBJECT_STRATEGY_OPTION,
      YES_OPTION,
    ],
    examples: ['iotmsg apply --env prod', 'iotmsg apply --env prod --yes'],
    load: () => import('./apply.js'),
  },
];
