import type { ChalkInstance } from 'chalk';
import type { CheckStatus, HealthReport } from '../core/cluster/health.js';
import { table } from './table.js';

export interface HealthOutput extends HealthReport {
  bootstrapServers: string[];
  elapsedMs: number;
}

function statusCell(status: CheckStatus, style: ChalkInstance): string {
  if (status === 'ok') return style.green('ok');
  if (status === 'failed') return style.red('failed');
  return style.dim('skipped');
}

/** One row per check, then the verdict. */
export function renderHealthChecks(report: HealthReport, style: ChalkInstance): string {
  const failed = report.checks.filter((c) => c.status === 'failed').length;
  const verdict = report.healthy ? `${style.green('✓')} healthy` : `${style.red('✗')} unhealthy: ${failed} of ${report.checks.length} checks failed`;
  return `${table(
    ['STATUS', 'CHECK', 'DETAIL'],
    report.checks.map((c) => [statusCell(c.status, style), c.title, c.summary]),
  )}\n${verdict}`;
}

export function renderHealth(output: HealthOutput, style: ChalkInstance): string {
  return `${renderHealthChecks(output, style)} (${output.bootstrapServers.join(',')}, ${(output.elapsedMs / 1000).toFixed(1)}s)`;
}
