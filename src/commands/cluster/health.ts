import type { CommandOptions, CommandRun } from '../../cli/spec.js';
import { CLUSTER_PROFILES, isClusterEnv } from '../../core/cluster/profiles.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { renderHealth } from '../../render/health.js';
import { ClusterHealthProbe, projectTopicsFor, waitTimeout } from './healthCheck.js';

export const run: CommandRun = async (ctx, _args, options) => {
  const { settings } = await ctx.settings();
  const probe = new ClusterHealthProbe(ctx, {
    settings,
    expectations: { brokerCount: expectedBrokers(options, settings.env) },
    registrySkipped: options.registry === false ? 'not asked for (--no-registry)' : undefined,
    projectTopics: await projectTopicsFor(ctx, settings.env),
  });
  const waitMs = waitTimeout(options.wait);
  const started = Date.now();
  const report = waitMs === undefined ? await probe.check() : await probe.waitUntilHealthy(waitMs);
  await ctx.out.result({ ...report, bootstrapServers: settings.brokers, elapsedMs: Date.now() - started }, renderHealth);
  return report.healthy ? ExitCode.ok : ExitCode.unhealthy;
};

function expectedBrokers(options: CommandOptions, env: string | undefined): number | undefined {
  if (options.expectBrokers !== undefined) {
    const count = Number(options.expectBrokers);
    if (!Number.isInteger(count) || count < 1) throw new UsageError(`--expect-brokers "${String(options.expectBrokers)}" is not a broker count`, { hint: 'use a whole number, e.g. 3' });
    return count;
  }
  return env !== undefined && isClusterEnv(env) ? CLUSTER_PROFILES[env].brokerCount : undefined;
}
