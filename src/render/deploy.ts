import type { ChalkInstance } from 'chalk';
import type { HealthReport } from '../core/cluster/health.js';
import { renderHealthChecks } from './health.js';
import { keyValues, table } from './table.js';

interface StackService {
  service: string;
  container: string;
  state: string;
  health: string;
  ports: number[];
}

/** A secured local deployment's client files; the secrets stay in them. */
interface LocalSecurity {
  protocol: string;
  mechanism: string | undefined;
  caFile: string;
  clientProperties: string;
  librdkafkaConf: string;
}

type Deployed = {
  env: string;
  bootstrapServers: string[];
  schemaRegistryUrl: string | undefined;
  elapsedMs: number;
  /** The command that stops it again, with the flags it needs. */
  stopWith: string;
  health?: HealthReport;
  /** Exit codes of the --apply steps. */
  applied?: { topics: number; schemas: number | 'skipped' };
  /** The step after the start that failed (its error follows on stderr). */
  failedStep?: string;
} & (
  | { runtime: 'local'; stateDir: string; components: { name: string }[]; started: string[]; alreadyRunning: string[]; security?: LocalSecurity }
  | { runtime: 'docker'; project: string; file: string; webUiUrl: string | undefined; statsUrl: string | undefined; services: StackService[] }
);

export function renderDeployed(d: Deployed, style: ChalkInstance): string {
  const took = `(${(d.elapsedMs / 1000).toFixed(1)}s)`;
  const lines =
    d.runtime === 'local'
      ? [
          `${style.green('✓')} ${d.env} cluster is up: ${d.components.filter((c) => c.name.startsWith('kafka-')).length} broker(s)${d.schemaRegistryUrl ? ' and a schema registry' : ''} ${took}`,
          ...resumed(d),
          keyValues([
            ['bootstrap servers', d.bootstrapServers.join(',')],
            ['schema registry', d.schemaRegistryUrl ?? 'not started'],
            ['state and logs', d.stateDir],
            ...(d.security ? securedLines(d.security) : []),
            ['stop with', d.stopWith],
          ]),
        ]
      : [
          `${style.green('✓')} ${d.env} stack is up: ${d.services.map((s) => s.service).join(', ')} ${took}`,
          keyValues([
            ['bootstrap servers', d.bootstrapServers.join(',')],
            ['schema registry', d.schemaRegistryUrl],
            ...(d.webUiUrl ? [['web UI', d.webUiUrl] as const] : []),
            ...(d.statsUrl ? [['HAProxy stats', d.statsUrl] as const] : []),
            ['compose project', `${d.project} (${d.file})`],
            ['stop with', d.stopWith],
          ]),
        ];
  if (d.health) lines.push('', renderHealthChecks(d.health, style));
  if (d.applied) {
    const outcome = (code: number | 'skipped') => (code === 'skipped' ? 'skipped (no registry)' : code === 0 ? style.green('applied') : style.red(`failed (exit ${code})`));
    lines.push(keyValues([
      ['project topics', outcome(d.applied.topics)],
      ['project schemas', outcome(d.applied.schemas)],
    ]));
  }
  if (d.failedStep) lines.push(style.red(`✗ ${d.failedStep} failed; the cluster keeps running`));
  return lines.join('\n');
}

/** How to connect to a secured deployment: which file to hand to which client, never what is in it. */
function securedLines(s: LocalSecurity): (readonly [string, string])[] {
  return [
    ['security', `${s.protocol}${s.mechanism ? ` (${s.mechanism})` : ''}, admin credentials in the files below (owner-only)`],
    ['CA certificate', s.caFile],
    ['iotmsg', `iotmsg --command-config ${s.clientProperties} ...`],
    ['Kafka tools', `kafka-topics.sh --bootstrap-server <server> --command-config ${s.clientProperties} --list`],
    ['kcat', `kcat -F ${s.librdkafkaConf} -L`],
  ];
}

/** A cluster that was partly running: what this deploy started, and what it left alone. */
function resumed(d: { started: string[]; alreadyRunning: string[] }): string[] {
  if (d.alreadyRunning.length === 0) return [];
  const started = d.started.length === 0 ? 'nothing to start' : `started ${d.started.join(', ')}`;
  return [`  ${started}; already running, left as they were: ${d.alreadyRunning.join(', ')}`];
}

interface Stopped {
  env: string;
  stopped: string[];
  removedData: boolean;
  /** The local runtime's data; a compose stack's data is in its volumes. */
  stateDir?: string;
}

export function renderStopped(r: Stopped, style: ChalkInstance): string {
  const what = r.stopped.length === 0 ? 'nothing was running' : `stopped ${r.stopped.join(', ')}`;
  const removed = r.removedData ? `; removed ${r.stateDir ?? 'the volumes'}` : '';
  return `${style.green('✓')} ${r.env}: ${what}${removed}`;
}

type Status = { env: string; deployed: boolean; bootstrapServers: string[]; schemaRegistryUrl: string | undefined } & (
  | { runtime: 'local'; stateDir: string; components: { name: string; kind: string; pid: number; port: number; running: boolean; log: string }[] }
  | { runtime: 'docker'; project: string; services: StackService[] }
);

export function renderStatus(s: Status, style: ChalkInstance): string {
  if (!s.deployed) return `${s.env}: not deployed (start it with "iotmsg deploy --env ${s.env}")`;
  if (s.runtime === 'local') {
    return table(
      ['COMPONENT', 'KIND', 'PID', 'PORT', 'STATE', 'LOG'],
      s.components.map((c) => [c.name, c.kind, c.pid, c.port, c.running ? style.green('running') : style.red('stopped'), c.log]),
    );
  }
  const healthCell = (health: string) => (health === 'healthy' ? style.green(health) : health === '' ? '-' : style.red(health));
  return table(
    ['SERVICE', 'CONTAINER', 'STATE', 'HEALTH', 'PORTS'],
    s.services.map((c) => [c.service, c.container, c.state === 'running' ? style.green(c.state) : style.red(c.state), healthCell(c.health), c.ports.join(',')]),
  );
}
