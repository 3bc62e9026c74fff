import { chmod, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A stand-in `docker` executable, first on the PATH, for tests of the exact command lines
 * `iotmsg deploy --runtime docker` issues on a machine without a Docker engine. It records
 * its argv and answers the way the docker CLI does: it fakes the CLI, not Kafka.
 *
 * Its containers: the iotmsg-dev project's (after `up`, or left over) and another project's,
 * so a test can see that label filters keep iotmsg away from what is not its own.
 */
const SCRIPT = String.raw`#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
const dir = process.env.FAKE_DOCKER_DIR;
const scenario = (process.env.FAKE_DOCKER_SCENARIO || '').split(',');
fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify(args) + '\n');
const upFile = path.join(dir, 'up');
const out = (text) => process.stdout.write(text);
const fail = (text, code = 1) => { process.stderr.write(text + '\n'); process.exit(code); };

if (args[0] === 'info') {
  if (scenario.includes('engine-down')) fail('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?');
  out('27.3.1\n');
  process.exit(0);
}
if (args[0] === 'ps' || (args[0] === 'network' && args[1] === 'ls')) {
  // docker ps / network ls with --filter label=com.docker.compose.project=<name>
  const label = args[args.indexOf('--filter') + 1].split('=').pop();
  const containers = [
    { id: 'c0ffee01', name: 'iotmsg-dev-kafka-1-1', project: 'iotmsg-dev' },
    { id: 'c0ffee02', name: 'iotmsg-dev-schema-registry-1', project: 'iotmsg-dev' },
    { id: 'beef0001', name: 'payments-kafka-1', project: 'payments' },
  ];
  const networks = [
    { id: 'ne7001', name: 'iotmsg-dev_default', project: 'iotmsg-dev' },
    { id: 'ne7002', name: 'payments_default', project: 'payments' },
  ];
  for (const item of args[0] === 'ps' ? containers : networks) if (item.project === label) out(item.id + ' ' + item.name + '\n');
  process.exit(0);
}
if (args[0] === 'rm' || args[0] === 'network') process.exit(0);
if (args[0] !== 'compose') fail('unknown command: docker ' + args[0]);

if (args[1] === 'version') {
  if (scenario.includes('no-compose')) fail("docker: 'compose' is not a docker command.");
  out('2.29.7\n');
  process.exit(0);
}
const command = args[args.indexOf('-f') + 2];
if (command === 'config') process.exit(0);
if (command === 'up') {
  process.stderr.write(' Network iotmsg-dev_default  Creating\n Container iotmsg-dev-kafka-1-1  Started\n Container iotmsg-dev-kafka-1-1  Healthy\n');
  if (scenario.includes('port-taken')) {
    fail('Error response from daemon: driver failed programming external connectivity on endpoint iotmsg-dev-kafka-1-1 (3f2a): Bind for 127.0.0.1:9092 failed: port is already allocated');
  }
  fs.writeFileSync(upFile, '');
  process.exit(0);
}
if (command === 'down') { fs.rmSync(upFile, { force: true }); process.exit(0); }
if (command === 'ps') {
  if (!fs.existsSync(upFile)) process.exit(0);
  const service = (name, health, ports) => JSON.stringify({ Name: 'iotmsg-dev-' + name + '-1', Service: name, State: 'running', Health: health, Publishers: ports.map((p) => ({ URL: '127.0.0.1', TargetPort: p, PublishedPort: p, Protocol: 'tcp' })) });
  out([service('kafka-1', 'healthy', [9092, 9101]), service('schema-registry', scenario.includes('registry-unhealthy') ? 'unhealthy' : 'healthy', [8081])].join('\n') + '\n');
  process.exit(0);
}
if (command === 'logs') { out('kafka-1  | [2025-01-01 00:00:00,000] INFO Kafka Server started (kafka.server.KafkaRaftServer)\n'); process.exit(0); }
fail('unknown compose command: ' + command);
`;

export interface FakeDocker {
  /** Environment for `iotmsg(...)`: the fake first on PATH. */
  env: Record<string, string>;
  /** Every docker command line so far, as argv arrays. */
  calls(): Promise<string[][]>;
  /** Marks the stack as up, as if an earlier `deploy` had started it. */
  markUp(): Promise<void>;
}

export async function installFakeDocker(scenario: string[] = []): Promise<FakeDocker> {
  const dir = await mkdtemp(join(tmpdir(), 'iotmsg-fake-docker-'));
  const bin = join(dir, 'bin');
  await writeFile(join(dir, 'calls.jsonl'), '');
  await mkdir(bin);
  await writeFile(join(bin, 'docker'), SCRIPT);
  await chmod(join(bin, 'docker'), 0o755);
  return {
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, FAKE_DOCKER_DIR: dir, FAKE_DOCKER_SCENARIO: scenario.join(',') },
    calls: async () =>
      (await readFile(join(dir, 'calls.jsonl'), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[]),
    markUp: () => writeFile(join(dir, 'up'), ''),
  };
}

/** A PATH on which node is found and docker is not. */
export async function pathWithoutDocker(): Promise<string> {
  const bin = await mkdtemp(join(tmpdir(), 'iotmsg-no-docker-'));
  await symlink(process.execPath, join(bin, 'node'));
  return bin;
}
