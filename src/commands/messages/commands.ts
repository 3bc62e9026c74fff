import type { CommandSpec, GroupSpec } from '../../cli/spec.js';

export const MESSAGE_GROUPS: readonly GroupSpec[] = [];

export const MESSAGE_COMMANDS: readonly CommandSpec[] = [];
