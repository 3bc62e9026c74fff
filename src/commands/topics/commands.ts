import type { CommandSpec, GroupSpec } from '../../cli/spec.js';

export const TOPIC_GROUPS: readonly GroupSpec[] = [{ name: 'topics', summary: 'inspect and manage topics' }];

export const TOPIC_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['topics', 'list'],
    summary: 'list the topics of the cluster with partitions, replication and health',
    output: true,
    options: [{ flags: '--internal', description: 'include internal topics such as __consumer_offsets' }],
    load: () => import('./list.js'),
  },
];
