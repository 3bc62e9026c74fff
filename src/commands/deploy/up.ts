import type { CommandRun } from '../../cli/spec.js';
import { renderDeployed } from '../../render/deploy.js';
import { deployTarget, parsePort } from './target.js';

export const run: CommandRun = async (ctx, _args, options) => {
  const { env, stateDir } = await deployTarget(ctx, options);
  const { startLocalCluster } = await import('../../adapters/runtime/localCluster.js');
  const started = Date.now();
  const progress = ctx.out.progress(`starting the ${env} cluster`);
  try {
    const state = await startLocalCluster({
      env,
      stateDir,
      ports: {
        ...definedPort('firstBrokerPort', parsePort(options.brokerPort, '--broker-port')),
        ...definedPort('firstControllerPort', parsePort(options.controllerPort, '--controller-port')),
        ...definedPort('registryPort', parsePort(options.registryPort, '--registry-port')),
      },
      kafkaVersion: typeof options.kafkaVersion === 'string' ? options.kafkaVersion : undefined,
      withRegistry: options.registry !== false,
      onProgress: (message) => progress.update(message),
      signal: ctx.interruptSignal(),
      environment: ctx.environment,
    });
    progress.done();
    await ctx.out.result({ ...state, elapsedMs: Date.now() - started }, renderDeployed);
  } catch (error) {
    progress.done();
    throw error;
  }
};

function definedPort<K extends string>(key: K, port: number | undefined): Partial<Record<K, number>> {
  return port === undefined ? {} : ({ [key]: port } as Record<K, number>);
}
