import { execa } from 'execa';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { iotmsg, iotmsgBin } from '../support/cli.js';
import { withAdmin } from '../support/kafka.js';
import { uniqueName } from '../support/names.js';

/** A project, a profiles directory and `iotmsg` on PATH, as a user who installed it has them. */
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'iotmsg-completion-'));
  const bin = join(home, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'iotmsg'), `#!/bin/sh\nexec node ${iotmsgBin} "$@"\n`);
  await chmod(join(bin, 'iotmsg'), 0o755);
  await mkdir(join(home, 'config', 'profiles'), { recursive: true });
  await writeFile(join(home, 'config', 'profiles', 'prod-eu.properties'), 'bootstrap.servers=kafka-eu:9092\n');
  await writeFile(join(home, 'config', 'profiles', 'staging.properties'), 'bootstrap.servers=kafka-staging:9092\n');
  await writeFile(
    join(home, 'topics.yaml'),
    'environments:\n  dev:\n    brokers: [localhost:1]\n  staging:\n    brokers: [localhost:2]\ntopics:\n  - name: sensor-data\n    partitions: 3\n    replicationFactor: 1\n  - name: sensor-alerts\n    partitions: 1\n    replicationFactor: 1\n  - name: audit-logs\n    partitions: 1\n    replicationFactor: 1\n',
  );
  env = { PATH: `${bin}:${process.env.PATH}`, IOTMSG_CONFIG_DIR: join(home, 'config'), HOME: home, NO_COLOR: '1' };
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

async function shell(command: string, args: string[]): Promise<string[]> {
  const { stdout, stderr, exitCode } = await execa(command, args, { cwd: home, env, extendEnv: false, reject: false, timeout: 30_000 });
  expect(exitCode, stderr).toBe(0);
  return stdout.split('\n').filter((line) => line !== '').sort();
}

describe('shell completion', () => {
  it('completes in bash: subcommands, topics of topics.yaml, flags and their choices', async () => {
    const bash = (...words: string[]) =>
      shell('bash', ['-c', `source <(iotmsg completion bash); COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _iotmsg; printf '%s\\n' "\${COMPREPLY[@]}"`]);
    expect(await bash('iotmsg', 'topics', 'de')).toEqual(['delete', 'describe']);
    expect(await bash('iotmsg', 'tail', 'sensor-')).toEqual(['sensor-alerts', 'sensor-data']);
    expect(await bash('iotmsg', 'produce', 'sensor-data', '--for')).toEqual(['--format']);
    expect(await bash('iotmsg', 'produce', 'sensor-data', '--format', 'a')).toEqual(['avro']);
    expect(await bash('iotmsg', '--profile', '')).toEqual(['prod-eu', 'staging']);
    expect(await bash('iotmsg', '-e', 's')).toEqual(['staging']);
  });

  it('completes in zsh through the function the script defines', async () => {
    // compadd and _files are zsh's completion builtins; outside an interactive shell they are stood in for by printing what they get.
    const zsh = (...words: string[]) =>
      shell('zsh', ['-c', `compadd() { [[ $1 == -a ]] && print -l -- \${(P)2} }; _files() { print -- '(files)' }; source <(iotmsg completion zsh); words=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}; _iotmsg`]);
    expect(await zsh('iotmsg', 'groups', 're')).toEqual(['reset-offsets']);
    expect(await zsh('iotmsg', 'topics', 'delete', 'a')).toEqual(['audit-logs']);
    expect(await zsh('iotmsg', 'produce', 't', '--schema', '')).toEqual(['(files)']);
  });

  it('completes in fish, asked as fish itself asks', async () => {
    const fish = async (line: string) => (await shell('fish', ['-c', `iotmsg completion fish | source; complete -C '${line}'`])).map((l) => l.split('\t')[0]!);
    expect(await fish('iotmsg sch')).toEqual(['schema']);
    expect(await fish('iotmsg tail sensor-d')).toEqual(['sensor-data']);
    expect(await fish('iotmsg -e ')).toEqual(['dev', 'staging']);
  });

  it('completes consumer groups from the cluster the typed flags name', async () => {
    const brokers = inject('devCluster').bootstrapServers.join(',');
    const group = uniqueName('compl-group');
    await withAdmin(inject('devCluster').bootstrapServers, async (admin) => {
      await admin.createTopics({ topics: [{ topic: group, numPartitions: 1 }] });
      await admin.setOffsets({ groupId: group, topic: group, partitions: [{ partition: 0, offset: '0' }] });
    });
    const answer = await iotmsg(['__complete', '-b', brokers, 'groups', 'describe', 'compl-group'], { cwd: home, env });
    expect(answer.exitCode).toBe(0);
    expect(answer.stdout.split('\n')).toContain(group);
    // An unreachable cluster offers nothing, quickly, and says nothing.
    const unreachable = await iotmsg(['__complete', '-b', '127.0.0.1:1', 'groups', 'describe', ''], { cwd: home, env });
    expect(unreachable).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    expect(unreachable.durationMs).toBeLessThan(5_000);
  });

  it('refuses a shell it has no script for', async () => {
    const refused = await iotmsg(['completion', 'tcsh'], { env });
    expect(refused.exitCode).toBe(64);
    expect(refused.stderr).toBe('error: no completion for "tcsh"\nhint: shells: bash, zsh, fish');
  });
});
