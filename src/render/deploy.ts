import type { ChalkInstance } from 'chalk';
import { keyValues, table } from './table.js';

interface Deployed {
  env: string;
  stateDir: string;
  bootstrapServers: string[];
  schemaRegistryUrl: string | undefined;
  components: { name: string }[];
  elapsedMs: number;
}

export function renderDeployed(d: Deployed, style: ChalkInstance): string {
  const brokers = d.components.filter((c) => c.name.startsWith('kafka-')).length;
  return [
    `${style.green('✓')} ${d.env} cluster is up: ${brokers} broker(s)${d.schemaRegistryUrl ? ' and a schema registry' : ''} (${(d.elapsedMs / 1000).toFixed(1)}s)`,
    keyValues([
      ['bootstrap servers', d.bootstrapServers.join(',')],
      ['schema registry', d.schemaRegistryUrl ?? 'not started'],
      ['state and logs', d.stateDir],
      ['stop with', `iotmsg deploy down --env ${d.env}`],
    ]),
  ].join('\n');
}

export function renderStopped(r: { env: string; stopped: string[]; removedData: boolean; stateDir: string }, style: ChalkInstance): string {
  const what = r.stopped.length === 0 ? 'nothing was running' : `stopped ${r.stopped.join(', ')}`;
  return `${style.green('✓')} ${r.env}: ${what}${r.removedData ? `; removed ${r.stateDir}` : ''}`;
}

interface Status {
  env: string;
  deployed: boolean;
  bootstrapServers: string[];
  schemaRegistryUrl: string | undefined;
  components: { name: string; kind: string; pid: number; port: number; running: boolean; log: string }[];
}

export function renderStatus(s: Status, style: ChalkInstance): string {
  if (!s.deployed) return `${s.env}: not deployed (start it with "iotmsg deploy --env ${s.env}")`;
  return table(
    ['COMPONENT', 'KIND', 'PID', 'PORT', 'STATE', 'LOG'],
    s.components.map((c) => [c.name, c.kind, c.pid, c.port, c.running ? style.green('running') : style.red('stopped'), c.log]),
  );
}
