import type { ChalkInstance } from 'chalk';
import { Chalk } from 'chalk';
import { IotmsgError } from '../core/errors.js';

import type { OutputFormat } from './formats.js';

export type { OutputFormat } from './formats.js';

export interface Stream {
  write(chunk: string): boolean;
  isTTY?: boolean;
}

export interface Terminal {
  stdout: Stream;
  stderr: Stream;
  stdinIsTTY: boolean;
}

export interface OutputOptions {
  format: OutputFormat;
  /** false with --no-color, NO_COLOR, or when stdout is not a terminal. */
  color: boolean;
  verbose: boolean;
  terminal: Terminal;
}

export interface Progress {
  update(text: string): void;
  done(text?: string): void;
}

/** Whether colour is wanted: a terminal, no NO_COLOR, no --no-color. */
export function colorWanted(stream: Stream, env: Readonly<Record<string, string | undefined>>, flag: boolean): boolean {
  return flag && stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Everything iotmsg shows goes through here: results to stdout (as a table or
 * serialised), messages and progress to stderr. Commands never write directly.
 */
export class Output {
  readonly style: ChalkInstance;

  constructor(readonly options: OutputOptions) {
    this.style = new Chalk({ level: options.color ? 1 : 0 });
  }

  get format(): OutputFormat {
    return this.options.format;
  }

  /** Prompts and spinners only make sense when a person is watching both ends. */
  get interactive(): boolean {
    return this.options.terminal.stdinIsTTY && this.options.terminal.stdout.isTTY === true;
  }

  /** The command's result: JSON/YAML serialise `data` as it is; the table view is `human(data)`. */
  async result<T>(data: T, human: (data: T, style: ChalkInstance) => string): Promise<void> {
    if (this.format === 'json') {
      this.stdout(`${JSON.stringify(data, null, 2)}\n`);
    } else if (this.format === 'yaml') {
      const { stringify } = await import('yaml');
      this.stdout(stringify(data));
    } else {
      const text = human(data, this.style);
      if (text) this.stdout(text.endsWith('\n') ? text : `${text}\n`);
    }
  }

  /**
   * The same output with results shown as tables on stderr: for steps a command runs on
   * behalf of its own result (deploy --apply), so stdout keeps one document.
   */
  toStderr(): Output {
    const { terminal } = this.options;
    return new Output({ ...this.options, format: 'table', terminal: { ...terminal, stdout: terminal.stderr } });
  }

  /** Raw data lines (messages from `tail`, exported files). */
  stdout(text: string): void {
    this.options.terminal.stdout.write(text);
  }

  info(message: string): void {
    this.options.terminal.stderr.write(`${message}\n`);
  }

  success(message: string): void {
    this.info(`${this.style.green('✓')} ${message}`);
  }

  warn(message: string): void {
    this.info(`${this.style.yellow('warning:')} ${message}`);
  }

  debug(message: string): void {
    if (this.options.verbose) this.info(this.style.dim(message));
  }

  error(error: unknown): void {
    const err = this.style.red('error:');
    if (error instanceof IotmsgError) {
      this.info(`${err} ${error.message}`);
      if (error.hint) this.info(`${this.style.dim('hint:')} ${error.hint}`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      this.info(`${err} internal error: ${message}`);
      this.info(`${this.style.dim('hint:')} this is a bug in iotmsg; rerun with --verbose and report the output`);
    }
    if (this.options.verbose) this.info(this.style.dim(causeChain(error)));
  }

  /** A spinner on a terminal; otherwise the final line only, so CI logs stay readable. */
  progress(text: string): Progress {
    const stderr = this.options.terminal.stderr;
    if (stderr.isTTY !== true || !this.options.color) {
      return { update: () => {}, done: (final) => final !== undefined && this.info(final) };
    }
    let frame = 0;
    let current = text;
    const draw = () => stderr.write(`\r\u001b[2K${this.style.cyan(SPINNER[frame++ % SPINNER.length])} ${current}`);
    draw();
    const timer = setInterval(draw, 80);
    timer.unref();
    return {
      update: (next) => {
        current = next;
        draw();
      },
      done: (final) => {
        clearInterval(timer);
        stderr.write('\r\u001b[2K');
        if (final !== undefined) this.info(final);
      },
    };
  }
}

function causeChain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) parts.push('caused by:');
  }
  return parts.join('\n');
}
