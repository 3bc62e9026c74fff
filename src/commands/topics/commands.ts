import { typedCommand, type CommandSpec, type GroupSpec, type OptionSpec } from '../../cli/spec.js';

export const TOPIC_GROUPS: readonly GroupSpec[] = [{ name: 'topics', summary: 'topics as code (plan, apply, export) and day-to-day topic work' }];

const yes = { flags: '-y, --yes', description: 'answer yes to confirmations (needed without a terminal, e.g. in CI)' } as const satisfies OptionSpec;

export const CREATE_OPTIONS = [
  { flags: '--partitions <count>', description: 'partitions (default: the file\'s defaults)', type: { kind: 'integer', min: 1 } },
  { flags: '--replication-factor <n>', description: 'replicas (default: the environment\'s or the file\'s)', type: { kind: 'integer', min: 1 } },
  { flags: '--config <name=value>', description: 'a topic config, human units allowed (retention.ms=3d); repeatable', repeatable: true },
  { flags: '--dlq', description: "also create its dead-letter siblings (<name>.dlq...), as dlq: true in the file" },
  { flags: '--save', description: 'also add the topic to topics.yaml (keeping the rest of the file as it is)' },
] as const satisfies readonly OptionSpec[];

export const TRUNCATE_OPTIONS = [
  { flags: '--before <offset|time|end>', description: 'keep records from this offset (every partition), from this time (ISO, or 10m, 2h, 7d back), or none ("end")' },
  yes,
] as const satisfies readonly OptionSpec[];

const throttle = {
  flags: '--throttle <rate>',
  description: 'limit the replication of replica moves per broker (e.g. 50MiB/s) until they are done',
  type: { kind: 'rate' },
} as const satisfies OptionSpec;

export const APPLY_OPTIONS = [{ flags: '--prune', description: 'also delete topics the file does not declare (asks, naming how many)' }, throttle, yes] as const satisfies readonly OptionSpec[];

export const REASSIGN_OPTIONS = [
  { flags: '--replication-factor <n>', description: 'move replicas so every partition has this many', type: { kind: 'integer', min: 1 } },
  throttle,
  { flags: '--cancel', description: 'stop the moves in flight; partitions go back to the replicas they had (asks first)' },
  yes,
] as const satisfies readonly OptionSpec[];

export const ALTER_OPTIONS = [
  { flags: '--partitions <count>', description: 'new total number of partitions (can only grow)', type: { kind: 'integer', min: 1 } },
  { flags: '--config <name=value>', description: 'set a topic config; units such as 7d or 512MiB work (repeatable)', repeatable: true },
  { flags: '--delete-config <name>', description: 'remove an override so the broker default applies (repeatable)', repeatable: true },
] as const satisfies readonly OptionSpec[];

export const TOPIC_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['validate'],
    summary: 'check topics.yaml and schemas/*.avsc offline: every problem with file:line:column',
    output: true,
    examples: ['iotmsg validate', 'iotmsg validate --file deploy/topics.yaml -o json'],
    load: () => import('./validate.js'),
  },
  {
    path: ['create-iot-topics'],
    summary: "create the project's topics and DLQs missing on the cluster (never alters or deletes)",
    output: true,
    examples: ['iotmsg create-iot-topics --env dev'],
    load: () => import('./createIotTopics.js'),
  },
  {
    path: ['topics', 'list'],
    summary: 'list the topics of the cluster with partitions, replication and health',
    output: true,
    options: [{ flags: '--internal', description: 'include internal topics such as __consumer_offsets' }],
    load: () => import('./list.js'),
  },
  {
    path: ['topics', 'plan'],
    summary: 'show what apply would change to make the cluster match topics.yaml',
    output: true,
    options: [
      { flags: '--prune', description: 'also plan to delete topics the file does not declare (never protected or internal ones)' },
      { flags: '--detailed-exitcode', description: 'exit 0 for no changes, 2 for changes, 1 for errors' },
      { flags: '--out <file>', description: 'save the plan (with a fingerprint of the cluster state) for "topics apply <file>"' },
    ],
    examples: ['iotmsg topics plan --env prod', 'iotmsg topics plan --env prod --detailed-exitcode -o json', 'iotmsg topics plan --out plan.json'],
    load: () => import('./plan.js'),
  },
  typedCommand({
    path: ['topics', 'apply'],
    summary: 'make the cluster match topics.yaml, or apply a saved plan exactly',
    arguments: '[plan]',
    output: true,
    options: APPLY_OPTIONS,
    examples: ['iotmsg topics apply --env dev', 'iotmsg topics apply plan.json --yes', 'iotmsg topics apply --env prod --throttle 50MiB/s'],
    load: () => import('./apply.js'),
  }),
  {
    path: ['topics', 'describe'],
    summary: 'partitions (leader, replicas, ISR, offsets) and configs (with their source) of a topic',
    arguments: '<topic>',
    output: true,
    load: () => import('./describe.js'),
  },
  typedCommand({
    path: ['topics', 'alter'],
    summary: 'add partitions or change configs of a topic, keeping its other overrides',
    arguments: '<topic>',
    output: true,
    options: ALTER_OPTIONS,
    examples: ['iotmsg topics alter sensor-data --partitions 24', 'iotmsg topics alter sensor-data --config retention.ms=14d --delete-config segment.ms'],
    load: () => import('./alter.js'),
  }),
  {
    path: ['topics', 'delete'],
    summary: 'delete topics (asks first; protected and internal topics are refused)',
    arguments: '<topics...>',
    output: true,
    options: [yes],
    load: () => import('./delete.js'),
  },
  typedCommand({
    path: ['topics', 'create'],
    summary: 'create one topic (and its DLQs) validated as topics.yaml would be; --save adds it to the file',
    arguments: '<topic>',
    output: true,
    options: CREATE_OPTIONS,
    examples: ['iotmsg topics create user-events --partitions 6 --replication-factor 3 --save --env prod', 'iotmsg topics create scratch --config retention.ms=1h'],
    load: () => import('./create.js'),
  }),
  typedCommand({
    path: ['topics', 'truncate'],
    summary: 'delete the oldest records of a topic, up to an offset or a time (asks first; protected topics are refused)',
    arguments: '<topic>',
    output: true,
    options: TRUNCATE_OPTIONS,
    examples: ['iotmsg topics truncate sensor-data.dlq --before 7d --env prod', 'iotmsg topics truncate test-events --before end --yes'],
    load: () => import('./truncate.js'),
  }),
  typedCommand({
    path: ['topics', 'reassign'],
    summary: 'change the replication factor of a topic by moving replicas, or show or cancel the moves in flight',
    arguments: '<topic>',
    output: true,
    options: REASSIGN_OPTIONS,
    examples: ['iotmsg topics reassign sensor-data --replication-factor 3 --env prod', 'iotmsg topics reassign sensor-data', 'iotmsg topics reassign sensor-data --cancel --yes'],
    load: () => import('./reassign.js'),
  }),
  {
    path: ['topics', 'export'],
    summary: 'write the live cluster as a topics.yaml (non-default configs, DLQs folded under their parent)',
    options: [{ flags: '--out <file>', description: 'write to a file instead of stdout' }],
    examples: ['iotmsg topics export --env prod --out topics.yaml'],
    load: () => import('./export.js'),
  },
];
