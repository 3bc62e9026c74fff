import { describe, expect, it } from 'vitest';
import { buildProgram, type Dispatch } from './program.js';
import { COMMANDS, GROUPS } from './registry.js';

function parse(argv: string[]): Promise<{ args: string[]; options: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const dispatch: Dispatch = async (_run, args, options) => resolve({ args, options });
    buildProgram(dispatch)
      .configureOutput({ writeOut: () => {}, writeErr: () => {} })
      .parseAsync(['node', 'iotmsg', ...argv])
      .catch(reject);
  });
}

describe('command registry', () => {
  it.each(COMMANDS.map((c) => [c.path.join(' '), c] as const))('%s loads an implementation', async (_name, spec) => {
    const module = await spec.load();
    expect(typeof module.run).toBe('function');
  });

  it('lists each command once', () => {
    const names = COMMANDS.map((c) => c.path.join(' '));
    expect(new Set(names).size).toBe(names.length);
  });

  it('lists no group without a command', () => {
    for (const group of GROUPS) expect(COMMANDS.some((c) => c.path[0] === group.name && c.path.length > 1)).toBe(true);
  });
});

describe('argument parsing', () => {
  it('accepts global flags before or after the command', async () => {
    const before = await parse(['-b', 'k:9092', '--env', 'prod', 'config', 'show']);
    const after = await parse(['config', 'show', '-b', 'k:9092', '--env', 'prod']);
    for (const { options } of [before, after]) {
      expect(options.bootstrapServer).toBe('k:9092');
      expect(options.env).toBe('prod');
    }
  });

  it('defaults --output to table and colour to on', async () => {
    const { options } = await parse(['config', 'show']);
    expect(options.output).toBe('table');
    expect(options.color).toBe(true);
  });

  it('turns colour off with --no-color', async () => {
    expect((await parse(['config', 'show', '--no-color'])).options.color).toBe(false);
  });

  it('refuses an output format it does not know', async () => {
    await expect(parse(['config', 'show', '-o', 'xml'])).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });
});
