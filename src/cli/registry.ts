import { ACCESS_COMMANDS, ACCESS_GROUPS } from '../commands/access/commands.js';
import { BROKER_COMMANDS, BROKER_GROUPS } from '../commands/brokers/commands.js';
import { CLUSTER_COMMANDS, CLUSTER_GROUPS } from '../commands/cluster/commands.js';
import { CONFIG_COMMANDS, CONFIG_GROUPS } from '../commands/config/commands.js';
import { DEPLOY_COMMANDS, DEPLOY_GROUPS } from '../commands/deploy/commands.js';
import { DLQ_COMMANDS, DLQ_GROUPS } from '../commands/dlq/commands.js';
import { MESSAGE_COMMANDS, MESSAGE_GROUPS } from '../commands/messages/commands.js';
import { PROJECT_COMMANDS, PROJECT_GROUPS } from '../commands/project/commands.js';
import { SCHEMA_COMMANDS, SCHEMA_GROUPS } from '../commands/schema/commands.js';
import { TOPIC_COMMANDS, TOPIC_GROUPS } from '../commands/topics/commands.js';
import { USER_COMMANDS, USER_GROUPS } from '../commands/users/commands.js';
import type { CommandSpec, GroupSpec } from './spec.js';

/**
 * Every command of iotmsg, gathered from the area that owns it. Specs only: the
 * implementations load when a command runs. A command is listed only once it works.
 */
export const COMMANDS: readonly CommandSpec[] = [...PROJECT_COMMANDS, ...TOPIC_COMMANDS, ...SCHEMA_COMMANDS, ...ACCESS_COMMANDS, ...USER_COMMANDS, ...DEPLOY_COMMANDS, ...CLUSTER_COMMANDS, ...BROKER_COMMANDS, ...MESSAGE_COMMANDS, ...DLQ_COMMANDS, ...CONFIG_COMMANDS];

/** Groups without a working command are left out of --help. */
export const GROUPS: readonly GroupSpec[] = [...PROJECT_GROUPS, ...TOPIC_GROUPS, ...SCHEMA_GROUPS, ...ACCESS_GROUPS, ...USER_GROUPS, ...DEPLOY_GROUPS, ...CLUSTER_GROUPS, ...BROKER_GROUPS, ...MESSAGE_GROUPS, ...DLQ_GROUPS, ...CONFIG_GROUPS].filter((g) =>
  COMMANDS.some((c) => c.path.length > 1 && c.path[0] === g.name),
);
