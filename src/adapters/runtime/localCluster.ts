import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InterruptedError, UnavailableError, UsageError } from '../../core/errors.js';
import { brokerNodes, CLUSTER_PROFILES, KAFKA_VERSION, type ClusterEnv, type ClusterPorts, type ClusterProfile } from '../../core/cluster/profiles.js';
import { profileSecurity } from '../../core/cluster/security.js';
import type { EnvironmentSecurity } from '../../core/config/security.js';
import { localAdminConnection, type AdminConnection } from './credentials.js';
import {
  BROKER_STARTED,
  brokerArgs,
  distributionVersion,
  formatStorageArgs,
  formatStorageWithScram,
  kafkaClasspath,
  newClusterId,
  nodeLayout,
  writeNodeFiles,
  type NodeLayout,
} from './kafkaNode.js';
import { cacheDir, stateRoot } from './paths.js';
import { registryLauncher, type RegistryLaunch, type RegistryServerSecurity } from './registry.js';
import { prepareSecuredStart, type SecuredStart } from './securedCluster.js';
import { failureExcerpt, isAlive, isOurProcess, logSince, isPortFree, isPortOpen, startDetached, stopProcessGroup, type ManagedProcess } from './supervisor.js';

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
  /** Serve the registry over HTTPS with basic auth (a secured environment). */
  registrySecurity?: RegistryServerSecurity;
  /** First stop whatever still runs from the state directory (a killed deploy leaves JVMs behind); data stays. */
  clean?: boolean;
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
  /** Absent in state files of earlier versions. */
  ports?: ClusterPorts;
  heapMb?: number;
  bootstrapServers: string[];
  schemaRegistryUrl: string | undefined;
  /** How the registry is secured (file paths and the user's name only), so a restart probes it the same way. */
  registrySecurity?: RegistryServerSecurity;
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

/** What a start did: the components it started and those it found running and left alone. */
export interface StartReport {
  started: string[];
  alreadyRunning: string[];
  /** With `clean`: what an earlier run left running and was stopped first. */
  cleaned: string[] | undefined;
}

/**
 * Brings up the local cluster for an environment: KRaft nodes as background JVMs and,
 * unless disabled, a schema registry. Returns once every component answers. A start that
 * fails half-way stops what it started and names the failed component and its log. An
 * environment that is partly running gets only its missing components started; the state
 * directory is locked for the whole start, so a second deploy of it is refused.
 */
export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalClusterState & StartReport> {
  const environment = options.environment ?? process.env;
  const stateDir = options.stateDir ?? defaultStateDir(options.env, environment);
  return withStateLock(stateDir, async () => {
    const cleaned = options.clean === true ? (await stopLocalCluster(stateDir)).stopped : undefined;
    const running = await readLocalClusterState(stateDir);
    const alive = running ? runningComponents(running) : [];
    if (running && alive.length > 0) {
      assertSameCluster(running, options);
      return { ...(await startMissing(running, alive, options)), cleaned };
    }
    // Nothing of it runs: strays of a killed start (if any) go before a fresh start.
    if (running) await stopLocalCluster(stateDir);
    return { ...(await startFresh(stateDir, options, environment)), cleaned };
  });
}

async function startFresh(stateDir: string, options: LocalClusterOptions, environment: Readonly<Record<string, string | undefined>>): Promise<LocalClusterState & Omit<StartReport, 'cleaned'>> {
  const profile = profileWith(options);
  const requestedVersion = options.kafkaVersion ?? environment.IOTMSG_KAFKA_VERSION ?? KAFKA_VERSION;
  const kafkaVersion = environment.KAFKA_HOME ? (distributionVersion(environment.KAFKA_HOME) ?? requestedVersion) : requestedVersion;
  const progress = options.onProgress ?? (() => {});
  const withRegistry = options.withRegistry ?? true;

  const nodes = brokerNodes(profile);
  const security = options.security ?? profileSecurity(options.env);
  const secured = await prepareSecuredStart(stateDir, security, nodes, environment);
  const registrySecurity = options.registrySecurity ?? secured?.registry;
  const registry: RegistryLaunch | undefined = withRegistry ? registryLauncher(profile.ports.registryPort, HOST, registrySecurity) : undefined;
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
  const layouts = nodes.map((node) => nodeLayout(stateDir, node, kafkaVersion));
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
    ports: profile.ports,
    heapMb: profile.heapMb,
    bootstrapServers: nodes.map((n) => `${HOST}:${n.port}`),
    schemaRegistryUrl: registry?.url,
    ...(registry && registrySecurity ? { registrySecurity } : {}),
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
      await registry.prepare(stateDir);
      const args = registry.args(registryClasspath, stateDir);
      started.push({ ...startDetached({ name: 'schema-registry', command: 'java', args, logFile }), kind: 'registry', port: registry.port, command: 'java', args });
    }
    await writeState(state);
    await waitUntilUp(state, started, options, secured?.admin);
    if (secured) {
      const files = await secured.writeClientFiles({ bootstrapServers: state.bootstrapServers, schemaRegistryUrl: state.schemaRegistryUrl });
      state.security = { protocol: security.protocol, mechanism: security.sasl?.mechanism, clientDir: files.dir, caFile: files.caFile, clientProperties: files.clientProperties, librdkafkaConf: files.librdkafkaConf };
      await writeState(state);
    }
    return { ...state, started: started.map((c) => c.name), alreadyRunning: [] };
  } catch (error) {
    await stopLocalCluster(stateDir);
    throw error;
  }
}

/**
 * Starts the components of a partly running cluster that are not running, with the
 * commands they were first started with, and leaves the running ones alone. If one of
 * them fails, only those started here are stopped again.
 */
async function startMissing(state: LocalClusterState, alive: ComponentState[], options: LocalClusterOptions): Promise<LocalClusterState & Omit<StartReport, 'cleaned'>> {
  const missing = state.components.filter((c) => !alive.includes(c));
  if (missing.length === 0) return { ...state, started: [], alreadyRunning: alive.map((c) => c.name) };
  await assertPortsFree(missing.map((c) => c.port), state.env);
  const restarted = missing.map((old): ComponentState => ({ ...old, ...startDetached({ name: old.name, command: old.command, args: old.args, logFile: old.logFile }) }));
  state.components = state.components.map((c) => restarted.find((r) => r.name === c.name) ?? c);
  await writeState(state);
  try {
    await waitUntilUp(state, restarted, options, state.security ? await localAdminConnection(state.stateDir, state.security) : undefined);
  } catch (error) {
    await Promise.all(restarted.map((c) => stopProcessGroup(c.pid)));
    throw error;
  }
  return { ...state, started: restarted.map((c) => c.name), alreadyRunning: alive.map((c) => c.name) };
}

/** Waits until `started` answer and, with several brokers, until every broker sees all of them. */
async function waitUntilUp(state: LocalClusterState, started: ComponentState[], options: LocalClusterOptions, admin?: AdminConnection): Promise<void> {
  const progress = options.onProgress ?? (() => {});
  const registryComponent = state.components.find((c) => c.kind === 'registry');
  const registry = registryComponent ? registryLauncher(registryComponent.port, HOST, state.registrySecurity) : undefined;
  progress(`waiting for ${started.map((c) => c.name).join(', ')}`);
  const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000);
  await Promise.all(started.map((c) => waitUntilReady(c, state.stateDir, deadline, registry, options.signal, state.heapMb)));
  const brokers = state.components.filter((c) => c.kind === 'broker');
  if (brokers.length > 1) {
    progress(`waiting until every broker sees all ${brokers.length}`);
    await waitUntilBrokersSeeEachOther(state.bootstrapServers, brokers, deadline, options.signal, state.heapMb, admin);
  }
}

/** A running cluster is only resumed as what it is: the same environment, on the same ports. */
function assertSameCluster(running: LocalClusterState, options: LocalClusterOptions): void {
  const stop = `iotmsg deploy down --state-dir ${running.stateDir}`;
  if (running.env !== options.env) {
    throw new UsageError(`${running.stateDir} holds the ${running.env} cluster, which is running; it cannot be deployed as ${options.env}`, { hint: `use another --state-dir, or stop it first: ${stop}` });
  }
  const differ = portDifferences(runningPorts(running), options.ports ?? {});
  if (differ.length > 0) {
    throw new UsageError(`the ${running.env} cluster in ${running.stateDir} is running on other ports: ${differ.join(', ')}`, {
      hint: `deploy it without these port flags to keep its ports, or stop it first to move it: ${stop}`,
    });
  }
}

/** The ports a flag sets; the inter-broker port of a secured cluster follows from them. */
const PORT_FLAGS: Partial<Record<keyof ClusterPorts, string>> = { firstBrokerPort: '--broker-port', firstControllerPort: '--controller-port', registryPort: '--registry-port' };

function portDifferences(running: Partial<ClusterPorts>, asked: Partial<ClusterPorts>): string[] {
  return (Object.keys(PORT_FLAGS) as (keyof ClusterPorts)[])
    .filter((key) => asked[key] !== undefined && running[key] !== undefined && asked[key] !== running[key])
    .map((key) => `${PORT_FLAGS[key]} ${asked[key]} asked, ${running[key]} running`);
}

/** The ports of a running cluster; state files written before ports were recorded name them through the components. */
function runningPorts(state: LocalClusterState): Partial<ClusterPorts> {
  if (state.ports) return state.ports;
  return { firstBrokerPort: state.components.find((c) => c.name === 'kafka-1')?.port, registryPort: state.components.find((c) => c.kind === 'registry')?.port };
}

const LOCK_FILE = 'deploy.lock';

/**
 * Runs `work` holding `<stateDir>/deploy.lock` (the pid of its holder). A lock whose
 * holder no longer runs was left by a deploy that was killed, and is taken over.
 */
export async function withStateLock<T>(stateDir: string, work: () => Promise<T>): Promise<T> {
  await mkdir(stateDir, { recursive: true });
  const file = join(stateDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if ((Number.isInteger(holder) && holder > 0 && isAlive(holder)) || attempt >= 2) {
        throw new UnavailableError(`another deploy (pid ${holder}) is running on ${stateDir}`, { hint: `wait for it to finish; if no deploy runs, remove ${file}` });
      }
      await rm(file, { force: true });
    }
  }
  try {
    return await work();
  } finally {
    await rm(file, { force: true });
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

async function waitUntilReady(component: ComponentState, stateDir: string, deadline: number, registry: RegistryLaunch | undefined, signal: AbortSignal | undefined, heapMb: number | undefined): Promise<void> {
  for (;;) {
    if (signal?.aborted) throw new InterruptedError(`interrupted while waiting for ${component.name}; stopped what had started`);
    assertStillRunning(component, heapMb);
    const ready = component.kind === 'registry' ? await registry!.isReady(stateDir) : await brokerReady(component);
    if (ready) return;
    if (Date.now() > deadline) {
      throw new UnavailableError(`${component.name} did not become ready in time`, { hint: `see its log: ${component.logFile}` });
    }
    await sleep(250);
  }
}

/** A component that died while starting is named with the cause its log gives. */
function assertStillRunning(component: ComponentState, heapMb: number | undefined): void {
  if (isOurProcess(component.pid, component.name)) return;
  const cause = failureExcerpt(component);
  const outOfMemory = component.kind === 'broker' && /OutOfMemoryError/.test(cause);
  throw new UnavailableError(`${component.name} exited while starting: ${cause || 'no output'}`, {
    hint: outOfMemory
      ? `its heap${heapMb ? ` (${heapMb} MB)` : ''} is too small: give it more with --broker-heap (e.g. 2g) or IOTMSG_BROKER_HEAP; full log: ${component.logFile}`
      : `full log: ${component.logFile}`,
  });
}

/**
 * A broker logs "started" once the controller unfences it, but the other brokers learn of
 * it a moment later; until then clients that ask them see a smaller cluster.
 */
async function waitUntilBrokersSeeEachOther(
  addresses: string[],
  brokers: ComponentState[],
  deadline: number,
  signal: AbortSignal | undefined,
  heapMb: number | undefined,
  admin: AdminConnection = { tls: undefined, sasl: undefined },
): Promise<void> {
  const nodeIds = brokers.map((b) => Number(b.name.replace('kafka-', '')));
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
    for (const broker of brokers) assertStillRunning(broker, heapMb);
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

/** Stops one component and leaves the rest running (for failure drills); `kill` ends it at once, as a crash would. */
export async function stopComponent(stateDir: string, name: string, options: { kill?: boolean } = {}): Promise<void> {
  const component = (await readLocalClusterState(stateDir))?.components.find((c) => c.name === name);
  if (!component) throw new UnavailableError(`no component named ${name} in ${stateDir}`);
  await stopProcessGroup(component.pid, options.kill === true ? 0 : undefined);
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
  const registry = started.kind === 'registry' ? registryLauncher(started.port, HOST, state.registrySecurity) : undefined;
  await waitUntilReady(started, stateDir, Date.now() + readyTimeoutMs, registry, undefined, state.heapMb);
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
