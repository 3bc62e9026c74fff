import type { ChalkInstance } from 'chalk';
import type { DlqRow } from '../core/dlq/summary.js';
import { table } from './table.js';

export interface DlqListView {
  /** undefined for a file that declares no environments. */
  environment: string | undefined;
  dlqs: DlqRow[];
}

export function renderDlqList(view: DlqListView, style: ChalkInstance): string {
  const env = view.environment === undefined ? '' : ` of environment "${view.environment}"`;
  if (view.dlqs.length === 0) return style.dim(`no dead-letter topics${env}: no topic in topics.yaml has dlq: true`);
  const rows = view.dlqs.map((d) => [
    d.name,
    d.parent,
    d.status === 'missing' ? style.yellow('missing') : (d.messages ?? 0) > 0 ? style.red(d.messages) : style.dim(0),
    d.oldest ?? undefined,
    d.newest ?? undefined,
    d.groups.length === 0 ? undefined : d.groups.map((g) => `${g.group} (lag ${g.lag})`).join(', '),
  ]);
  const holding = view.dlqs.filter((d) => (d.messages ?? 0) > 0).length;
  const missing = view.dlqs.filter((d) => d.status === 'missing').length;
  const verdict = [`${holding} of ${view.dlqs.length} dead-letter topic(s)${env} hold messages`, ...(missing > 0 ? [`${missing} missing on the cluster (create them with "iotmsg create-iot-topics")`] : [])];
  return `${table(['DLQ', 'PARENT', 'MESSAGES', 'OLDEST', 'NEWEST', 'GROUPS'], rows)}\n${verdict.join('; ')}`;
}
