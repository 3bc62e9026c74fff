import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InterruptedError, UnavailableError } from '../../core/errors.js';
import { brokerNodes, CLUSTER_PROFILES, KAFKA_VERSION, type ClusterEnv, type ClusterPorts, type ClusterProfile } from '../../core/cluster/profiles.js';
import { profileSecurity } from '../../core/cluster/security.js';
import type { EnvironmentSecurity } from '../../core/config/security.js';
import type { AdminConnection } from './credentials.js';
import {
  BROKER_STARTED,
  brokerArgs,
  formatStorageArgs,
  formatStorageWithScram,
  kafkaClasspath,
  newClusterId,
  nodeLayout,
  writeNodeFiles,
  type NodeLayout,
} from './kafkaNode.js';
import { cacheDir, stateRoot } from './paths.js';
import { registryLauncher, type RegistryLaunch } from './registry.js';
import { prepareSecuredStart, type SecuredStart } from './securedCluster.js';
import { failureExcerpt, isOurProcess, logSince, isPortFree, isPortOpen, startDetached, stopProcessGroup, type ManagedProcess } from './supervisor.js';

const HOST = '127.0.0.1';
const STATE_FILE = 'runtime.json';
const CLUSTER_FILE = 'cluster.json';

export interface LocalClusterOptions {
  env: ClusterEnv;
  stateDir?: string;
  ports?: Partial<ClusterPorts>;
  kafkaVersion?: string;
  heapMb?: number;
  withRegistry?: boolean;
  readyTimeoutMs?: number;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
  environment?: Readonly<Record<string, string | undefined>>;
  /** The client listener's security; the profile's (prod SASL_SSL + SCRAM-SHA-512, dev PLAINTEXT) when absent. */
  security?: EnvironmentSecurity;
}

export type ComponentKind = 'broker' | 'registry';

export interface ComponentState extends ManagedProcess {
  kind: ComponentKind;
  port: number;
  /** How to start the component again (the broker-loss drill restarts one node). */
  command: string;
  args: string[];
}

export interface LocalClusterState {
  env: ClusterEnv;
  stateDir: string;
  kafkaVersion: string;
  clusterId: string;
  bootstrapServers: string[];
  schemaRegistryUrl: string | undefined;
  components: ComponentState[];
  startedAt: string;
  /** A secured deployment: its client protocol and the files its users connect with (no secrets here). */
  security?: { protocol: EnvironmentSecurity['protocol']; mechanism: string | undefined; clientDir: string; caFile: string; clientProperties: string; librdkafkaConf: string };
}

export function defaultStateDir(env: ClusterEnv, environment = process.env): string {
  return join(stateRoot(environment), env);
}

function profileWith(options: LocalClusterOptions): ClusterProfile {
  const base = CLUSTER_PROFILES[options.env];
  return {
    ...base,
    heapMb: options.heapMb ?? base.heapMb,
    ports: { ...base.ports, ...options.ports },
  };
}

/**
 * Brings up the local cluster for an environment: KRaft nodes as background JVMs and,
 * unless disabled, a schema registry. Returns once every component answers. A start that
 * fails half-way stops what it started and names the failed component and its log.
 */
export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalClusterState> {
  const environment = options.environment ?? process.env;
  const profile = profileWith(options);
  const stateDir = options.stateDir ?? defaultStateDir(options.env, environment);
  const kafkaVersion = options.kafkaVersion ?? environment.IOTMSG_KAFKA_VERSION ?? KAFKA_VERSION;
  const progress = options.onProgress ?? (() => {});
  const withRegistry = options.withRegistry ?? true;

  const running = await readLocalClusterState(stateDir);
  if (running && runningComponents(running).length === running.components.length) return running;
  if (running) await stopLocalCluster(stateDir);

  const nodes = brokerNodes(profile);
  const registry: RegistryLaunch | undefined = withRegistry ? registryLauncher(profile.ports.registryPort, HOST) : undefined;
  const security = options.security ?? profileSecurity(options.env);
  const secured = await prepareSecuredStart(stateDir, security, nodes, environment);
  const ports = [...nodes.flatMap((n) => [n.port, n.controllerPort, ...(secured ? [n.internalPort] : [])]), ...(registry ? [registry.port] : [])];
  await assertPortsFree(ports, options.env);

  progress(`resolving Kafka ${kafkaVersion}${registry ? ` and ${registry.description}` : ''}`);
  const cache = cacheDir(environment);
  const [classpath, registryClasspath] = await Promise.all([
    kafkaClasspath(kafkaVersion, cache, environment.KAFKA_HOME),
    registry?.resolve(cache),
  ]);

  await mkdir(join(stateDir, 'logs'), { recursive: true });
  const clusterId = await clusterIdFor(stateDir);
  const layouts = nodes.map((node) => nodeLayout(stateDir, node));
  await Promise.all(layouts.map((layout) => writeNodeFiles(profile, nodes, layout, HOST, secured?.node)));

  // Formatting costs a JVM start per node; data that is already formatted is kept as it is.
  const unformatted = layouts.filter((layout) => !existsSync(join(layout.dataDir, 'meta.properties')));
  if (unformatted.length > 0) progress(`formatting KRaft storage for ${unformatted.length} node(s)`);
  await Promise.all(unformatted.map((layout) => formatStorage(classpath, layout, clusterId, stateDir, secured)));

  const started: ComponentState[] = [];
  const state: LocalClusterState = {
    env: options.env,
    stateDir,
    kafkaVersion,
    clusterId,
    bootstrapServers: nodes.map((n) => `${HOST}:${n.port}`),
    schemaRegistryUrl: registry?.url,
    components: started,
    startedAt: new Date().toISOString(),
  };
  try {
    for (const layout of layouts) {
      const args = brokerArgs(classpath, layout, profile.heapMb, stateDir);
      started.push({ ...startDetached({ name: layout.name, command: 'java', args, logFile: layout.logFile }), kind: 'broker', port: layout.node.port, command: 'java', args });
    }
    if (registry && registryClasspath !== undefined) {
      const logFile = join(stateDir, 'logs', 'schema-registry.log');
      const args = registry.args(registryClasspath, stateDir);
      started.push({ ...startDetached({ name: 'schema-registry', command: 'java', args, logFile }), kind: 'registry', port: registry.port, command: 'java', args });
    }
    await writeState(state);
    progress(`waiting for ${started.map((c) => c.name).join(', ')}`);
    const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000);
    await Promise.all(started.map((c) => waitUntilReady(c, deadline, registry, options.signal)));
    if (nodes.length > 1) {
      progress(`waiting until every broker sees all ${nodes.length}`);
      await waitUntilBrokersSeeEachOther(state.bootstrapServers, nodes.map((n) => n.nodeId), deadline, options.signal, secured?.admin);
    }
    if (secured) {
      const files = await secured.writeClientFiles({ bootstrapServers: state.bootstrapServers, schemaRegistryUrl: state.schemaRegistryUrl });
      state.security = { protocol: security.protocol, mechanism: security.sasl?.mechanism, clientDir: files.dir, caFile: files.caFile, clientProperties: files.clientProperties, librdkafkaConf: files.librdkafkaConf };
      await writeState(state);
    }
    return state;
  } catch (error) {
    await stopLocalCluster(stateDir);
    throw error;
  }
}

async function assertPortsFree(ports: number[], env: ClusterEnv): Promise<void> {
  for (const port of ports) {
    if (!(await isPortFree(port, HOST))) {
      throw new UnavailableError(`port ${port} on ${HOST} is already in use, so the ${env} cluster cannot start`, {
        hint: `stop whatever listens there (ss -ltnp 'sport = :${port}'), or choose other ports with --broker-port / --registry-port`,
      });
    }
  }
}

async function clusterIdFor(stateDir: string): Promise<string> {
  const file = join(stateDir, CLUSTER_FILE);
  if (existsSync(file)) {
    const saved = JSON.parse(await readFile(file, 'utf8')) as { clusterId: string };
    return saved.clusterId;
  }
  const clusterId = newClusterId();
  await writeFile(file, `${JSON.stringify({ clusterId }, null, 2)}\n`);
  return clusterId;
}

async function formatStorage(classpath: string, layout: NodeLayout, clusterId: string, stateDir: string, secured: SecuredStart | undefined): Promise<void> {
  const { execa } = await import('execa');
  const { writeOwnerOnly } = await import('./credentials.js');
  const argFile = secured && secured.scramArgs.length > 0 ? secured.formatArgFile(layout.name) : undefined;
  try {
    if (argFile) {
      const { args, argFileText } = formatStorageWithScram(classpath, layout, clusterId, stateDir, secured!.scramArgs, argFile);
      await writeOwnerOnly(argFile, argFileText);
      await execa('java', args, { all: true });
    } else {
      await execa('java', formatStorageArgs(classpath, layout, clusterId, stateDir), { all: true });
    }
  } catch (error) {
    const output = String((error as { all?: unknown }).all ?? (error as Error).message);
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new UnavailableError('"java" is not on the PATH', { hint: 'install Java 17 or newer (apt-get install openjdk-17-jre-headless)', cause: error });
    }
    const reason = output.split('\n').find((l) => l.trim() !== '' && !/^\s+at /.test(l)) ?? 'no output';
    throw new UnavailableError(`${layout.name}: formatting KRaft storage in ${layout.dataDir} failed: ${reason.trim()}`, {
      hint: `remove the data with "iotmsg deploy down --volumes" if it belongs to another cluster`,
      cause: error,
    });
  } finally {
    if (argFile) await rm(argFile, { force: true });
  }
}

async function waitUntilReady(component: ComponentState, deadline: number, registry: RegistryLaunch | undefined, signal: AbortSignal | undefined): Promise<void> {
  for (;;) {
    if (signal?.aborted) throw new InterruptedError(`interrupted while waiting for ${component.name}; stopped what had started`);
    if (!isOurProcess(component.pid, component.name)) {
      throw new UnavailableError(`${component.name} exited while starting: ${failureExcerpt(component) || 'no output'}`, {
        hint: `full log: ${component.logFile}`,
      });
    }
    const ready = component.kind === 'registry' ? await registry!.isReady() : await brokerReady(component);
    if (ready) return;
    if (Date.now() > deadline) {
      throw new UnavailableError(`${component.name} did not become ready in time`, { hint: `see its log: ${component.logFile}` });
    }
    await sleep(250);
  }
}

/**
 * A broker logs "started" once the controller unfences it, but the other brokers learn of
 * it a moment later; until then clients that ask them see a smaller cluster.
 */
async function waitUntilBrokersSeeEachOther(
  addresses: string[],
  nodeIds: number[],
  deadline: number,
  signal: AbortSignal | undefined,
  admin: AdminConnection = { tls: undefined, sasl: undefined },
): Promise<void> {
  const { KafkaSession } = await import('../kafka/session.js');
  const seen = async (address: string): Promise<boolean> => {
    const settings = { env: undefined, brokers: [address], clientId: 'iotmsg-runtime', timeoutMs: 5_000, ...admin, schemaRegistry: { url: '', username: undefined, password: undefined } };
    const session = await KafkaSession.open(settings).catch(() => undefined);
    if (!session) return false;
    try {
      const { brokers } = await session.run('describe the cluster', () => session.admin.describeCluster());
      return nodeIds.every((id) => brokers.some((b) => b.nodeId === id));
    } catch {
      return false;
    } finally {
      await session.close();
    }
  };
  for (;;) {
    if (signal?.aborted) throw new InterruptedError('interrupted while waiting for the brokers to see each other; stopped what had started');
    if ((await Promise.all(addresses.map(seen))).every(Boolean)) return;
    if (Date.now() > deadline) {
      throw new UnavailableError(`the brokers did not all see each other in time (${addresses.join(', ')})`, { hint: 'see the broker logs with "iotmsg deploy logs"' });
    }
    await sleep(250);
  }
}

async function brokerReady(component: ComponentState): Promise<boolean> {
  if (!(await isPortOpen(component.port, HOST))) return false;
  return BROKER_STARTED.test(logSince(component));
}

/** Whether `stateDir` holds a local deployment, running or stopped (its logs remain after `down`). */
export function hasLocalDeployment(stateDir: string): boolean {
  return existsSync(join(stateDir, STATE_FILE)) || existsSync(join(stateDir, 'logs'));
}

export async function readLocalClusterState(stateDir: string): Promise<LocalClusterState | undefined> {
  const file = join(stateDir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as LocalClusterState;
}

async function writeState(state: LocalClusterState): Promise<void> {
  await writeFile(join(state.stateDir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

export function runningComponents(state: LocalClusterState): ComponentState[] {
  return state.components.filter((c) => isOurProcess(c.pid, c.name));
}

export interface StopReport {
  stopped: string[];
  removedData: boolean;
}

/**
 * Stops every process of the cluster in `stateDir`: those in its state file and any
 * stray JVM that carries its state-dir marker (left by a start that was killed).
 */
export async function stopLocalCluster(stateDir: string, options: { removeData?: boolean } = {}): Promise<StopReport> {
  const state = await readLocalClusterState(stateDir);
  const known = (state?.components ?? []).filter((c) => isOurProcess(c.pid, c.name));
  const strays = findProcessesWithMarker(`-Diotmsg.state=${stateDir}`).filter((pid) => !known.some((c) => c.pid === pid));
  await Promise.all([...known.map((c) => stopProcessGroup(c.pid)), ...strays.map((pid) => stopProcessGroup(pid))]);
  await rm(join(stateDir, STATE_FILE), { force: true });
  if (options.removeData) await rm(stateDir, { recursive: true, force: true });
  return { stopped: [...known.map((c) => c.name), ...strays.map((pid) => `pid ${pid}`)], removedData: options.removeData ?? false };
}

/** Stops one component and leaves the rest running (for failure drills). */
export async function stopComponent(stateDir: string, name: string): Promise<void> {
  const component = (await readLocalClusterState(stateDir))?.components.find((c) => c.name === name);
  if (!component) throw new UnavailableError(`no component named ${name} in ${stateDir}`);
  await stopProcessGroup(component.pid);
}

/** Starts one stopped component again with the command it was first started with. */
export async function restartComponent(stateDir: string, name: string, readyTimeoutMs = 120_000): Promise<void> {
  const state = await readLocalClusterState(stateDir);
  const index = state?.components.findIndex((c) => c.name === name) ?? -1;
  if (!state || index < 0) throw new UnavailableError(`no component named ${name} in ${stateDir}`);
  const old = state.components[index]!;
  if (isOurProcess(old.pid, old.name)) return;
  const started: ComponentState = { ...old, ...startDetached({ name, command: old.command, args: old.args, logFile: old.logFile }) };
  state.components[index] = started;
  await writeState(state);
  const registry = started.kind === 'registry' ? registryLauncher(started.port, HOST) : undefined;
  await waitUntilReady(started, Date.now() + readyTimeoutMs, registry, undefined);
}

function findProcessesWithMarker(marker: string): number[] {
  if (!existsSync('/proc')) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(marker)) pids.push(pid);
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
