import type { CommandContext } from './context.js';

/**
 * What a typed flag holds once parsed. Numbers are plain decimal integers only ("1e2" and
 * "0x10" are refused: a partition count must never be read as 100 or 16 by accident);
 * durations become milliseconds, sizes bytes.
 */
export type OptionType =
  | { kind: 'integer'; min?: number; max?: number }
  /** A plain decimal number such as 0.5 or 200 (a rate), within the bounds. */
  | { kind: 'decimal'; min?: number; max?: number; exclusiveMin?: boolean }
  | { kind: 'duration' }
  | { kind: 'size' }
  /** Bytes per second: a size, with or without "/s". */
  | { kind: 'rate' };

export interface OptionSpec {
  flags: string;
  description: string;
  default?: string | boolean | number | string[];
  /** An enum: the value must be one of these (the typed options object holds their union). */
  choices?: readonly string[];
  /** A flag that may be given several times (e.g. --header k=v): its value is an array. */
  repeatable?: boolean;
  /** Without a type a flag taking a value is a string, as it always was. */
  type?: OptionType;
}

// The typed options object a command receives, derived from its option specs at compile time:
// '--delete-config <name>' → deleteConfig, '--no-registry' → registry, '-p, --partition <n>' → partition.
type LongName<F extends string> = F extends `${string}--${infer Rest}` ? (Rest extends `${infer Name} ${string}` ? Name : Rest) : never;
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
type Negated<F extends string> = LongName<F> extends `no-${string}` ? true : false;
export type OptionKey<F extends string> = LongName<F> extends `no-${infer Name}` ? Camel<Name> : Camel<LongName<F>>;

type SingleValue<O extends OptionSpec> = O['type'] extends OptionType
  ? O['flags'] extends `${string}[${string}]`
    ? number | true
    : number
  : O extends { choices: readonly (infer C)[] }
    ? C
    : O['flags'] extends `${string}<${string}>`
      ? string
      : O['flags'] extends `${string}[${string}]`
        ? string | true
        : boolean;
type OptionValue<O extends OptionSpec> = O extends { repeatable: true } ? SingleValue<O>[] : SingleValue<O>;
/** Set whatever the user typed: a default, or a --no- flag (true unless negated). */
type AlwaysSet<O extends OptionSpec> = O extends { default: unknown } ? true : Negated<O['flags']>;

export type ParsedOptions<S extends readonly OptionSpec[]> = {
  -readonly [O in S[number] as AlwaysSet<O> extends true ? OptionKey<O['flags']> : never]: OptionValue<O>;
} & {
  -readonly [O in S[number] as AlwaysSet<O> extends true ? never : OptionKey<O['flags']>]?: OptionValue<O>;
};

/** The options of a command whose specs are not typed (yet): read and checked by the command. */
export type CommandOptions = Record<string, unknown>;

/** What a command module exports: thin glue from parsed input to core, adapters and render. */
export type CommandRun<Options = CommandOptions> = (ctx: CommandContext, args: string[], options: Options) => Promise<number | void>;

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

/** A command whose `run` receives the typed options object of its specs. */
export interface TypedCommandSpec<S extends readonly OptionSpec[]> extends Omit<CommandSpec, 'options' | 'load'> {
  options: S;
  load: () => Promise<{ run: CommandRun<NoInfer<ParsedOptions<S>>> }>;
}

/**
 * Declares a command with typed options. program.ts parses every flag by its spec before
 * `run` is called, so the object `run` gets really has the shape its type says.
 */
export function typedCommand<const S extends readonly OptionSpec[]>(spec: TypedCommandSpec<S>): CommandSpec {
  return spec as unknown as CommandSpec;
}

export interface GroupSpec {
  name: string;
  summary: string;
}
