import { execa } from 'execa';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { iotmsg } from '../support/cli.js';
import { installFakeDocker, pathWithoutDocker } from '../support/composeFakeDocker.js';

const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));
const DEV_FILE = join(DEPLOY, 'docker-compose.dev.yml');
const PROD_FILE = join(DEPLOY, 'docker-compose.prod.yml');

/** Debian's docker-compose (Compose v1, Python) validates a file without an engine. */
function composeConfig(file: string, project: string) {
  return execa('docker-compose', ['-p', project, '-f', file, 'config'], { reject: false, cwd: DEPLOY });
}

describe('the compose files, checked by a real Compose implementation', () => {
  it.each([
    ['dev', DEV_FILE, ['kafka-1', 'schema-registry', 'kafka-ui']],
    ['prod', PROD_FILE, ['kafka-1', 'kafka-2', 'kafka-3', 'schema-registry', 'haproxy']],
  ])('accepts docker-compose.%s.yml and resolves its services', async (env, file, services) => {
    const result = await composeConfig(file, `iotmsg-${env}`);
    expect(result.stderr).toBe('');
    expect(result.exitCode, result.stderr).toBe(0);
    for (const service of services) expect(result.stdout).toContain(`\n  ${service}:\n`);
    // Interpolation with defaults: the advertised host falls back to localhost.
    expect(result.stdout).not.toContain('${');
  });

  it('rejects a stack whose registry waits for a broker that does not exist', async () => {
    const broken = join(await mkdtemp(join(tmpdir(), 'iotmsg-compose-')), 'broken.yml');
    await writeFile(broken, (await readFile(DEV_FILE, 'utf8')).replace('kafka-1:\n        condition: service_healthy', 'kafka-9:\n        condition: service_healthy'));
    const result = await composeConfig(broken, 'iotmsg-broken');
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('kafka-9');
  });

  it('has an HAProxy config that HAProxy itself accepts', async () => {
    const result = await execa('haproxy', ['-c', '-f', join(DEPLOY, 'haproxy', 'haproxy.cfg')], { reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toContain('Configuration file is valid');
    // Only the broker names may be unknown here: they resolve inside the compose network.
    const warnings = (result.stdout + result.stderr).split('\n').filter((l) => l.includes('[WARNING]'));
    expect(warnings.filter((w) => !/could not resolve address 'kafka-\d'/.test(w))).toEqual([]);
  });
});

const compose = (project: string, file: string, ...args: string[]) => ['compose', '-p', project, '-f', file, ...args];
const DEV = (...args: string[]) => compose('iotmsg-dev', DEV_FILE, ...args);

describe('iotmsg deploy --runtime docker issues these docker commands', () => {
  it('--clean removes only its own project, validates, starts with --wait and reports the services', async () => {
    const docker = await installFakeDocker();
    const result = await iotmsg(['deploy', '--env', 'dev', '--runtime', 'docker', '--clean', '-o', 'json'], { env: docker.env });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await docker.calls()).toEqual([
      ['info', '--format', '{{.ServerVersion}}'],
      ['compose', 'version', '--short'],
      ['ps', '--all', '--filter', 'label=com.docker.compose.project=iotmsg-dev', '--format', '{{.ID}} {{.Names}}'],
      ['rm', '--force', 'c0ffee01', 'c0ffee02'],
      ['network', 'ls', '--filter', 'label=com.docker.compose.project=iotmsg-dev', '--format', '{{.ID}} {{.Name}}'],
      ['network', 'rm', 'ne7001'],
      DEV('config', '--quiet'),
      DEV('up', '--detach', '--wait', '--wait-timeout', '300', '--remove-orphans'),
      DEV('ps', '--all', '--format', 'json'),
    ]);
    expect(result.stderr).toContain('cleaned up iotmsg-dev: removed iotmsg-dev-kafka-1-1, iotmsg-dev-schema-registry-1, iotmsg-dev_default');
    const deployed = JSON.parse(result.stdout) as { runtime: string; project: string; bootstrapServers: string[]; schemaRegistryUrl: string; webUiUrl: string; services: { service: string; health: string; ports: number[] }[] };
    expect(deployed).toMatchObject({ runtime: 'docker', project: 'iotmsg-dev', bootstrapServers: ['localhost:9092'], schemaRegistryUrl: 'http://localhost:8081', webUiUrl: 'http://localhost:8080' });
    expect(deployed.services.map((s) => [s.service, s.health, s.ports])).toEqual([
      ['kafka-1', 'healthy', [9092, 9101]],
      ['schema-registry', 'healthy', [8081]],
    ]);
  });

  it('picks Docker with --runtime auto when the engine answers, and asks the engine only once', async () => {
    const docker = await installFakeDocker();
    const result = await iotmsg(['deploy', '--env', 'prod'], { env: docker.env });
    expect(result.exitCode, result.stderr).toBe(0);
    const calls = await docker.calls();
    expect(calls.filter((c) => c[0] === 'info')).toHaveLength(1);
    expect(calls).toContainEqual(compose('iotmsg-prod', PROD_FILE, 'up', '--detach', '--wait', '--wait-timeout', '300', '--remove-orphans'));
    expect(result.stdout).toContain('HAProxy stats      http://localhost:18404/stats');
    expect(result.stdout).toContain('bootstrap servers  localhost:19090');
  });

  it('looks at the local runtime with --runtime auto when no engine answers', async () => {
    const docker = await installFakeDocker(['engine-down']);
    const stateRoot = await mkdtemp(join(tmpdir(), 'iotmsg-state-'));
    const result = await iotmsg(['deploy', 'status', '--env', 'dev', '-o', 'json'], { env: { ...docker.env, IOTMSG_STATE_DIR: stateRoot } });
    expect(result.exitCode, result.stderr).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ runtime: 'local', deployed: false, stateDir: join(stateRoot, 'dev') });
    expect(await docker.calls()).toEqual([['info', '--format', '{{.ServerVersion}}']]);
  });

  it('shows status, logs and down of the stack through compose', async () => {
    const docker = await installFakeDocker(['registry-unhealthy']);
    await docker.markUp();
    const status = await iotmsg(['deploy', 'status', '--env', 'dev', '--runtime', 'docker'], { env: docker.env });
    // An unhealthy service makes the status exit 3.
    expect(status.exitCode, status.stderr).toBe(3);
    expect(status.stdout.split('\n')[0]).toMatch(/^SERVICE\s+CONTAINER\s+STATE\s+HEALTH\s+PORTS$/);
    expect(status.stdout).toMatch(/schema-registry\s+iotmsg-dev-schema-registry-1\s+running\s+unhealthy\s+8081/);

    const logs = await iotmsg(['deploy', 'logs', 'kafka-1', '--env', 'dev', '--runtime', 'docker', '--tail', '20'], { env: docker.env });
    expect(logs.exitCode, logs.stderr).toBe(0);
    expect(logs.stdout).toContain('Kafka Server started');

    const down = await iotmsg(['deploy', 'down', '--env', 'dev', '--runtime', 'docker', '--volumes'], { env: docker.env });
    expect(down.exitCode, down.stderr).toBe(0);
    expect(down.stdout.trim()).toBe('✓ dev: stopped kafka-1, schema-registry; removed the volumes');

    const calls = (await docker.calls()).filter((c) => c[0] === 'compose' && c[1] === '-p');
    expect(calls).toEqual([DEV('ps', '--all', '--format', 'json'), DEV('logs', '--no-color', '--tail', '20', 'kafka-1'), DEV('ps', '--all', '--format', 'json'), DEV('down', '--remove-orphans', '--volumes')]);
  });

  it('says in one line that the engine does not answer, and what to do', async () => {
    const docker = await installFakeDocker(['engine-down']);
    const result = await iotmsg(['deploy', '--env', 'dev', '--runtime', 'docker'], { env: docker.env });
    expect(result.exitCode, result.stderr).toBe(69);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      'error: the Docker engine does not answer: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      'hint: start Docker (or point DOCKER_HOST at a running engine), or deploy without Docker: --runtime local',
    ]);
  });

  it('says in one line that docker is missing', async () => {
    const result = await iotmsg(['deploy', '--env', 'dev', '--runtime', 'docker'], { env: { PATH: await pathWithoutDocker() } });
    expect(result.exitCode, result.stderr).toBe(69);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      'error: "docker" is not on the PATH',
      'hint: install Docker with the compose plugin, or deploy without Docker: --runtime local',
    ]);
  });

  it('names the port that is taken', async () => {
    const docker = await installFakeDocker(['port-taken']);
    const result = await iotmsg(['deploy', '--env', 'dev', '--runtime', 'docker'], { env: docker.env });
    expect(result.exitCode, result.stderr).toBe(69);
    const [message, hint] = result.stderr.split('\n');
    expect(message).toBe('error: port 9092 is already in use, so the dev stack cannot start');
    expect(hint).toMatch(/^hint: stop whatever listens there \(docker ps --filter publish=9092/);
  });

  it('refuses local-runtime flags with --runtime docker', async () => {
    const docker = await installFakeDocker();
    const result = await iotmsg(['deploy', '--env', 'dev', '--runtime', 'docker', '--broker-port', '42000'], { env: docker.env });
    expect(result.exitCode, result.stderr).toBe(64);
    expect(result.stderr.split('\n')[0]).toBe('error: --broker-port applies only to --runtime local');
    expect(await docker.calls()).toEqual([]);
  });
});
