import { Command, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { OUTPUT_FORMATS } from '../render/formats.js';
import { parseOptionValue } from './optionTypes.js';
import { COMMANDS, GROUPS } from './registry.js';
import type { CommandRun, CommandSpec, OptionSpec } from './spec.js';

export interface GlobalOptions {
  bootstrapServer?: string;
  schemaRegistry?: string;
  env?: string;
  clientId?: string;
  timeout?: string;
  commandConfig?: string;
  profile?: string;
  file?: string;
  color: boolean;
  verbose: boolean;
  output?: string;
}

/** Called with the command's loaded implementation; bin.ts builds the context around it. */
export type Dispatch = (run: CommandRun, args: string[], options: Record<string, unknown> & GlobalOptions) => Promise<void>;

export function buildProgram(dispatch: Dispatch): Command {
  const program = new Command('iotmsg')
    .description('Topics, schemas, clusters and test messages for the Kafka side of an IoT platform')
    .option('-b, --bootstrap-server <servers>', 'Kafka bootstrap servers, host:port[,host:port] (env KAFKA_BROKERS)')
    .option('--schema-registry <url>', 'schema registry URL (env SCHEMA_REGISTRY_URL)')
    .option('-e, --env <name>', 'environment of topics.yaml to use, e.g. dev or prod (env IOTMSG_ENV)')
    .option('--client-id <id>', 'Kafka client id (env KAFKA_CLIENT_ID)')
    .option('--timeout <duration>', 'give up on an unreachable cluster after this long, e.g. 10s (env IOTMSG_TIMEOUT)')
    .option('--command-config <file>', 'Kafka client properties (security.protocol, sasl.*, ssl.*, schema.registry.*), as Kafka\'s tools take it (env IOTMSG_COMMAND_CONFIG)')
    .option('--profile <name>', 'connection settings of a named cluster: ~/.config/iotmsg/profiles/<name>.properties (env IOTMSG_PROFILE)')
    .option('-f, --file <path>', 'project file (default: ./topics.yaml)')
    .option('--no-color', 'no colours (also NO_COLOR, or when output is not a terminal)')
    .option('--verbose', 'show debug output and stack traces')
    // Handled in bin.ts before parsing, so subcommands keep their own --version option.
    .option('-V, --version', 'print the iotmsg version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) })
    .exitOverride();

  const groups = new Map<string, Command>();
  for (const group of GROUPS) {
    const command = program.command(group.name).description(group.summary);
    command.exitOverride();
    groups.set(group.name, command);
  }
  for (const spec of COMMANDS) addCommand(program, groups, spec, dispatch);
  return program;
}

function addCommand(program: Command, groups: Map<string, Command>, spec: CommandSpec, dispatch: Dispatch): void {
  const [head, ...rest] = spec.path;
  let command: Command;
  if (rest.length === 0) {
    command = program.command(head!);
    groups.set(head!, command);
  } else {
    const parent = groups.get(head!);
    if (!parent) throw new Error(`command ${spec.path.join(' ')} has no group ${head}`);
    command = parent.command(rest.join(' '));
  }
  command.description(spec.summary).exitOverride();
  if (spec.arguments) command.arguments(spec.arguments);
  for (const o of spec.options ?? []) command.addOption(optionFrom(o));
  if (spec.output) command.addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'));
  if (spec.examples?.length) command.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}`);

  command.action(async (...received: unknown[]) => {
    const self = received.at(-1) as Command;
    const args = received.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a.map(String) : a === undefined ? [] : [String(a)]));
    const { run } = await spec.load();
    await dispatch(run, args, self.optsWithGlobals());
  });
}

/**
 * A commander option from a spec. Typed values are parsed here, once, as commander reads
 * them: a command never sees "1e2" where it expects a partition count.
 */
export function optionFrom(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.choices) option.choices(spec.choices);
  if (spec.default !== undefined) option.default(spec.default);
  const { type } = spec;
  const flag = option.long ?? option.flags;
  const single = (text: string): unknown => {
    if (type === undefined) return text;
    const parsed = parseOptionValue(type, text);
    if (!parsed.ok) throw new UsageError(`${flag} "${text}" is ${parsed.problem}`);
    return parsed.value;
  };
  if (spec.repeatable) option.argParser((text: string, previous: unknown) => [...(Array.isArray(previous) ? previous : []), single(text)]);
  else if (type !== undefined) option.argParser(single);
  return option;
}

/** Turns commander's own failures (unknown option, missing argument) into a UsageError. */
export function usageErrorFrom(error: { code?: string; message: string }): UsageError | undefined {
  if (!error.code?.startsWith('commander.')) return undefined;
  return new UsageError(error.message.replace(/^error: /, ''), { hint: 'run with --help for usage' });
}
