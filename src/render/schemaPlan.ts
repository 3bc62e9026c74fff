import type { ChalkInstance } from 'chalk';
import type { SchemaPlan, SubjectChange } from '../core/schemas/index.js';

const where = (change: SubjectChange) => change.uses.map((u) => `${u.topic} ${u.role}`).join(', ');
const level = (value: string | null) => value ?? 'not set';

function changeLines(change: SubjectChange, style: ChalkInstance): string[] {
  const file = change.file ? ` from ${change.file}` : '';
  const lines: string[] = [];
  switch (change.action) {
    case 'register':
      lines.push(`${style.green('+')} ${change.subject}: register${file}`);
      break;
    case 'new-version':
      lines.push(`${style.yellow('~')} ${change.subject}: new version after ${change.latestVersion}${file}`);
      if (change.verdict?.compatible) lines.push(`    ${change.verdict.level}: compatible with version ${change.verdict.against.join(', ')}`);
      break;
    case 'missing':
      lines.push(`${style.red('!')} ${change.subject}: missing from the registry`);
      break;
    case 'unchanged':
      if (change.levelChange === undefined) {
        const at = change.version === undefined ? '' : ` (version ${change.version}, id ${change.id})`;
        lines.push(style.dim(`= ${change.subject}: unchanged${at}`));
      } else {
        lines.push(`${style.yellow('~')} ${change.subject}: schema unchanged`);
      }
      break;
  }
  if (change.levelChange) lines.push(`    compatibility ${level(change.levelChange.from)} → ${change.levelChange.to}`);
  if (change.blocked) {
    lines.push(`    ${style.red('blocked:')} ${change.blocked.reason}`);
    for (const i of change.verdict?.incompatibilities.slice(1) ?? []) lines.push(`      also: ${i.message}`);
    lines.push(`    ${style.dim(`to fix: ${change.blocked.remedy}`)}`);
  }
  lines.push(style.dim(`    for ${where(change)}`));
  return lines;
}

/** The schema section of a plan, terraform-style: one block per subject, then a summary line. */
export function renderSchemaPlan(plan: SchemaPlan, style: ChalkInstance): string {
  if (plan.subjects.length === 0) return style.dim('no schemas: no topic of this environment has keySchema or valueSchema');
  const { summary } = plan;
  const counts = [
    `${summary.register} to register`,
    `${summary.newVersion} new version(s)`,
    `${summary.levelChange} level change(s)`,
    `${summary.unchanged} unchanged`,
    ...(summary.blocked > 0 ? [style.red(`${summary.blocked} blocked`)] : []),
  ];
  return [...plan.subjects.flatMap((c) => changeLines(c, style)), '', `Schemas: ${counts.join(', ')}.`].join('\n');
}
