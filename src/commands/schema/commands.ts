import type { CommandSpec, GroupSpec, OptionSpec } from '../../cli/spec.js';

export const SCHEMA_GROUPS: readonly GroupSpec[] = [{ name: 'schema', summary: 'Avro schemas as code: check, register and inspect registry subjects' }];

const LEVELS = 'BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE or NONE';
export const SUBJECT_STRATEGY_OPTION: OptionSpec = {
  flags: '--subject-strategy <strategy>',
  description: 'subject names for topics.yaml schemas: topic (<topic>-value), record (<record name>) or topic-record (<topic>-<record name>)',
  choices: ['topic', 'record', 'topic-record'],
  default: 'topic',
};
export const DETAILED_EXITCODE_OPTION: OptionSpec = { flags: '--detailed-exitcode', description: 'exit 0 when nothing differs, 2 when something does, 1 on error' };
/** Every plan exits 1 when anything is blocked, whatever the flag: a gate on 2 must not pass a blocked change. */
export const PLAN_EXITCODE_OPTION: OptionSpec = { flags: '--detailed-exitcode', description: 'exit 0 for no changes, 2 for changes that can all be applied (1 when anything is blocked, with or without this flag)' };

export const SCHEMA_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['schema', 'list'],
    summary: 'list the subjects of the registry with their latest version',
    options: [{ flags: '--prefix <text>', description: 'only subjects starting with this' }],
    output: true,
    load: () => import('./list.js'),
  },
  {
    path: ['schema', 'get'],
    summary: 'show a registered schema: the latest version, or the version given',
    arguments: '<subject> [version]',
    options: [{ flags: '--version <n>', description: 'version number (same as the second argument)', type: { kind: 'integer', min: 1 } }],
    output: true,
    examples: ['iotmsg schema get sensor-data-value', 'iotmsg schema get sensor-data-value 2 -o json'],
    load: () => import('./get.js'),
  },
  {
    path: ['schema', 'versions'],
    summary: 'list the versions of a subject with their ids',
    arguments: '<subject>',
    output: true,
    load: () => import('./versions.js'),
  },
  {
    path: ['schema', 'check'],
    summary: 'judge a schema change as the registry would (offline; also asks a configured registry); exit 4 if incompatible. Without a file: every schema changed since --against <revision> (a CI gate)',
    arguments: '[file]',
    options: [
      {
        flags: '--against <file|revision>',
        description: 'an older version: a .avsc file, or a git revision (branch, tag, commit) to read the same file at; repeat for several, oldest first',
        repeatable: true,
      },
      { flags: '--history [revision]', description: 'every committed version of the file reachable from the revision (default HEAD), renames followed' },
      { flags: '--level <level>', description: `compatibility level (default: the subject's level in topics.yaml, else BACKWARD): ${LEVELS}` },
      { flags: '--subject <subject>', description: 'subject to ask the registry about (default: the subjects topics.yaml maps the file to)' },
      { flags: '--schemas-dir <dir>', description: "where named types used by the file are defined (default: the project's schemas/)" },
      { flags: '--offline', description: 'do not ask the registry' },
      SUBJECT_STRATEGY_OPTION,
    ],
    output: true,
    examples: [
      'iotmsg schema check schemas/sensor-data.avsc --against main',
      'iotmsg schema check schemas/sensor-data.avsc --history --level FULL_TRANSITIVE',
      'iotmsg schema check new.avsc --against v1.avsc --against v2.avsc --level BACKWARD_TRANSITIVE',
      'iotmsg schema check --against origin/main -o json     # CI: every schema changed since, at its level',
    ],
    load: () => import('./check.js'),
  },
  {
    path: ['schema', 'register'],
    summary: 'register the schemas of topics.yaml (or one subject) idempotently, setting their compatibility level first',
    arguments: '[subject] [file]',
    options: [{ flags: '--level <level>', description: `with a subject and file: the level to set (${LEVELS})` }, SUBJECT_STRATEGY_OPTION],
    output: true,
    examples: ['iotmsg schema register --env dev', 'iotmsg schema register sensor-data-value schemas/sensor-data.avsc --level FULL'],
    load: () => import('./register.js'),
  },
  {
    path: ['schema', 'register-iot-schemas'],
    summary: "register the IoT platform's schemas (every subject of topics.yaml), as the seed platform's command did",
    options: [SUBJECT_STRATEGY_OPTION],
    output: true,
    load: () => import('./register.js'),
  },
  {
    path: ['schema', 'plan'],
    summary: 'show what "schema register" would do: subjects to register, new versions, level changes',
    options: [SUBJECT_STRATEGY_OPTION, PLAN_EXITCODE_OPTION],
    output: true,
    load: () => import('./plan.js'),
  },
  {
    path: ['schema', 'export'],
    summary: 'write every subject, version, id, level and reference of the registry to a folder, as files to commit',
    arguments: '<dir>',
    output: true,
    examples: ['iotmsg schema export registry-backup/ --env prod'],
    load: () => import('./export.js'),
  },
  {
    path: ['schema', 'import'],
    summary: 'write an export into the registry (oldest first; what it holds is skipped), keeping ids where it has an IMPORT mode, then set the levels',
    arguments: '<dir>',
    output: true,
    examples: ['iotmsg schema import registry-backup/ --schema-registry http://localhost:8081'],
    load: () => import('./import.js'),
  },
  {
    path: ['schema', 'diff'],
    summary: "compare local schemas with the registry's latest versions (by canonical form)",
    arguments: '[subject] [file]',
    options: [SUBJECT_STRATEGY_OPTION, DETAILED_EXITCODE_OPTION],
    output: true,
    load: () => import('./diff.js'),
  },
  {
    // One command with a verb argument: the CLI nests commands one level under a group.
    path: ['schema', 'compat'],
    summary: 'show ("get [subject]") or set ("set <level> [subject]") compatibility levels',
    arguments: '<get|set> [args...]',
    options: [{ flags: '--global', description: 'with set and no subject: set the level of the whole registry' }],
    output: true,
    examples: ['iotmsg schema compat get sensor-data-value', 'iotmsg schema compat set FULL sensor-data-value', 'iotmsg schema compat set BACKWARD --global'],
    load: () => import('./compat.js'),
  },
  {
    path: ['schema', 'delete'],
    summary: 'delete a subject, or one version of it (soft, or --permanent); asks first',
    arguments: '<subject> [version]',
    options: [
      { flags: '--version <n>', description: 'delete only this version (same as the second argument)', type: { kind: 'integer', min: 1 } },
      { flags: '--permanent', description: 'delete for good (soft-deletes first where the registry requires it)' },
      { flags: '--yes', description: 'do not ask for confirmation' },
    ],
    output: true,
    examples: ['iotmsg schema delete sensor-data-value 3 --yes', 'iotmsg schema delete old-topic-value --permanent'],
    load: () => import('./delete.js'),
  },
];
