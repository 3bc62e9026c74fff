import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { iotmsgBin } from '../support/cli.js';
import { uniqueName } from '../support/names.js';
import { createTopicsDirectly, topicNames } from '../support/topicsProject.js';

const cluster = inject('devCluster');
const brokers = cluster.bootstrapServers;
const bootstrap = brokers.join(',');
const env = { NO_COLOR: '1', PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

/** Runs iotmsg inside bash so the test can close or redirect its stdout as a shell user would. */
async function shell(script: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await execa('bash', ['-c', script], { env: { ...env, IOTMSG: `node ${iotmsgBin}` }, extendEnv: false, reject: false, timeout: 60_000 });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

describe('output that cannot be written', () => {
  it('a full disk is one error line and exit 74, not a silent 0', async () => {
    const result = await shell(`$IOTMSG topics list -b ${bootstrap} -o json > /dev/full`);
    expect(result.exitCode).toBe(74);
    expect(result.stderr.trim()).toBe('error: cannot write the output to stdout: no space left on the device (ENOSPC)');
  });

  it('a closed stdout is refused before the command runs, exit 74', async () => {
    const topic = uniqueName('stdio-closed');
    await createTopicsDirectly(brokers, [{ topic }]);
    const result = await shell(`$IOTMSG topics delete ${topic} --yes -b ${bootstrap} >&-`);
    expect(result.exitCode).toBe(74);
    expect(result.stderr.split('\n')[0]).toBe('error: stdout is closed: the output of iotmsg could not be written');
    expect(await topicNames(brokers)).toContain(topic);
  });

  it('a reader that stops reading ends the command with exit 0 and no message', async () => {
    // `true` exits before iotmsg writes, so every write meets a closed pipe.
    const result = await shell(`$IOTMSG topics list -b ${bootstrap} | true; echo "exit=\${PIPESTATUS[0]}" >&2`);
    expect(result.stderr.trim()).toBe('exit=0');
  });

  it('/dev/null is a normal place for the output', async () => {
    const result = await shell(`$IOTMSG topics list -b ${bootstrap} > /dev/null`);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
  });
});

describe('signals', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  let silentPort = 0;
  beforeAll(async () => {
    // Accepts connections and never answers: a command waiting on it only ends when stopped.
    silent = createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    silent.close();
  });

  it('SIGTERM ends a command that handles its own interruption within the grace, exit 130', async () => {
    const child = execa('node', [iotmsgBin, 'produce', 'any-topic', '--value', 'x', '-b', `127.0.0.1:${silentPort}`, '--timeout', '120s'], { env, extendEnv: false, reject: false, forceKillAfterDelay: false });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const sent = Date.now();
    child.kill('SIGTERM');
    const result = await child;
    expect([result.exitCode, result.signal]).toEqual([130, undefined]);
    expect(Date.now() - sent).toBeLessThan(8_000);
    expect(String(result.stderr)).toContain('stopping (terminated)');
  });

  it('Ctrl-C at a confirmation prompt exits 130 and deletes nothing', async () => {
    const topic = uniqueName('stdio-prompt');
    await createTopicsDirectly(brokers, [{ topic }]);
    // script(1) gives iotmsg a terminal, so it asks; ^C typed on that terminal reaches the prompt.
    // Outside any project: in the repository, -b would name a cluster the file's environments do not, and delete is refused before it asks.
    const child = execa('script', ['-qefc', `node ${iotmsgBin} topics delete ${topic} -b ${bootstrap}`, '/dev/null'], { cwd: tmpdir(), env: { ...env, TERM: 'xterm' }, extendEnv: false, reject: false, stdin: 'pipe' });
    let seen = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no prompt in: ${seen}`)), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('Do you want to')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.stdin!.write('\u0003');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(String(result.stdout)).toContain('interrupted at the confirmation');
    expect(String(result.stdout)).not.toContain('internal error');
    expect(await topicNames(brokers)).toContain(topic);
  });
});
