import { readFileSync } from 'node:fs';
import { buildProgram, usageErrorFrom, type GlobalOptions } from './cli/program.js';
import { ExitCode, IotmsgError } from './core/errors.js';
import type { Output } from './render/output.js';

// Only commander is loaded up front; the output layer, settings and adapters load when a
// command runs, which keeps `iotmsg --help` fast.
async function outputFor(options: Partial<GlobalOptions>): Promise<Output> {
  const { Output, colorWanted } = await import('./render/output.js');
  return new Output({
    format: (options.output as Output['format'] | undefined) ?? 'table',
    color: colorWanted(process.stdout, process.env, options.color !== false),
    verbose: options.verbose === true || process.argv.includes('--verbose'),
    terminal: { stdout: process.stdout, stderr: process.stderr, stdinIsTTY: process.stdin.isTTY === true },
  });
}

/**
 * The single place that turns a run into an exit code: commands return one or throw an
 * IotmsgError (documented code, one line); anything else is a bug (70).
 */
async function main(argv: string[]): Promise<number> {
  const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
    process.stdout.write(`${version}\n`);
    return ExitCode.ok;
  }
  const abort = new AbortController();
  let context: { handlesInterrupt: boolean } | undefined;
  const interrupt = () => {
    if (abort.signal.aborted || !context?.handlesInterrupt) {
      process.stderr.write('\ninterrupted\n');
      process.exit(ExitCode.interrupted);
    }
    process.stderr.write('\nstopping (press Ctrl-C again to stop at once)\n');
    abort.abort();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);

  let exitCode: number = ExitCode.ok;
  let out: Output | undefined;
  const program = buildProgram(async (run, args, options) => {
    out = await outputFor(options);
    const { CommandContext } = await import('./cli/context.js');
    const ctx = new CommandContext(out, options, process.env, abort.signal);
    context = ctx;
    try {
      exitCode = (await run(ctx, args, options)) ?? ExitCode.ok;
    } finally {
      await ctx.close();
    }
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.help') return ExitCode.ok;
    const usage = usageErrorFrom(error as { code?: string; message: string });
    // Commander has already printed its own one-line message.
    if (usage) return usage.exitCode;
    (out ?? (await outputFor({}))).error(error);
    return error instanceof IotmsgError ? error.exitCode : ExitCode.internal;
  }
  return exitCode;
}

const exitCode = await main(process.argv);
// Exit explicitly once output is flushed: a client still retrying a dead broker in the
// background must not keep the process alive past the answer it already gave.
process.stdout.write('', () => process.stderr.write('', () => process.exit(exitCode)));
