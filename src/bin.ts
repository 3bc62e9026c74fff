import { readFileSync } from 'node:fs';
import { stdoutClosedAtStart, writeFailureReason } from './adapters/stdout.js';
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

/** How long a command that finishes its own cleanup gets after SIGTERM before it is ended. */
const TERMINATION_GRACE_MS = 3_000;

/**
 * Output that cannot be written ends the command at once. A closed pipe is the reader's
 * normal way to say it has enough (`| head -1`): exit 0, nothing said. Anything else (a full
 * disk, a closed stdout) is a failure the user must see.
 */
function stdoutFailed(error: NodeJS.ErrnoException): never {
  if (error.code === 'EPIPE') process.exit(ExitCode.ok);
  process.stderr.write(`error: cannot write the output to stdout: ${writeFailureReason(error)}\n`);
  process.exit(ExitCode.output);
}

/**
 * Ctrl-C and SIGTERM (CI runners, `timeout`, systemd) stop a command the same way. A command
 * that finishes its own cleanup (apply between batches, produce, tail) gets the first signal
 * as an abort and reports what it did; the others end at once. A second signal ends any
 * command at once, and after SIGTERM the command gets a short grace, then is ended.
 * Exit codes: 130 for a command cut short; a follow (`tail` without --max/--exit-at-end),
 * whose normal end is Ctrl-C, exits 0 after its summary.
 */
function handleSignals(abort: AbortController, handlesInterrupt: () => boolean): void {
  const stopNow = () => {
    process.stderr.write('\ninterrupted\n');
    process.exit(ExitCode.interrupted);
  };
  const interrupt = (signal: NodeJS.Signals) => {
    if (abort.signal.aborted || !handlesInterrupt()) stopNow();
    process.stderr.write(signal === 'SIGTERM' ? '\nstopping (terminated)\n' : '\nstopping (press Ctrl-C again to stop at once)\n');
    abort.abort();
    if (signal === 'SIGTERM') setTimeout(stopNow, TERMINATION_GRACE_MS).unref();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
}

/**
 * The single place that turns a run into an exit code: commands return one or throw an
 * IotmsgError (documented code, one line); anything else is a bug (70).
 */
async function main(argv: string[]): Promise<number> {
  process.stdout.on('error', stdoutFailed);
  if (stdoutClosedAtStart()) {
    process.stderr.write('error: stdout is closed: the output of iotmsg could not be written\nhint: redirect it to a file or to /dev/null instead of closing it (>&-)\n');
    return ExitCode.output;
  }
  const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
    process.stdout.write(`${version}\n`);
    return ExitCode.ok;
  }
  // The shell completion scripts call this on every Tab: raw words in, candidates out.
  if (argv[2] === '__complete') {
    const { completeWords } = await import('./cli/completeWords.js');
    const candidates = await completeWords(argv.slice(3), process.env, process.cwd()).catch(() => []);
    if (candidates.length > 0) process.stdout.write(`${candidates.join('\n')}\n`);
    return ExitCode.ok;
  }
  const abort = new AbortController();
  let context: { handlesInterrupt: boolean } | undefined;
  handleSignals(abort, () => context?.handlesInterrupt === true);

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
// A write that failed just before the end has not been reported yet: it decides the exit code.
process.stdout.write('', () => {
  const failure = process.stdout.errored as NodeJS.ErrnoException | null;
  if (failure) stdoutFailed(failure);
  process.stderr.write('', () => process.exit(exitCode));
});
