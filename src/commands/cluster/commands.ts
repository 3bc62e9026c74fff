import type { CommandSpec, GroupSpec } from '../../cli/spec.js';

export const CLUSTER_GROUPS: readonly GroupSpec[] = [];

export const CLUSTER_COMMANDS: readonly CommandSpec[] = [];
