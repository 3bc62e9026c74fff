import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readStdin } from '../../adapters/stdin.js';
import type { CommandContext } from '../../cli/context.js';
import { InputError, UsageError } from '../../core/errors.js';

/** One message value as the user gave it, with where it came from for error messages. */
export interface InputValue {
  where: string;
  text: string;
  /** The file's bytes as they are, for `--value @file --format bytes`. */
  raw?: Buffer;
}

async function readText(path: string, cwd: string): Promise<Buffer> {
  try {
    return await readFile(resolve(cwd, path));
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

function lines(text: string, source: string): InputValue[] {
  const values: InputValue[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() !== '') values.push({ where: `${source} line ${i + 1}`, text: line });
  });
  return values;
}

/**
 * The values to produce: --value (or @file as one value), --input (one per line, - for
 * stdin), or piped stdin. All are read before anything is sent, so all can be checked first.
 */
export async function readInputValues(ctx: CommandContext, value: string | undefined, input: string | undefined): Promise<InputValue[]> {
  if (value !== undefined && input !== undefined) throw new UsageError('--value and --input cannot be used together', { hint: 'pick one' });
  if (value !== undefined) {
    if (!value.startsWith('@')) return [{ where: '--value', text: value }];
    const raw = await readText(value.slice(1), ctx.cwd);
    return [{ where: value.slice(1), text: raw.toString('utf8'), raw }];
  }
  if (input !== undefined && input !== '-') return lines((await readText(input, ctx.cwd)).toString('utf8'), input);
  if (input === undefined && process.stdin.isTTY) {
    throw new UsageError('nothing to produce', { hint: 'give --value, --input <file>, pipe NDJSON on stdin, or --generate <count>' });
  }
  const values = lines((await readStdin()).toString('utf8'), 'stdin');
  if (values.length === 0) throw new UsageError('nothing to produce: stdin was empty', { hint: 'give --value, --input <file>, or --generate <count>' });
  return values;
}
