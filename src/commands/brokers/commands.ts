import { typedCommand, type CommandSpec, type GroupSpec, type OptionSpec } from '../../cli/spec.js';
import { YES_OPTION } from '../project/commands.js';

export const BROKER_GROUPS: readonly GroupSpec[] = [{ name: 'brokers', summary: 'the brokers of the cluster: list with log dirs, describe and change their configs' }];

export const DESCRIBE_OPTIONS = [
  { flags: '--all', description: "every config, Kafka's defaults too (default: only those set dynamically or in server.properties)" },
] as const satisfies readonly OptionSpec[];

export const ALTER_CONFIG_OPTIONS = [
  { flags: '--all-brokers', description: 'change the cluster-wide default of every broker instead of one broker' },
  { flags: '--set <name=value>', description: 'set a dynamic broker config (repeatable)', repeatable: true },
  { flags: '--delete <name>', description: 'remove a dynamic broker config so the next level applies (repeatable)', repeatable: true },
  YES_OPTION,
] as const satisfies readonly OptionSpec[];

export const BROKER_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['brokers', 'list'],
    summary: 'the brokers: id, address, rack, controller, log dirs with the bytes they use',
    output: true,
    examples: ['iotmsg brokers list --env prod', 'iotmsg brokers list -o json'],
    load: () => import('./list.js'),
  },
  typedCommand({
    path: ['brokers', 'describe'],
    summary: 'the configs of a broker with where each is set (secrets are never shown)',
    arguments: '<broker-id>',
    output: true,
    options: DESCRIBE_OPTIONS,
    examples: ['iotmsg brokers describe 1', 'iotmsg brokers describe 1 --all -o json'],
    load: () => import('./describe.js'),
  }),
  typedCommand({
    path: ['brokers', 'alter-config'],
    summary: "set or remove dynamic configs of one broker or every broker's default (asks first)",
    arguments: '[broker-id]',
    output: true,
    options: ALTER_CONFIG_OPTIONS,
    examples: ['iotmsg brokers alter-config 1 --set log.cleaner.threads=2', 'iotmsg brokers alter-config --all-brokers --delete log.retention.ms --yes'],
    load: () => import('./alterConfig.js'),
  }),
];
