import { typedCommand, type CommandSpec, type GroupSpec, type OptionSpec } from '../../cli/spec.js';
import { SCRAM_ITERATIONS, SCRAM_MECHANISMS } from '../../core/access/scramProtocol.js';
import { YES_OPTION } from '../project/commands.js';

export const USER_GROUPS: readonly GroupSpec[] = [{ name: 'users', summary: 'SCRAM users of the cluster: list, create, rotate and delete their credentials' }];

export const CREDENTIAL_OPTIONS = [
  { flags: '--mechanism <mechanism>', description: 'SCRAM mechanism', choices: SCRAM_MECHANISMS, default: 'SCRAM-SHA-512' },
  { flags: '--iterations <n>', description: 'PBKDF2 iterations of the salted password', type: { kind: 'integer', min: SCRAM_ITERATIONS.min, max: SCRAM_ITERATIONS.max }, default: SCRAM_ITERATIONS.default },
  { flags: '--password-file <path>', description: 'read the password from this file; else it is read from stdin, or asked for on a terminal (never a flag value)' },
] as const satisfies readonly OptionSpec[];

export const USER_DELETE_OPTIONS = [
  { flags: '--mechanism <mechanism>', description: "delete only this mechanism's credential (default: all of the user's)", choices: SCRAM_MECHANISMS },
  YES_OPTION,
] as const satisfies readonly OptionSpec[];

export const USER_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['users', 'list'],
    summary: 'list the SCRAM users with their mechanisms and iterations (never a secret)',
    output: true,
    load: () => import('./list.js'),
  },
  typedCommand({
    path: ['users', 'create'],
    summary: 'give a user SCRAM credentials (refused when it has them already: use rotate)',
    arguments: '<user>',
    output: true,
    options: CREDENTIAL_OPTIONS,
    examples: ['iotmsg users create sensor-gateway --password-file secrets/gateway.password', 'printf %s "$GATEWAY_PASSWORD" | iotmsg users create sensor-gateway --mechanism SCRAM-SHA-256'],
    load: () => import('./create.js'),
  }),
  typedCommand({
    path: ['users', 'rotate'],
    summary: "replace a user's SCRAM password (the old one stops working)",
    arguments: '<user>',
    output: true,
    options: CREDENTIAL_OPTIONS,
    examples: ['iotmsg users rotate sensor-gateway --password-file secrets/gateway.password'],
    load: () => import('./rotate.js'),
  }),
  typedCommand({
    path: ['users', 'delete'],
    summary: "delete a user's SCRAM credentials, after confirmation",
    arguments: '<user>',
    output: true,
    options: USER_DELETE_OPTIONS,
    examples: ['iotmsg users delete old-service --yes'],
    load: () => import('./delete.js'),
  }),
];
