import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCluster, stopLocalCluster, type LocalClusterState } from '../../src/adapters/runtime/localCluster.js';
import { isPortFree } from '../../src/adapters/runtime/supervisor.js';
import type { ClusterEnv } from '../../src/core/cluster/profiles.js';
import type { EnvironmentSecurity } from '../../src/core/config/security.js';

export interface TestCluster {
  env: ClusterEnv;
  stateDir: string;
  bootstrapServers: string[];
  schemaRegistryUrl: string | undefined;
  /** A secured cluster's client files (`<state-dir>/client/`). */
  security: LocalClusterState['security'];
}

export interface TestClusterOptions {
  /** The client listener's security; PLAINTEXT unless given, whatever the profile's default. */
  security?: EnvironmentSecurity;
  /** Where to look for free ports instead of the env's default block. */
  portsFrom?: number;
  environment?: Readonly<Record<string, string | undefined>>;
}

/**
 * Where test clusters listen: IOTMSG_TEST_PORT_BASE keeps concurrent runs on one machine
 * apart. Kept below 32768, where Linux hands out ephemeral client ports (32768-60999): a
 * port there can be taken by an outgoing connection between the check and the listen.
 */
export function testPortBase(): number {
  return Number(process.env.IOTMSG_TEST_PORT_BASE ?? 24000);
}

/** A block of `count` consecutive free ports above `from`, so tests never collide with a user's dev cluster. */
export async function freePortBlock(count: number, from: number): Promise<number> {
  for (let base = from; base < from + 2000; base += count) {
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if ((await Promise.all(ports.map((p) => isPortFree(p)))).every(Boolean)) return base;
  }
  throw new Error(`no ${count} free ports from ${from}`);
}

/** Starts a real cluster through the project's own local runtime, in a fresh state dir. */
export async function startTestCluster(env: ClusterEnv, withRegistry: boolean, options: TestClusterOptions = {}): Promise<TestCluster> {
  const brokers = env === 'prod' ? 3 : 1;
  const security = options.security ?? { protocol: 'PLAINTEXT' };
  // A secured node has a third listener, the inter-broker one.
  const perNode = security.protocol === 'PLAINTEXT' ? 2 : 3;
  const from = options.portsFrom ?? testPortBase() + (env === 'prod' ? 100 : 0);
  const base = await freePortBlock(perNode * brokers + 1, from);
  const stateDir = await mkdtemp(join(tmpdir(), `iotmsg-test-${env}-`));
  const state: LocalClusterState = await startLocalCluster({
    env,
    stateDir,
    ports: { firstBrokerPort: base, firstControllerPort: base + brokers, firstInternalPort: base + 2 * brokers, registryPort: base + perNode * brokers },
    withRegistry,
    heapMb: 512,
    security,
    environment: options.environment,
  });
  return { env, stateDir, bootstrapServers: state.bootstrapServers, schemaRegistryUrl: state.schemaRegistryUrl, security: state.security };
}

export async function stopTestCluster(cluster: TestCluster): Promise<void> {
  if (process.env.IOTMSG_KEEP_STACK === '1') return;
  await stopLocalCluster(cluster.stateDir, { removeData: true });
}
