/** Views of an access plan: each principal's roles with the bindings they expand to, then what the file does not declare. */
import type { ChalkInstance } from 'chalk';
import { describeBinding, type AccessPlan, type AclBinding, type PlannedBinding } from '../core/access/index.js';

/** Unmanaged bindings named in the human view; JSON lists them all. */
const UNMANAGED_SHOWN = 20;

/** `ALLOW WRITE topic sensor-data` (the principal is the heading). */
function bindingText(b: AclBinding): string {
  return describeBinding(b).replace(` ${b.principal} `, ' ');
}

function principalBlocks(declared: readonly PlannedBinding[], style: ChalkInstance, enforced: boolean): string[] {
  const lines: string[] = [];
  let principal: string | undefined;
  let origin: string | undefined;
  for (const b of declared) {
    if (b.principal !== principal) {
      lines.push(`  ${style.bold(b.principal)}`);
      principal = b.principal;
      origin = undefined;
    }
    if (b.origin !== origin) {
      lines.push(`    ${b.origin}`);
      origin = b.origin;
    }
    if (!enforced) lines.push(style.dim(`      · ${bindingText(b)}`));
    else if (b.status === 'create') lines.push(style.green(`      + ${bindingText(b)}`));
    else lines.push(style.dim(`        ${bindingText(b)}`));
  }
  return lines;
}

export function renderAccessPlan(plan: AccessPlan, style: ChalkInstance): string {
  const lines = principalBlocks(plan.declared, style, plan.enforced);
  if (!plan.enforced) {
    lines.push(style.yellow(`Not enforced here: the cluster runs without an authorizer, so ${plan.declared.length} declared binding(s) have nothing to apply to.`));
    return lines.join('\n');
  }
  if (plan.delete.length > 0) {
    lines.push('  not in the file (deleted):', ...plan.delete.map((b) => style.red(`      - ${describeBinding(b)}`)));
  }
  if (plan.unmanaged.length > 0) {
    const superUsers = new Set(plan.superUsers);
    const shown = plan.unmanaged.slice(0, UNMANAGED_SHOWN).map((b) => style.dim(`      ? ${describeBinding(b)}${superUsers.has(b.principal) ? ' (super user: never deleted)' : ''}`));
    const more = plan.unmanaged.length > UNMANAGED_SHOWN ? [style.dim(`      and ${plan.unmanaged.length - UNMANAGED_SHOWN} more`)] : [];
    lines.push(style.dim('  not in the file (unmanaged, kept; --prune deletes them):'), ...shown, ...more);
  }
  const present = plan.declared.length - plan.create.length;
  const summary = `Access: ${plan.create.length} to create, ${plan.delete.length} to delete. ${present} unchanged, ${plan.unmanaged.length} unmanaged.`;
  if (plan.declared.length === 0 && plan.delete.length === 0 && plan.unmanaged.length === 0) lines.push('No access declared.');
  else lines.push(plan.create.length + plan.delete.length === 0 ? `${style.green('No changes.')} ${summary}` : style.bold(summary));
  if (plan.refusal !== undefined) lines.push(style.red(`  ! refused: ${plan.refusal}`));
  return lines.join('\n');
}

export interface AccessReport {
  created: number;
  deleted: number;
  elapsedMs: number;
}

export interface AppliedAccess {
  plan: AccessPlan;
  applied: AccessReport | null;
}

export function renderAppliedAccess({ plan, applied }: AppliedAccess, style: ChalkInstance): string {
  if (!plan.enforced) return style.yellow('Access not enforced here: the cluster runs without an authorizer; nothing applied.');
  if (applied === null) return `${style.green('No changes.')} ${plan.declared.length} ACL binding(s) already match.`;
  return `${style.green('Access applied:')} ${applied.created} binding(s) created, ${applied.deleted} deleted (${(applied.elapsedMs / 1000).toFixed(1)}s).`;
}
