import { describe, expect, it } from 'vitest';
import { complete } from './completion.js';
import { buildProgram } from './program.js';

const program = buildProgram(async () => {});
const completing = (...words: string[]) => complete(program, words).completion;

describe('shell completion', () => {
  it('offers the commands and groups at the top, and a group its subcommands', () => {
    const top = completing('');
    expect(top.kind === 'words' && top.words).toEqual(expect.arrayContaining(['topics', 'schema', 'groups', 'produce', 'tail', 'completion']));
    expect(completing('topics', 'de')).toEqual({ kind: 'words', words: ['delete', 'describe'] });
    expect(completing('groups', '')).toEqual({ kind: 'words', words: ['delete', 'describe', 'lag', 'list', 'reset-offsets'] });
  });

  it("offers the command's own flags and the global ones", () => {
    const flags = completing('groups', 'reset-offsets', 'g', '--to');
    expect(flags).toEqual({ kind: 'words', words: ['--to-datetime', '--to-earliest', '--to-latest', '--topic'] });
    const short = completing('produce', 't', '-');
    expect(short.kind === 'words' && short.words).toEqual(expect.arrayContaining(['-K', '-k', '--key-delimiter', '-e', '--profile']));
  });

  it("names what an argument or a flag's value is", () => {
    expect(completing('tail', '')).toEqual({ kind: 'values', of: 'topic' });
    expect(completing('topics', 'delete', 'a', '')).toEqual({ kind: 'values', of: 'topic' });
    expect(completing('groups', 'describe', '')).toEqual({ kind: 'values', of: 'group' });
    expect(completing('groups', 'reset-offsets', 'g', '--topic', '')).toEqual({ kind: 'values', of: 'topic' });
    expect(completing('schema', 'register', '')).toEqual({ kind: 'values', of: 'subject' });
    expect(completing('-e', '')).toEqual({ kind: 'values', of: 'environment' });
    expect(completing('tail', 't', '--profile', '')).toEqual({ kind: 'values', of: 'profile' });
    expect(completing('produce', 't', '--format', '')).toEqual({ kind: 'words', words: ['json', 'avro', 'string', 'bytes'] });
    expect(completing('completion', '')).toEqual({ kind: 'words', words: ['bash', 'zsh', 'fish'] });
    expect(completing('produce', 't', '--schema', '')).toEqual({ kind: 'files' });
    expect(completing('produce', 't', '--value', '')).toEqual({ kind: 'none' });
  });

  it('skips flag values when counting arguments, and keeps the global flags typed', () => {
    const request = complete(program, ['-e', 'prod', '--file', 'other.yaml', 'tail', '-n', '5', '']);
    expect(request).toEqual({ completion: { kind: 'values', of: 'topic' }, globals: { env: 'prod', file: 'other.yaml' } });
    expect(complete(program, ['--env=prod', 'groups', 'describe', '']).globals).toEqual({ env: 'prod' });
    // The topic is given: tail takes nothing more.
    expect(completing('tail', 'sensor-data', '')).toEqual({ kind: 'none' });
  });
});
