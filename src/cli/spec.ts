import type { CommandContext } from './context.js';

export interface OptionSpec {
  flags: string;
  description: string;
  default?: string | boolean | string[];
  choices?: readonly string[];
  /** A flag that may be given several times (e.g. --header k=v). */
  repeatable?: boolean;
}

export type CommandOptions = Record<string, unknown>;

/** What a command module exports: thin glue from parsed input to core, adapters and render. */
export type CommandRun = (ctx: CommandContext, args: string[], options: CommandOptions) => Promise<number | void>;

export interface CommandSpec {
  /** e.g. ['topics', 'list']; a one-element path is a top-level command. */
  path: readonly string[];
  summary: string;
  /** Commander argument syntax, e.g. '<topic>' or '[subject] [file]'. */
  arguments?: string;
  options?: readonly OptionSpec[];
  /** Read commands get --output table|json|yaml. */
  output?: boolean;
  examples?: readonly string[];
  /** Loaded only when the command runs, so `--help` never imports KafkaJS. */
  load: () => Promise<{ run: CommandRun }>;
}

export interface GroupSpec {
  name: string;
  summary: string;
}
