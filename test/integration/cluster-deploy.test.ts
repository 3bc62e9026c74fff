import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { freePortBlock, testPortBase } from '../support/cluster.js';

const PORT_BASE = testPortBase();
const stateDirs: string[] = [];

afterEach(async () => {
  for (const dir of stateDirs.splice(0)) {
    await iotmsg(['deploy', 'down', '--state-dir', dir, '--volumes']);
    await rm(dir, { recursive: true, force: true });
  }
});

describe('iotmsg deploy --runtime local --clean', () => {
  it('stops what an earlier run left running from the state directory, then deploys', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'iotmsg-clean-'));
    stateDirs.push(stateDir);
    // A process that carries the state directory's marker, as a JVM of a killed deploy would.
    const stray = execa('node', ['-e', 'setInterval(() => {}, 1000)', '--', `-Diotmsg.state=${stateDir}`], { reject: false });
    const base = await freePortBlock(2, PORT_BASE + 400);
    const up = await iotmsg(['deploy', '--env', 'dev', '--runtime', 'local', '--clean', '--no-registry', '--state-dir', stateDir, '--broker-port', String(base), '--controller-port', String(base + 1), '--health-check', '-o', 'json']);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stderr).toBe(`cleaned up: stopped pid ${stray.pid}`);
    expect((await stray).isTerminated).toBe(true);
    const deployed = JSON.parse(up.stdout) as { runtime: string; health: { healthy: boolean; checks: { id: string; status: string; summary: string }[] } };
    expect(deployed.runtime).toBe('local');
    expect(deployed.health.healthy).toBe(true);
    expect(deployed.health.checks.find((c) => c.id === 'registry')).toMatchObject({ status: 'skipped', summary: 'deployed without a registry (--no-registry)' });
  });
});
