import type { ChalkInstance } from 'chalk';
import type { TopicSummary } from '../core/cluster/topicHealth.js';
import { formatDiagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { ConfigChange } from '../core/topics/index.js';
import { configValueText } from './plan.js';
import { keyValues, table } from './table.js';

export function renderTopicList(topics: readonly TopicSummary[], style: ChalkInstance): string {
  if (topics.length === 0) return style.dim('no topics');
  return table(
    ['NAME', 'PARTITIONS', 'REPLICAS', 'UNDER-REPLICATED', 'OFFLINE', 'DLQ'],
    topics.map((t) => [
      t.name,
      t.partitions,
      t.replicationFactor,
      t.underReplicated > 0 ? style.yellow(t.underReplicated) : 0,
      t.offline > 0 ? style.red(t.offline) : 0,
      t.dlq ? 'dlq' : '',
    ]),
  );
}

export interface Validation {
  valid: boolean;
  file: string;
  /** Declared topics; null when the file has errors. */
  topics: number | null;
  schemas: string[];
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
}

/** Compiler-style `file:line:col: severity: message (hint)`, then a one-line verdict. */
export function renderValidation(v: Validation, style: ChalkInstance): string {
  const lines = v.diagnostics.map((d) => {
    const text = formatDiagnostic(d);
    return d.severity === 'error' ? text.replace(': error: ', `: ${style.red('error')}: `) : text.replace(': warning: ', `: ${style.yellow('warning')}: `);
  });
  const checked = `${v.file}${v.topics === null ? '' : ` (${v.topics} topic(s))`} and ${v.schemas.length} schema file(s)`;
  const counts = `${v.errors} error(s), ${v.warnings} warning(s)`;
  lines.push(v.valid ? `${style.green('✓')} ${checked} are valid${v.warnings > 0 ? ` (${counts})` : ''}` : style.red(`✗ ${checked}: ${counts}`));
  return lines.join('\n');
}

export interface TopicDescription {
  name: string;
  internal: boolean;
  replicationFactor: number;
  dlqOf: string | undefined;
  dlqSiblings: string[];
  partitions: {
    partition: number;
    leader: number;
    replicas: number[];
    isr: number[];
    offlineReplicas: number[];
    earliestOffset: string;
    latestOffset: string;
  }[];
  configs: { name: string; value: string; source: string; readOnly: boolean }[];
}

export function renderTopicDescription(d: TopicDescription, style: ChalkInstance): string {
  const messages = d.partitions.reduce((sum, p) => sum + BigInt(p.latestOffset) - BigInt(p.earliestOffset), 0n);
  const header = keyValues([
    ['name', d.name],
    ['partitions', d.partitions.length],
    ['replication factor', d.replicationFactor],
    ['messages (approx.)', messages.toString()],
    ...(d.dlqOf === undefined ? [] : ([['dlq of', d.dlqOf]] as const)),
    ...(d.dlqSiblings.length === 0 ? [] : ([['dlq siblings', d.dlqSiblings.join(', ')]] as const)),
  ]);
  const partitions = table(
    ['PARTITION', 'LEADER', 'REPLICAS', 'ISR', 'EARLIEST', 'LATEST'],
    d.partitions.map((p) => [
      p.partition,
      p.leader < 0 ? style.red('none') : p.leader,
      p.replicas.join(','),
      p.isr.length < p.replicas.length ? style.yellow(p.isr.join(',')) : p.isr.join(','),
      p.earliestOffset,
      p.latestOffset,
    ]),
  );
  const configs = table(
    ['CONFIG', 'VALUE', 'SOURCE'],
    d.configs.map((c) => [c.name, configValueText(c.name, c.value), c.source === 'dynamic' ? style.cyan(c.source) : style.dim(c.source)]),
  );
  return [header, '', partitions, '', configs].join('\n');
}

export interface AlteredTopic {
  topic: string;
  partitions: { from: number; to: number } | null;
  configs: ConfigChange[];
}

export function renderAltered(a: AlteredTopic, style: ChalkInstance): string {
  const lines: string[] = [];
  if (a.partitions !== null) lines.push(`  partitions: ${a.partitions.from} → ${a.partitions.to}`);
  for (const c of a.configs) {
    if (c.op === 'delete') lines.push(`  - ${c.name}: ${configValueText(c.name, c.from)} (override removed)`);
    else lines.push(`  ${c.from === null ? '+' : '~'} ${c.name}: ${c.from === null ? '' : `${configValueText(c.name, c.from)} → `}${configValueText(c.name, c.to)}`);
  }
  if (lines.length === 0) return `${style.green('✓')} "${a.topic}" already is as asked: nothing changed`;
  return [`${style.green('✓')} altered "${a.topic}"; its other overrides are unchanged`, ...lines].join('\n');
}

export function renderDeleted(d: { deleted: string[] }, style: ChalkInstance): string {
  return `${style.green('✓')} deleted ${d.deleted.length} topic(s): ${d.deleted.join(', ')}`;
}

export interface SeededTopics {
  environment: string | undefined;
  created: string[];
  existing: string[];
  failed: { topic: string; reason: string }[];
}

export function renderSeeded(s: SeededTopics, style: ChalkInstance): string {
  const env = s.environment === undefined ? '' : ` for environment "${s.environment}"`;
  const lines = [`${style.green('✓')} created ${s.created.length} topic(s)${env}${s.created.length > 0 ? `: ${s.created.join(', ')}` : ''}`];
  if (s.existing.length > 0) lines.push(`  already existed (left as they are): ${s.existing.join(', ')}`);
  for (const f of s.failed) lines.push(style.red(`  ✗ ${f.topic}: ${f.reason}`));
  return lines.join('\n');
}

export interface TruncationView {
  topic: string;
  deleted: number;
  partitions: { partition: number; low: number; newLow: number; deleted: number }[];
}

export function renderTruncation(t: TruncationView, style: ChalkInstance): string {
  if (t.deleted === 0) return style.dim(`nothing to delete: every partition of ${t.topic} already starts at or after that point`);
  const rows = t.partitions.map((p) => [p.partition, p.low, p.newLow, p.deleted]);
  return `${table(['PARTITION', 'OLDEST BEFORE', 'OLDEST NOW', 'DELETED'], rows)}\n${style.green('✓')} deleted ${t.deleted} message(s) from ${t.topic}`;
}

export interface CreatedTopics {
  created: { name: string; partitions: number; replicationFactor: number; configs: Readonly<Record<string, string>> }[];
  savedTo: string | undefined;
}

export function renderCreated(c: CreatedTopics, style: ChalkInstance): string {
  const lines = c.created.map((t) => `${style.green('✓')} created ${t.name} (${t.partitions} partition(s), replication ${t.replicationFactor})`);
  lines.push(c.savedTo ? `saved to ${c.savedTo}` : style.dim('not in topics.yaml: the next plan lists it as unmanaged (--save adds it)'));
  return lines.join('\n');
}

export interface ReassignmentView {
  topic: string;
  /** What was done: started and completed, cancelled, or only looked at. */
  outcome: 'planned' | 'moved' | 'cancelled' | 'moving' | 'nothing-to-move';
  replicationFactor: number;
  moves: { partition: number; from: number[]; to: number[] }[];
}

export function renderReassignment(r: ReassignmentView, style: ChalkInstance): string {
  const rows = r.moves.map((m) => [m.partition, m.from.join(','), m.to.join(','), [...m.to.filter((id) => !m.from.includes(id)).map((id) => `+${id}`), ...m.from.filter((id) => !m.to.includes(id)).map((id) => `-${id}`)].join(' ')]);
  const moves = rows.length === 0 ? '' : `${table(['PARTITION', 'REPLICAS BEFORE', 'REPLICAS AFTER', 'CHANGE'], rows)}\n`;
  switch (r.outcome) {
    case 'planned':
      return `${moves}to reach replication factor ${r.replicationFactor}, the replicas of ${r.moves.length} partition(s) of ${r.topic} move`;
    case 'moved':
      return `${moves}${style.green('✓')} ${r.topic} has replication factor ${r.replicationFactor}: moved the replicas of ${r.moves.length} partition(s)`;
    case 'cancelled':
      return `${moves}${style.green('✓')} cancelled the moves of ${r.moves.length} partition(s) of ${r.topic}: they keep the replicas they had before`;
    case 'moving':
      return `${moves}${r.moves.length} partition(s) of ${r.topic} moving`;
    case 'nothing-to-move':
      return style.dim(`nothing moving: every partition of ${r.topic} has ${r.replicationFactor} replica(s)`);
  }
}
