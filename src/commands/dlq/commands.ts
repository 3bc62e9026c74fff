import { typedCommand, type CommandSpec, type GroupSpec, type OptionSpec } from '../../cli/spec.js';

export const DLQ_GROUPS: readonly GroupSpec[] = [{ name: 'dlq', summary: "the project's dead-letter topics: what they hold and who reads them" }];

export const LIST_OPTIONS = [
  { flags: '--fail-if-not-empty', description: 'exit 3 when any dead-letter topic holds messages (a CI or cron check)' },
] as const satisfies readonly OptionSpec[];

export const DLQ_COMMANDS: readonly CommandSpec[] = [
  typedCommand({
    path: ['dlq', 'list'],
    summary: "the project's dead-letter topics with their parent, message count, oldest and newest record and the lag of the groups reading them",
    output: true,
    options: LIST_OPTIONS,
    examples: ['iotmsg dlq list --env prod', 'iotmsg dlq list --env prod --fail-if-not-empty -o json'],
    load: () => import('./list.js'),
  }),
];
