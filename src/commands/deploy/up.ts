import type { CommandContext } from '../../cli/context.js';
import type { CommandOptions, CommandRun } from '../../cli/spec.js';
import { stackEndpoints } from '../../core/cluster/compose.js';
import type { HealthReport } from '../../core/cluster/health.js';
import { CLUSTER_PROFILES, type ClusterEnv } from '../../core/cluster/profiles.js';
import type { EnvironmentSecurity, SecurityProtocol } from '../../core/config/security.js';
import { ExitCode } from '../../core/errors.js';
import { renderDeployed } from '../../render/deploy.js';
import { ClusterHealthProbe, waitTimeout } from '../cluster/healthCheck.js';
import { applyProject, type ProjectApplied } from './applyProject.js';
import { deployTarget, parseHeap, runtimeToStart, type DeployTarget, type RuntimeName } from './target.js';

/** Where the deployed cluster answers: what the health check is pointed at. */
interface Deployed {
  bootstrapServers: string[];
  schemaRegistryUrl: string | undefined;
  /** A secured local deployment: the probe connects as its admin. */
  stateDir?: string;
  security?: { protocol: SecurityProtocol; mechanism: string | undefined };
}

export const run: CommandRun = async (ctx, _args, options) => {
  const target = await deployTarget(ctx, options);
  const runtime = await runtimeToStart(options);
  const started = Date.now();
  const deployed = runtime === 'docker' ? await deployDocker(ctx, target.env, options) : await deployLocal(ctx, target, options);
  const summary = { ...deployed, stopWith: stopCommand(target, runtime) };
  // The cluster is up from here on: whatever fails after, the summary says where it runs.
  let health: HealthReport | undefined;
  let applied: ProjectApplied | undefined;
  let step = 'the health check';
  try {
    health = options.healthCheck === true || options.wait !== undefined ? await checkHealth(ctx, target.env, deployed, options) : undefined;
    step = '--apply';
    applied = options.apply === true && (!health || health.healthy) ? await applyProject(ctx, target.env, deployed) : undefined;
  } catch (error) {
    await ctx.out.result({ ...summary, elapsedMs: Date.now() - started, ...(health ? { health } : {}), failedStep: step }, renderDeployed);
    throw error;
  }
  await ctx.out.result({ ...summary, elapsedMs: Date.now() - started, ...(health ? { health } : {}), ...(applied ? { applied } : {}) }, renderDeployed);
  if (health && !health.healthy) return ExitCode.unhealthy;
  const failed = applied && [applied.topics, applied.schemas].find((code) => typeof code === 'number' && code !== ExitCode.ok);
  return typeof failed === 'number' ? failed : ExitCode.ok;
};

/** The command that stops what was deployed: with the flags `deploy down` needs to find it. */
function stopCommand({ env, stateDir, explicitStateDir }: DeployTarget, runtime: RuntimeName): string {
  const where = runtime === 'docker' ? ' --runtime docker' : explicitStateDir ? ` --state-dir ${shellQuoted(stateDir)}` : '';
  return `iotmsg deploy down --env ${env}${where}`;
}

function shellQuoted(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

async function deployLocal(ctx: CommandContext, { env, stateDir }: DeployTarget, options: CommandOptions) {
  const { startLocalCluster } = await import('../../adapters/runtime/localCluster.js');
  const progress = ctx.out.progress(`starting the ${env} cluster`);
  try {
    const state = await startLocalCluster({
      env,
      stateDir,
      clean: options.clean === true,
      heapMb: parseHeap(options.brokerHeap ?? ctx.environment.IOTMSG_BROKER_HEAP, options.brokerHeap !== undefined ? '--broker-heap' : 'IOTMSG_BROKER_HEAP'),
      ports: {
        ...definedPort('firstBrokerPort', options.brokerPort),
        ...definedPort('firstControllerPort', options.controllerPort),
        ...definedPort('registryPort', options.registryPort),
      },
      kafkaVersion: typeof options.kafkaVersion === 'string' ? options.kafkaVersion : undefined,
      withRegistry: options.registry !== false,
      security: options.plaintext === true ? { protocol: 'PLAINTEXT' } : await projectSecurity(ctx, env),
      onProgress: (message) => progress.update(message),
      signal: ctx.interruptSignal(),
      environment: ctx.environment,
    });
    if (state.cleaned) ctx.out.info(state.cleaned.length > 0 ? `cleaned up: stopped ${state.cleaned.join(', ')}` : `nothing to clean up in ${stateDir}`);
    const { cleaned: _cleaned, ...deployed } = state;
    return { ...deployed, runtime: 'local' as const };
  } finally {
    progress.done();
  }
}

async function deployDocker(ctx: CommandContext, env: ClusterEnv, options: CommandOptions) {
  const { openComposeStack } = await import('../../adapters/compose/project.js');
  const stack = await openComposeStack(env);
  const removed = options.clean === true ? await stack.removeStale() : undefined;
  if (removed) {
    const what = [...removed.containers, ...removed.networks];
    ctx.out.info(what.length > 0 ? `cleaned up ${stack.projectName}: removed ${what.join(', ')}` : `nothing of ${stack.projectName} to clean up`);
  }
  await stack.config();
  const progress = ctx.out.progress(`starting the ${env} stack (${stack.projectName})`);
  try {
    await stack.up((line) => progress.update(line), ctx.interruptSignal());
  } finally {
    progress.done();
  }
  const endpoints = stackEndpoints(CLUSTER_PROFILES[env]);
  return {
    env,
    runtime: 'docker' as const,
    project: stack.projectName,
    file: stack.file,
    bootstrapServers: endpoints.bootstrapServers,
    schemaRegistryUrl: endpoints.schemaRegistryUrl,
    webUiUrl: endpoints.webUiUrl,
    statsUrl: endpoints.statsUrl,
    services: await stack.ps(),
  };
}

/** The health of what was just deployed, whatever the connection settings of the shell say. */
async function checkHealth(ctx: CommandContext, env: ClusterEnv, deployed: Deployed, options: CommandOptions): Promise<HealthReport> {
  const { settings } = await ctx.endpointSettings();
  const admin =
    deployed.security && deployed.stateDir
      ? await (await import('../../adapters/runtime/credentials.js')).localAdminConnection(deployed.stateDir, deployed.security)
      : { tls: undefined, sasl: undefined };
  const probe = new ClusterHealthProbe(ctx, {
    settings: {
      ...settings,
      brokers: deployed.bootstrapServers,
      ...admin,
      schemaRegistry: { url: deployed.schemaRegistryUrl ?? settings.schemaRegistry.url, username: undefined, password: undefined },
    },
    expectations: { brokerCount: CLUSTER_PROFILES[env].brokerCount },
    registrySkipped: deployed.schemaRegistryUrl === undefined ? 'deployed without a registry (--no-registry)' : undefined,
    // The cluster may have been restarted with its data: deploy cannot tell which topics belong there.
    projectTopics: { status: 'not-checked', reason: `not checked by deploy ("iotmsg health --env ${env}" checks the topics of topics.yaml)` },
  });
  const waitMs = waitTimeout(options.wait);
  return waitMs === undefined ? probe.checkAfterStart() : probe.waitUntilHealthy(waitMs);
}

/** The security the project file gives the environment; the runtime falls back to the profile's. */
async function projectSecurity(ctx: CommandContext, env: ClusterEnv): Promise<EnvironmentSecurity | undefined> {
  const project = await ctx.project();
  return project && env in project.project.environments ? project.connection(env).security : undefined;
}

/** A port flag's value, already checked as 1-65535 by its option type. */
function definedPort<K extends string>(key: K, port: unknown): Partial<Record<K, number>> {
  return typeof port === 'number' ? ({ [key]: port } as Record<K, number>) : {};
}
