import type { CommandSpec, GroupSpec } from '../../cli/spec.js';

export const CONFIG_GROUPS: readonly GroupSpec[] = [{ name: 'config', summary: 'show the resolved connection settings' }];

export const CONFIG_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['config', 'show'],
    summary: 'print the resolved connection settings and where each came from (secrets redacted)',
    output: true,
    load: () => import('./show.js'),
  },
];
