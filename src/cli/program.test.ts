import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseOptionValue } from './optionTypes.js';
import { buildProgram, type Dispatch } from './program.js';
import { COMMANDS, GROUPS } from './registry.js';
import type { OptionSpec, ParsedOptions } from './spec.js';

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

describe('typed options', () => {
  it.each(['1e2', '0x10', '', ' 7', '12.0', '-3', '0', '9007199254740993'])('refuses --partitions "%s" before the command runs', async (text) => {
    await expect(parse(['topics', 'alter', 't', '--partitions', text])).rejects.toMatchObject({ exitCode: 64, message: expect.stringContaining(`--partitions "${text}" is not a whole number of 1 or more`) });
  });

  it('hands the command numbers, not strings, and arrays for repeatable flags', async () => {
    const { options } = await parse(['topics', 'alter', 't', '--partitions', '16', '--config', 'retention.ms=7d', '--config', 'segment.ms=1h']);
    expect(options.partitions).toBe(16);
    expect(options.config).toEqual(['retention.ms=7d', 'segment.ms=1h']);
  });

  it('gives the typed options object the shape of the specs', () => {
    const specs = [
      { flags: '-p, --partition <n>', description: '', type: { kind: 'integer', min: 0 } },
      { flags: '--delete-config <name>', description: '', repeatable: true },
      { flags: '--format <f>', description: '', choices: ['json', 'avro'] },
      { flags: '--no-idempotence', description: '' },
      { flags: '--wait [timeout]', description: '', type: { kind: 'duration' } },
      { flags: '--tail <lines>', description: '', default: 100, type: { kind: 'integer' } },
    ] as const satisfies readonly OptionSpec[];
    expectTypeOf<ParsedOptions<typeof specs>>().toEqualTypeOf<
      { idempotence: boolean; tail: number } & { partition?: number; deleteConfig?: string[]; format?: 'json' | 'avro'; wait?: number | true }
    >();
  });
});

describe('option values', () => {
  it.each([
    [{ kind: 'integer', min: 0 }, '0', 0],
    [{ kind: 'integer' }, '-10', -10],
    [{ kind: 'decimal', min: 0, exclusiveMin: true }, '0.5', 0.5],
    [{ kind: 'duration' }, '1h30m', 5_400_000],
    [{ kind: 'size' }, '512KiB', 524_288],
    [{ kind: 'size' }, '1000', 1000],
    [{ kind: 'rate' }, '50MiB/s', 52_428_800],
    [{ kind: 'rate' }, '10000', 10_000],
  ] as const)('%o reads "%s" as %d', (type, text, value) => {
    expect(parseOptionValue(type, text)).toEqual({ ok: true, value });
  });

  it.each([
    [{ kind: 'integer', max: 65535 }, '65536'],
    [{ kind: 'decimal', min: 0, exclusiveMin: true }, '0'],
    [{ kind: 'decimal' }, '1e3'],
    [{ kind: 'duration' }, '10'],
    [{ kind: 'size' }, '-1'],
    [{ kind: 'size' }, '1.5B'],
    [{ kind: 'rate' }, '50MiB/h'],
    [{ kind: 'rate' }, '/s'],
  ] as const)('%o refuses "%s"', (type, text) => {
    expect(parseOptionValue(type, text).ok).toBe(false);
  });
});
