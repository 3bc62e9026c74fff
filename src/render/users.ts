import type { ChalkInstance } from 'chalk';
import { table } from './table.js';

export interface UserRow {
  user: string;
  credentials: { mechanism: string; iterations: number }[];
}

export function renderUsers(users: readonly UserRow[], style: ChalkInstance): string {
  if (users.length === 0) return style.dim('no SCRAM users');
  return table(['USER', 'MECHANISMS'], users.map((u) => [u.user, u.credentials.map((c) => `${c.mechanism} (${c.iterations} iterations)`).join(', ')]));
}

export type UserChange = { user: string; change: 'created' | 'rotated'; mechanism: string; iterations: number } | { user: string; change: 'deleted'; mechanisms: string[] };

export function renderUserChange(c: UserChange, style: ChalkInstance): string {
  if (c.change === 'deleted') return `${style.green('✓')} deleted the ${c.mechanisms.join(' and ')} credential(s) of user ${c.user}`;
  return `${style.green('✓')} ${c.change} the ${c.mechanism} credential of user ${c.user} (${c.iterations} iterations)`;
}
