import type { ChalkInstance } from 'chalk';
import type { BrokerConfig, BrokerConfigChange } from '../core/brokers/brokerConfigs.js';
import { formatBytes } from './messages.js';
import { table } from './table.js';

export interface BrokerRow {
  nodeId: number;
  host: string;
  port: number;
  rack: string | undefined;
  controller: boolean;
  logDirs: { path: string; error: string | undefined; partitions: number; usedBytes: number; totalBytes: number | undefined; usableBytes: number | undefined }[];
}

/** One line per log dir; a broker's first line carries its id, address, rack and role. */
export function renderBrokers(listing: { brokers: readonly BrokerRow[] }, style: ChalkInstance): string {
  if (listing.brokers.length === 0) return style.dim('no brokers');
  const rows = listing.brokers.flatMap((b) => {
    const head = [b.nodeId, `${b.host}:${b.port}`, b.rack, b.controller ? 'yes' : ''];
    const dirs = b.logDirs.length === 0 ? [undefined] : b.logDirs;
    return dirs.map((d, i) => [
      ...(i === 0 ? head : ['', '', '', '']),
      d?.path,
      d === undefined ? undefined : d.error !== undefined ? style.red(d.error) : d.partitions,
      d && formatBytes(d.usedBytes),
      d?.usableBytes === undefined ? undefined : formatBytes(d.usableBytes),
      d?.totalBytes === undefined ? undefined : formatBytes(d.totalBytes),
    ]);
  });
  return table(['ID', 'ADDRESS', 'RACK', 'CONTROLLER', 'LOG DIR', 'PARTITIONS', 'USED', 'FREE', 'TOTAL'], rows);
}

/** A config's value as shown: secrets never, a missing value as "-". */
function valueText(value: string | null, secret: boolean, style: ChalkInstance): string {
  if (secret) return style.dim('(sensitive)');
  return value === null ? '-' : value;
}

export function renderBrokerConfigs(description: { broker: number; configs: readonly BrokerConfig[] }, style: ChalkInstance): string {
  if (description.configs.length === 0) return style.dim(`broker ${description.broker} has no configs set (--all shows the defaults)`);
  return table(
    ['NAME', 'VALUE', 'SOURCE', 'ALSO SET IN'],
    description.configs.map((c) => [c.name, valueText(c.value, c.sensitive, style), c.source, c.synonyms.slice(1).map((s) => s.source).join(', ') || '']),
  );
}

export interface BrokerConfigAlteration {
  /** A broker id, or "cluster-default". */
  target: string;
  changes: BrokerConfigChange[];
  applied: boolean;
}

export function renderConfigChanges(changes: readonly BrokerConfigChange[], style: ChalkInstance): string {
  return changes
    .map((c) => {
      const from = c.from === null && !c.secret ? style.dim('(not set)') : valueText(c.from, c.secret, style);
      const effective = c.from === null && c.effective?.value != null && !c.secret ? style.dim(`  (now ${c.effective.value} from ${c.effective.source})`) : '';
      return c.op === 'set' ? `  ${style.yellow('~')} ${c.name}: ${from} → ${valueText(c.to, c.secret, style)}${effective}` : `  ${style.red('-')} ${c.name}: ${from} → ${style.dim('(removed)')}`;
    })
    .join('\n');
}

export function renderBrokerAlteration(a: BrokerConfigAlteration, style: ChalkInstance): string {
  const where = a.target === 'cluster-default' ? 'the cluster-wide broker default' : `broker ${a.target}`;
  if (a.changes.length === 0) return style.dim(`no changes: ${where} already has these configs`);
  return `${style.green('✓')} changed ${a.changes.length} config(s) of ${where}`;
}
