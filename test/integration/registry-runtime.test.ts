import { execa } from 'execa';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRegistryClient } from '../../src/adapters/registry/client.js';
import { readLocalClusterState, restartComponent, startLocalCluster, stopComponent, stopLocalCluster, type LocalClusterOptions } from '../../src/adapters/runtime/localCluster.js';
import { registryDataDir } from '../../src/adapters/runtime/registry.js';
import { iotmsg } from '../support/cli.js';
import { freePortBlock, testPortBase } from '../support/cluster.js';
import { registerRaw, registryCall } from '../support/schema-registry.js';
import { registryTestSecurity } from '../support/registryTls.js';

/** What the registry holds, as its own API reports it: every subject's versions with their ids and schemas, and the global level. */
async function snapshot(url: string, auth?: { caFile: string; username: string; password: string }) {
  const client = createRegistryClient({ url, username: auth?.username, password: auth?.password, caFile: auth?.caFile }, { timeoutMs: 10_000 });
  const subjects = (await client.subjects()).sort();
  const versions = await Promise.all(
    subjects.map(async (subject) => Promise.all((await client.versions(subject)).map(async (v) => {
      const { id, version, schema } = await client.version(subject, v);
      return { subject, version, id, schema };
    }))),
  );
  return { subjects, versions: versions.flat(), global: await client.compatibility() };
}

const record = (name: string, fields: { name: string; type: string; default?: unknown }[]) => ({ type: 'record', name, fields });
const stateDirs: string[] = [];

async function clusterOptions(offset: number, extra: Partial<LocalClusterOptions> = {}): Promise<LocalClusterOptions> {
  const base = await freePortBlock(3, testPortBase() + offset);
  const stateDir = await mkdtemp(join(tmpdir(), 'iotmsg-test-registry-'));
  stateDirs.push(stateDir);
  return { env: 'dev', stateDir, ports: { firstBrokerPort: base, firstControllerPort: base + 1, registryPort: base + 2 }, heapMb: 256, ...extra };
}

afterAll(async () => {
  for (const dir of stateDirs) await stopLocalCluster(dir, { removeData: true });
});

describe('the local registry keeps its data', () => {
  it('across a registry restart and a whole-cluster restart; deploy down --volumes removes it', async () => {
    const options = await clusterOptions(300);
    const stateDir = options.stateDir!;
    const url = (await startLocalCluster(options)).schemaRegistryUrl!;
    await registerRaw(url, 'keep-a-value', record('A', [{ name: 'x', type: 'int' }]));
    await registerRaw(url, 'keep-a-value', record('A', [{ name: 'x', type: 'int' }, { name: 'y', type: 'int', default: 0 }]));
    await registerRaw(url, 'keep-b-value', record('B', [{ name: 'z', type: 'string' }]));
    // A level users set survives too: the runtime sets BACKWARD only on fresh storage.
    expect((await registryCall(url, 'PUT', '/config', { compatibility: 'FULL' })).status).toBe(200);
    const before = await snapshot(url);
    expect(before.subjects).toEqual(['keep-a-value', 'keep-b-value']);
    expect(before.versions.map((v) => `${v.subject}@${v.version}`)).toEqual(['keep-a-value@1', 'keep-a-value@2', 'keep-b-value@1']);
    expect(before.global).toBe('FULL');

    await stopComponent(stateDir, 'schema-registry');
    await restartComponent(stateDir, 'schema-registry');
    expect(await snapshot(url)).toEqual(before);
    // Ids keep counting after a restart: a new schema never takes an id already handed out.
    const newId = await registerRaw(url, 'keep-c-value', record('C', [{ name: 'w', type: 'long' }]));
    expect(before.versions.map((v) => v.id)).not.toContain(newId);
    const withC = await snapshot(url);

    await stopLocalCluster(stateDir);
    expect((await readLocalClusterState(stateDir)) === undefined && existsSync(registryDataDir(stateDir))).toBe(true);
    await startLocalCluster(options);
    expect(await snapshot(url)).toEqual(withC);

    await stopLocalCluster(stateDir, { removeData: true });
    expect(existsSync(registryDataDir(stateDir))).toBe(false);
    await startLocalCluster(options);
    expect(await snapshot(url)).toEqual({ subjects: [], versions: [], global: 'BACKWARD' });
  }, 420_000);
});

describe('the registry of a secured environment', () => {
  const password = `pw-${process.pid}-${Date.now()}-secret`;

  it('answers over HTTPS with basic auth only, keeps its data across a restart, and never shows the password', async () => {
    const tlsDir = await mkdtemp(join(tmpdir(), 'iotmsg-test-registry-tls-'));
    stateDirs.push(tlsDir);
    const security = await registryTestSecurity(tlsDir, password);
    const options = await clusterOptions(400, { registrySecurity: security });
    const stateDir = options.stateDir!;
    const url = (await startLocalCluster(options)).schemaRegistryUrl!;
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/apis\/ccompat\/v7$/);
    const outputs: string[] = [];

    // curl, independent of iotmsg: no credentials 401, the admin's 200, plain http refused.
    const curl = async (args: string[]) => {
      const result = await execa('curl', ['-s', '-m', '10', '--cacert', security.caFile, '-w', '\n%{http_code}', ...args], { reject: false });
      outputs.push(result.stdout, result.stderr);
      return result;
    };
    expect((await curl([`${url}/subjects`])).stdout.split('\n').at(-1)).toBe('401');
    expect((await curl(['-u', `admin:${password}`, `${url}/subjects`])).stdout).toBe('[]\n200');
    expect((await curl(['-u', 'admin:wrong', `${url}/subjects`])).stdout.split('\n').at(-1)).toBe('401');
    expect((await curl([url.replace('https:', 'http:') + '/subjects'])).stdout.split('\n').at(-1)).toBe('000');

    const client = createRegistryClient({ url, username: 'admin', password, caFile: security.caFile }, { timeoutMs: 10_000 });
    const { id } = await client.register('secured-value', { schema: JSON.stringify(record('S', [{ name: 'x', type: 'int' }])) });

    // iotmsg itself: trusts the CA (NODE_EXTRA_CA_CERTS until the CA setting reaches the CLI), basic auth from the variables.
    const cli = async (env: Record<string, string>) => {
      const result = await iotmsg(['schema', 'list', '--schema-registry', url, '-o', 'json'], { env });
      outputs.push(result.stdout, result.stderr);
      return result;
    };
    const ok = await cli({ NODE_EXTRA_CA_CERTS: security.caFile, SCHEMA_REGISTRY_USERNAME: 'admin', SCHEMA_REGISTRY_PASSWORD: password });
    expect([ok.exitCode, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toContain('secured-value');

    const wrong = await cli({ NODE_EXTRA_CA_CERTS: security.caFile, SCHEMA_REGISTRY_USERNAME: 'admin', SCHEMA_REGISTRY_PASSWORD: `${password}-wrong` });
    expect([wrong.exitCode, wrong.stdout]).toEqual([77, '']);
    expect(wrong.stderr.split('\n')[0]).toBe(`error: the schema registry at ${url} refused the credentials of user "admin" (401)`);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(2);

    const anonymous = await cli({ NODE_EXTRA_CA_CERTS: security.caFile });
    expect([anonymous.exitCode, anonymous.stderr.split('\n')[0]]).toEqual([77, `error: the schema registry at ${url} requires credentials (401)`]);

    const untrusted = await cli({ SCHEMA_REGISTRY_USERNAME: 'admin', SCHEMA_REGISTRY_PASSWORD: password });
    expect(untrusted.exitCode).toBe(69);
    expect(untrusted.stderr.split('\n')[0]).toMatch(new RegExp(`^error: cannot reach the schema registry at ${url.replace(/[.]/g, '\\.')}: its TLS certificate is not signed by a trusted CA \\([A-Z_]+\\)$`));

    const otherCa = createRegistryClient({ url, username: 'admin', password, caFile: security.otherCaFile }, { timeoutMs: 10_000 });
    await expect(otherCa.subjects()).rejects.toMatchObject({ exitCode: 69, message: expect.stringContaining('not signed by a trusted CA') });
    const wrongHost = createRegistryClient({ url: url.replace('127.0.0.1', 'localhost'), username: 'admin', password, caFile: security.caFile }, { timeoutMs: 10_000 });
    await expect(wrongHost.subjects()).rejects.toMatchObject({ exitCode: 69, message: expect.stringContaining('its TLS certificate does not name the host connected to') });

    await stopComponent(stateDir, 'schema-registry');
    await restartComponent(stateDir, 'schema-registry');
    const after = await snapshot(url, { caFile: security.caFile, username: 'admin', password });
    expect(after.versions).toEqual([{ subject: 'secured-value', version: 1, id, schema: expect.any(String) }]);

    // The password lives only in its file and the registry's own 0600 configuration.
    const config = join(registryDataDir(stateDir), 'registry.properties');
    expect(statSync(config).mode & 0o777).toBe(0o600);
    const state = (await readLocalClusterState(stateDir))!;
    const registry = state.components.find((c) => c.kind === 'registry')!;
    outputs.push(JSON.stringify(state), readFileSync(registry.logFile, 'utf8'), readFileSync(`/proc/${registry.pid}/cmdline`, 'utf8'));
    for (const output of outputs) expect(output).not.toContain(password);
  }, 420_000);
});
