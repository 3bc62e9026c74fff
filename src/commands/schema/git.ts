import { basename, dirname, join } from 'node:path';
import { InputError, UnavailableError, UsageError } from '../../core/errors.js';
import type { SchemaFile } from '../../core/schemas/index.js';

interface GitFailure {
  code?: string;
  stderr?: string;
  exitCode?: number;
}

async function git(args: string[], cwd: string): Promise<{ ok: true; stdout: string } | { ok: false; stderr: string }> {
  const { execa } = await import('execa');
  try {
    const { stdout } = await execa('git', args, { cwd, stripFinalNewline: false });
    return { ok: true, stdout };
  } catch (error) {
    const failure = error as GitFailure;
    if (failure.code === 'ENOENT') throw new UnavailableError('cannot run git: it is not installed', { hint: 'install git, or give --against an older .avsc file' });
    return { ok: false, stderr: (failure.stderr ?? '').trim() };
  }
}

/**
 * A schema file as it was at a git revision, with the .avsc files beside it at that
 * revision (for the named types it uses), read with `git show REV:./path`. The files
 * keep their working-tree paths so diagnostics name the file the user knows.
 */
export async function schemaAtRevision(file: string, revision: string, label: string): Promise<{ target: SchemaFile; neighbours: SchemaFile[] }> {
  const dir = dirname(file);
  const verified = await git(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], dir);
  if (!verified.ok) {
    throw new UsageError(`--against "${revision}" is neither a file nor a git revision`, { hint: 'give an older .avsc file, or a branch, tag or commit such as main or HEAD~1' });
  }
  const show = async (path: string) => git(['show', `${revision}:./${basename(path)}`], dirname(path));
  const shown = await show(file);
  if (!shown.ok) throw new InputError(`${label} does not exist at ${revision}`, { hint: shown.stderr.split('\n')[0] });
  const listing = await git(['ls-tree', '--name-only', revision], dir);
  const names = listing.ok ? listing.stdout.split('\n').filter((n) => n.endsWith('.avsc') && n !== basename(file)) : [];
  const neighbours = await Promise.all(
    names.map(async (name) => {
      const path = join(dir, name);
      const text = await show(path);
      return text.ok ? [{ path, text: text.stdout }] : [];
    }),
  );
  return { target: { path: file, text: shown.stdout }, neighbours: neighbours.flat() };
}
