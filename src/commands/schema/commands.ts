import type { CommandSpec, GroupSpec } from '../../cli/spec.js';

export const SCHEMA_GROUPS: readonly GroupSpec[] = [];

export const SCHEMA_COMMANDS: readonly CommandSpec[] = [];
