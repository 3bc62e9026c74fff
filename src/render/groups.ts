import type { ChalkInstance } from 'chalk';
import type { GroupLagSummary, OffsetChange, PartitionLag } from '../core/messages/index.js';
import { keyValues, table } from './table.js';

export interface GroupListRow {
  group: string;
  state: string;
  members: number;
  protocolType: string;
  protocol: string;
}

export interface GroupDescriptionView {
  group: string;
  state: string;
  protocol: string;
  members: { memberId: string; clientId: string; host: string; assignments: { topic: string; partitions: number[] }[] }[];
  partitions: PartitionLag[];
  totalLag: number;
}

export interface OffsetResetView {
  group: string;
  topic: string;
  executed: boolean;
  changes: OffsetChange[];
}

function stateCell(state: string, style: ChalkInstance): string {
  if (state === 'Stable') return style.green(state);
  if (state === 'Empty' || state === 'Dead') return style.dim(state);
  return style.yellow(state);
}

function lagCell(lag: number | undefined, style: ChalkInstance): string | number | undefined {
  if (lag === undefined) return undefined;
  return lag > 0 ? style.yellow(lag) : lag;
}

export function renderGroupList(groups: readonly GroupListRow[], style: ChalkInstance): string {
  if (groups.length === 0) return style.dim('no consumer groups');
  return table(['GROUP', 'STATE', 'MEMBERS', 'TYPE', 'ASSIGNOR'], groups.map((g) => [g.group, stateCell(g.state, style), g.members, g.protocolType || undefined, g.protocol || undefined]));
}

export function renderGroupDescription(view: GroupDescriptionView, style: ChalkInstance): string {
  const sections = [
    keyValues([
      ['group', view.group],
      ['state', stateCell(view.state, style)],
      ['assignor', view.protocol || undefined],
      ['members', view.members.length],
      ['total lag', view.totalLag],
    ]),
  ];
  if (view.members.length > 0) {
    sections.push(
      table(
        ['MEMBER', 'CLIENT', 'HOST', 'ASSIGNMENT'],
        view.members.map((m) => [m.memberId, m.clientId, m.host, m.assignments.map((a) => `${a.topic}:${a.partitions.join(',')}`).join(' ') || style.dim('none')]),
      ),
    );
  }
  sections.push(
    view.partitions.length === 0
      ? style.dim('no committed offsets')
      : table(
          ['TOPIC', 'PARTITION', 'COMMITTED', 'LOG-END', 'LAG', 'OWNER'],
          view.partitions.map((p) => [p.topic, p.partition, p.committed, p.logEnd, lagCell(p.lag, style), p.owner]),
        ),
  );
  return sections.join('\n\n');
}

export function renderGroupDescriptions(views: readonly GroupDescriptionView[], style: ChalkInstance): string {
  if (views.length === 0) return style.dim('no consumer groups');
  return views.map((v) => renderGroupDescription(v, style)).join('\n\n');
}

export function renderGroupLag(groups: readonly GroupLagSummary[], style: ChalkInstance): string {
  if (groups.length === 0) return style.dim('no consumer groups');
  return table(['GROUP', 'STATE', 'MEMBERS', 'TOPICS', 'PARTITIONS', 'LAG'], groups.map((g) => [g.group, stateCell(g.state, style), g.members, g.topics.join(',') || undefined, g.partitions, lagCell(g.lag, style)]));
}

export function renderOffsetReset(view: OffsetResetView, style: ChalkInstance): string {
  const change = (c: OffsetChange) => (c.change === undefined ? style.dim('new') : c.change === 0 ? 0 : c.change > 0 ? `+${c.change}` : String(c.change));
  return table(['TOPIC', 'PARTITION', 'CURRENT', 'TARGET', 'CHANGE'], view.changes.map((c) => [c.topic, c.partition, c.current, c.target, change(c)]));
}

export function renderGroupsDeleted(d: { deleted: string[] }, style: ChalkInstance): string {
  return `${style.green('✓')} deleted consumer group(s) ${d.deleted.join(', ')} and their committed offsets`;
}
