/** Terraform-style views of a topics plan and of what apply did. */
import type { ChalkInstance } from 'chalk';
import { configUnit, topicConfig } from '../core/topics/configCatalog.js';
import { formatQuantity, isBlocked, type ConfigChange, type PlanDocument, type Rejection, type TopicChange } from '../core/topics/index.js';

/** Unmanaged topics named in the human view; JSON lists them all. */
const UNMANAGED_SHOWN = 20;

/** A config value with its human form when it has an exact one: `604800000 (7d)`. */
export function configValueText(name: string, value: string): string {
  const definition = topicConfig(name);
  const unit = definition === undefined ? undefined : configUnit(definition);
  if (unit === undefined || !/^-?\d+$/.test(value)) return value;
  const human = formatQuantity(BigInt(value), unit);
  return human === undefined ? value : `${value} (${human})`;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

function configLine(change: ConfigChange, style: ChalkInstance): string {
  if (change.op === 'delete') {
    return style.red(`      - ${change.name}: ${configValueText(change.name, change.from)}`) + style.dim('  (override removed: the broker default applies)');
  }
  if (change.from === null) return style.green(`      + ${change.name}: ${configValueText(change.name, change.to)}`);
  return style.yellow(`      ~ ${change.name}: ${configValueText(change.name, change.from)} → ${configValueText(change.name, change.to)}`);
}

/** Each partition's replicas before and after, with the brokers gaining (+) and losing (-) one. */
function replicationLines(change: Extract<TopicChange, { action: 'change-replication' }>, style: ChalkInstance): string[] {
  const header =
    change.from === change.to
      ? style.yellow(`      ~ replicas of ${plural(change.moves.length, 'partition')} moving (a reassignment in flight): apply waits for it`)
      : style.yellow(`      ~ replication: ${change.from} → ${change.to}, replicas moved in ${plural(change.moves.length, 'partition')}`);
  const moves = change.moves.map((move) => {
    const gained = move.to.filter((id) => !move.from.includes(id)).map((id) => `+${id}`);
    const lost = move.from.filter((id) => !move.to.includes(id)).map((id) => `-${id}`);
    return style.yellow(`        partition ${move.partition}: [${move.from.join(',')}] → [${move.to.join(',')}]`) + style.dim(`  ${[...gained, ...lost].join(' ')}`);
  });
  return [header, ...moves];
}

function changeLines(change: TopicChange, style: ChalkInstance): string[] {
  switch (change.action) {
    case 'create': {
      const { spec } = change;
      const dlq = spec.dlqOf === undefined ? '' : style.dim(`  (dlq of ${spec.dlqOf})`);
      return [
        `${style.green(`  + ${change.topic}`)}${dlq}  ${plural(spec.partitions, 'partition')}, replication ${spec.replicationFactor}`,
        ...Object.entries(spec.configs).map(([name, value]) => style.green(`      ${name}: ${configValueText(name, value)}`)),
      ];
    }
    case 'add-partitions':
      return [style.yellow(`      ~ partitions: ${change.from} → ${change.to}`)];
    case 'update-configs':
      return change.configs.map((c) => configLine(c, style));
    case 'change-replication':
      return replicationLines(change, style);
    case 'replication-mismatch':
    case 'partition-decrease':
      return [style.red(`      ! ${change.reason}`), style.dim(`        → ${change.remedy}`)];
    case 'delete':
      return [`${style.red(`  - ${change.topic}`)}  ${plural(change.partitions, 'partition')}, replication ${change.replicationFactor}`];
  }
}

/** Changes of one topic together, under one `~` header for updates. */
function topicBlocks(changes: readonly TopicChange[], rejections: readonly Rejection[], style: ChalkInstance): string[] {
  const lines: string[] = [];
  const refusedBy = new Map<string, Rejection[]>();
  for (const rejection of rejections) refusedBy.set(rejection.topic, [...(refusedBy.get(rejection.topic) ?? []), rejection]);
  let previous: string | undefined;
  for (const change of changes) {
    const isUpdate = change.action !== 'create' && change.action !== 'delete';
    if (isUpdate && change.topic !== previous) {
      const marker = isBlocked(change) ? style.red(`  ! ${change.topic}`) : style.yellow(`  ~ ${change.topic}`);
      lines.push(marker);
    }
    lines.push(...changeLines(change, style));
    if (change.topic !== previous) {
      for (const r of refusedBy.get(change.topic) ?? []) lines.push(style.red(`      ! ${r.action}: ${r.reason}`));
    }
    previous = change.topic;
  }
  return lines;
}

function summaryLine(document: PlanDocument, style: ChalkInstance): string {
  const s = document.plan.summary;
  const updates = new Set(document.plan.changes.filter((c) => c.action === 'add-partitions' || c.action === 'update-configs' || c.action === 'change-replication').map((c) => c.topic)).size;
  const parts = [`${s.create} to create`, `${updates} to update`, `${s.delete} to delete`];
  const problems = [s.blocked > 0 ? `${s.blocked} blocked` : '', s.rejected > 0 ? `${s.rejected} refused by the broker` : ''].filter(Boolean);
  const text = `Plan: ${parts.join(', ')}${problems.length > 0 ? `; ${problems.join(', ')}` : ''}. ${s.unchanged} unchanged, ${s.unmanaged} unmanaged.`;
  return problems.length > 0 ? style.red(text) : style.bold(text);
}

function target(document: PlanDocument): string {
  const environment = document.environment === undefined ? '' : `environment "${document.environment}", `;
  return `${environment}${document.cluster.bootstrapServers.join(',')}`;
}

export function renderPlan(document: PlanDocument, style: ChalkInstance): string {
  const { plan } = document;
  const lines: string[] = [];
  if (plan.changes.length === 0) {
    lines.push(`${style.green('No changes.')} The cluster matches ${document.projectFile} (${target(document)}): ${plural(plan.unchanged.length, 'topic')} up to date.`);
  } else {
    lines.push(`Changes for ${target(document)}:`, '', ...topicBlocks(plan.changes, plan.rejections, style), '', summaryLine(document, style));
  }
  if (plan.unmanaged.length > 0) {
    const shown = plan.unmanaged.slice(0, UNMANAGED_SHOWN).join(', ');
    const more = plan.unmanaged.length > UNMANAGED_SHOWN ? ` and ${plan.unmanaged.length - UNMANAGED_SHOWN} more` : '';
    const why = document.prune ? 'protected, never deleted' : 'left alone; --prune deletes them';
    lines.push(style.dim(`Not in ${document.projectFile} (${why}): ${shown}${more}`));
  }
  return lines.join('\n');
}

export interface AppliedPlan {
  plan: PlanDocument;
  applied: { created: string[]; replicasMoved: string[]; partitionsAdded: string[]; configsUpdated: string[]; deleted: string[]; elapsedMs: number } | null;
}

export function renderApplied(result: AppliedPlan, style: ChalkInstance): string {
  const { applied } = result;
  if (applied === null) return `${style.green('No changes.')} ${result.plan.plan.unchanged.length} topic(s) already match ${result.plan.projectFile}.`;
  const parts = [
    `${applied.created.length} created`,
    ...(applied.replicasMoved.length > 0 ? [`${applied.replicasMoved.length} with replicas moved`] : []),
    `${applied.partitionsAdded.length} with partitions added`,
    `${applied.configsUpdated.length} with configs updated`,
    `${applied.deleted.length} deleted`,
  ];
  return `${style.green('Apply complete:')} ${parts.join(', ')} (${(applied.elapsedMs / 1000).toFixed(1)}s).`;
}
