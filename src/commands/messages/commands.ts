import { typedCommand, type CommandSpec, type GroupSpec, type OptionSpec } from '../../cli/spec.js';
import { YES_OPTION } from '../project/commands.js';

export const MESSAGE_GROUPS: readonly GroupSpec[] = [{ name: 'groups', summary: 'consumer groups: members, lag and offset resets' }];

export const PRODUCE_OPTIONS = [
  { flags: '--value <value>', description: 'the message value; @path reads a file as one value' },
  { flags: '--input <path>', description: 'read one message per line (NDJSON) from a file, - for stdin (default when stdin is piped)' },
  { flags: '-k, --key <key>', description: 'message key (text) of every message' },
  { flags: '-K, --key-delimiter <delim>', description: "each input line is key<delim>value, as kcat -K (\\t for a tab)" },
  { flags: '--envelope', description: 'each input line is {"key","value","headers","partition"} (what tail -o ndjson prints; value null writes a tombstone)' },
  { flags: '-H, --header <name=value>', description: 'add a header (repeatable)', repeatable: true },
  { flags: '-p, --partition <n>', description: 'write to this partition instead of the one the key hashes to', type: { kind: 'integer', min: 0 } },
  { flags: '--format <format>', description: "value format (default: avro when the topic has a schema in topics.yaml or --schema/--subject is given, else string); bytes takes hex", choices: ['json', 'avro', 'string', 'bytes'] },
  { flags: '--schema <file.avsc>', description: "a local Avro schema instead of the subject's latest (registered under the subject if it is not there yet)" },
  { flags: '--subject <subject>', description: 'registry subject of the value schema (default: from topics.yaml, else <topic>-value)' },
  { flags: '--generate <count>', description: "write this many synthetic IoT readings that conform to the topic's schema, keyed by device id", type: { kind: 'integer', min: 1 } },
  { flags: '--seed <n>', description: 'seed of --generate: the same seed writes the same devices, keys and values', type: { kind: 'integer' } },
  { flags: '--rate <msgs/s>', description: 'at most this many messages per second', type: { kind: 'decimal', min: 0, exclusiveMin: true } },
  { flags: '--no-idempotence', description: 'do not use the idempotent producer (it is on by default, with acks=all)' },
] as const satisfies readonly OptionSpec[];

export const TAIL_OPTIONS = [
  { flags: '--from-beginning', description: 'start at the oldest message' },
  { flags: '--offset <n>', description: 'start at this offset; negative counts back from the end (-10: the last 10 per partition)', type: { kind: 'integer' } },
  { flags: '--since <time>', description: 'start at messages from this time: 10m, 2h, 1d back, or an ISO timestamp' },
  { flags: '-p, --partition <n>', description: 'read only this partition', type: { kind: 'integer', min: 0 } },
  { flags: '-n, --max <count>', description: 'stop after this many messages', type: { kind: 'integer', min: 1 } },
  { flags: '--exit-at-end', description: 'stop at the end of every partition instead of following' },
  { flags: '-g, --group <group>', description: 'join this consumer group and commit what is read (default: no group, no offsets moved)' },
  { flags: '-o, --output <format>', description: 'table (default on a terminal), ndjson (default when piped) or json (one array)', choices: ['table', 'ndjson', 'json'] },
  { flags: '--format <template>', description: "kcat-style template: %k key, %v value, %p partition, %o offset, %t topic, %T timestamp, %h headers" },
  { flags: '--grep <regex>', description: 'show only messages whose key, value or headers match' },
] as const satisfies readonly OptionSpec[];

export const RESET_OPTIONS = [
  { flags: '--topic <topic>', description: 'the topic whose offsets to move (required)' },
  { flags: '--to-earliest', description: 'to the oldest message' },
  { flags: '--to-latest', description: 'to the end: skip everything not yet read' },
  { flags: '--to-datetime <time>', description: 'to the first message at or after this time: ISO timestamp or 10m, 2h, 1d back' },
  { flags: '--shift-by <n>', description: 'forward (positive) or back (negative) from the committed offset', type: { kind: 'integer' } },
  { flags: '--create', description: 'the group does not exist yet: create it at these offsets (otherwise an unknown group is refused, as a mistyped name would be)' },
  { flags: '--execute', description: 'make the change (without it nothing changes)' },
] as const satisfies readonly OptionSpec[];

export const GROUP_DELETE_OPTIONS = [YES_OPTION] as const;

export const MESSAGE_COMMANDS: readonly CommandSpec[] = [
  typedCommand({
    path: ['produce'],
    summary: 'write test messages to a topic (JSON, Avro via the registry, text or bytes)',
    arguments: '<topic>',
    output: true,
    options: PRODUCE_OPTIONS,
    examples: [
      'iotmsg produce sensor-data --key sensor-0001 --value \'{"sensor_id":"sensor-0001","timestamp":1717000000000,"value":21.5,"unit":"C"}\'',
      'iotmsg produce sensor-data --generate 10000 --seed 7 --rate 500',
      'cat readings.ndjson | iotmsg produce system-logs --format json -H source=gateway-7',
      "printf 'sensor-0001:{\"value\":21.5}\\n' | iotmsg produce device-state --format json -K :",
      'iotmsg tail sensor-data --from-beginning --exit-at-end -o ndjson | iotmsg produce sensor-data-copy --envelope',
    ],
    load: () => import('./produce.js'),
  }),
  typedCommand({
    path: ['tail'],
    summary: 'follow the messages of a topic, decoded (Avro via the registry, JSON, text, hex), without joining a group',
    arguments: '<topic>',
    options: TAIL_OPTIONS,
    examples: ['iotmsg tail sensor-data --since 10m', "iotmsg tail sensor-data --from-beginning --exit-at-end --format '%k %v %p %o'", 'iotmsg tail device-events.dlq --from-beginning --max 5'],
    load: () => import('./tail.js'),
  }),
  {
    path: ['groups', 'list'],
    summary: 'list consumer groups with their state and members',
    output: true,
    load: () => import('./groupsList.js'),
  },
  {
    path: ['groups', 'describe'],
    summary: 'show a group (or several; none: every group): state, members and assignments, committed offset, log end and lag per partition',
    arguments: '[groups...]',
    output: true,
    load: () => import('./groupsDescribe.js'),
  },
  {
    path: ['groups', 'lag'],
    summary: 'total lag of every consumer group, most behind first',
    output: true,
    load: () => import('./groupsLag.js'),
  },
  typedCommand({
    path: ['groups', 'reset-offsets'],
    summary: "move a group's committed offsets on a topic (shows the change; --execute to do it)",
    arguments: '<group>',
    output: true,
    options: RESET_OPTIONS,
    examples: ['iotmsg groups reset-offsets alerting --topic sensor-data --to-datetime 2h', 'iotmsg groups reset-offsets alerting --topic sensor-data --shift-by -100 --execute'],
    load: () => import('./groupsReset.js'),
  }),
  typedCommand({
    path: ['groups', 'delete'],
    summary: 'delete consumer groups and their committed offsets (refused while any has members)',
    arguments: '<groups...>',
    output: true,
    options: GROUP_DELETE_OPTIONS,
    examples: ['iotmsg groups delete alerting-old --yes', 'iotmsg groups delete replay-1 replay-2 --yes'],
    load: () => import('./groupsDelete.js'),
  }),
];
