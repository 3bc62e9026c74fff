import type { Command, Option } from 'commander';

/**
 * Shell completion, worked out from the same commander tree that parses the command line,
 * so it never falls behind a new command or flag. The shell scripts pass the words typed
 * so far to `iotmsg __complete`; this says what the last one can be.
 */

/** Names the project file, the profiles directory or the cluster can supply. */
export type ValueKind = 'topic' | 'group' | 'subject' | 'environment' | 'profile';

export type Completion =
  /** Fixed words: subcommands, flags, an option's choices. */
  | { kind: 'words'; words: string[] }
  | { kind: 'values'; of: ValueKind }
  /** A path: the shell completes file names itself. */
  | { kind: 'files' }
  | { kind: 'none' };

/** What an argument or option placeholder names, e.g. <topic>, <topics...>, --env <name>. */
function kindOfPlaceholder(name: string): ValueKind | 'files' | undefined {
  if (/^topics?$/.test(name)) return 'topic';
  if (/^groups?$/.test(name)) return 'group';
  if (name === 'subject') return 'subject';
  if (/^(file|path|dir|plan)|\.avsc$|^file\|/.test(name)) return 'files';
  return undefined;
}

function optionNames(option: Option): (string | undefined)[] {
  return [option.long, option.short];
}

function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

function optionValue(option: Option): Completion {
  if (option.argChoices?.length) return { kind: 'words', words: [...option.argChoices] };
  if (option.long === '--env') return { kind: 'values', of: 'environment' };
  if (option.long === '--profile') return { kind: 'values', of: 'profile' };
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? '';
  const kind = kindOfPlaceholder(placeholder);
  if (kind === 'files') return { kind: 'files' };
  return kind ? { kind: 'values', of: kind } : { kind: 'none' };
}

function findOption(options: readonly Option[], word: string): Option | undefined {
  return options.find((o) => o.long === word || o.short === word);
}

export interface CompletionRequest {
  completion: Completion;
  /** Global options typed before the word (--env, --file, --profile, -b...): they say where names come from. */
  globals: Record<string, string>;
}

/** What the last of `words` (the word being typed, '' for a new one) can be, after the words before it. */
export function complete(program: Command, words: readonly string[]): CompletionRequest {
  const globals: Record<string, string> = {};
  let command = program;
  let positional = 0;
  const typed = words.slice(0, -1);
  for (let i = 0; i < typed.length; i++) {
    const word = typed[i]!;
    if (word === '--') break;
    if (word.startsWith('-')) {
      const [name, inline] = word.split('=', 2) as [string, string | undefined];
      const option = findOption(command.options, name) ?? findOption(program.options, name);
      const value = option && takesValue(option) && inline === undefined ? typed[++i] : inline;
      if (option && value !== undefined && program.options.includes(option)) globals[option.attributeName()] = value;
      continue;
    }
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub && positional === 0) command = sub;
    else positional++;
  }

  const previous = typed.at(-1);
  const current = words.at(-1) ?? '';
  const all = [...command.options, ...program.options];
  const pending = previous?.startsWith('-') && !previous.includes('=') ? findOption(all, previous) : undefined;
  if (pending && takesValue(pending)) return { completion: optionValue(pending), globals };
  if (current.startsWith('-')) {
    const names = all.filter((o) => !o.hidden).flatMap((o) => (current.startsWith('--') ? [o.long] : optionNames(o)));
    return { completion: { kind: 'words', words: [...new Set(names)].filter((n): n is string => n?.startsWith(current) === true).sort() }, globals };
  }
  const subcommands = command.commands.map((c) => c.name()).filter((n) => !n.startsWith('_'));
  if (subcommands.length > 0 && positional === 0) return { completion: { kind: 'words', words: subcommands.filter((n) => n.startsWith(current)).sort() }, globals };
  const args = command.registeredArguments;
  const arg = args[positional] ?? (args.at(-1)?.variadic ? args.at(-1) : undefined);
  if (!arg) return { completion: { kind: 'none' }, globals };
  const choices = arg.name() === 'shell' ? Object.keys(COMPLETION_SCRIPTS) : (arg.argChoices ?? []);
  if (choices.length > 0) return { completion: { kind: 'words', words: choices.filter((c) => c.startsWith(current)) }, globals };
  const kind = kindOfPlaceholder(arg.name());
  if (kind === 'files') return { completion: { kind: 'files' }, globals };
  return { completion: kind ? { kind: 'values', of: kind } : { kind: 'none' }, globals };
}

/**
 * The scripts `iotmsg completion <shell>` prints. Each asks `iotmsg __complete` with the
 * words before the cursor and the word at it; an empty answer falls back to file names.
 */
export const COMPLETION_SCRIPTS = {
  bash: `# iotmsg completion for bash: source <(iotmsg completion bash)
_iotmsg() {
  local IFS=$'\\n'
  COMPREPLY=($(iotmsg __complete "\${COMP_WORDS[@]:1:COMP_CWORD-1}" "\${COMP_WORDS[COMP_CWORD]}" 2>/dev/null))
}
complete -o default -F _iotmsg iotmsg
`,
  zsh: `#compdef iotmsg
# iotmsg completion for zsh: source <(iotmsg completion zsh), or save as _iotmsg on $fpath
_iotmsg() {
  local -a candidates
  candidates=("\${(@f)$(iotmsg __complete "\${(@)words[2,CURRENT-1]}" "\${words[CURRENT]}" 2>/dev/null)}")
  if [[ -z "\${candidates[1]}" ]]; then _files; else compadd -a candidates; fi
}
if (( $+functions[compdef] )); then compdef _iotmsg iotmsg; fi
`,
  fish: `# iotmsg completion for fish: iotmsg completion fish | source
function __iotmsg_complete
  set -l typed (commandline -opc)
  set -l candidates (iotmsg __complete $typed[2..-1] (commandline -ct) 2>/dev/null)
  if test (count $candidates) -eq 0
    __fish_complete_path (commandline -ct)
  else
    printf '%s\\n' $candidates
  end
end
complete -c iotmsg -f -a '(__iotmsg_complete)'
`,
} as const;

export type CompletionShell = keyof typeof COMPLETION_SCRIPTS;
