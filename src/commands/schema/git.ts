import { dirname, join, posix, relative, sep } from 'node:path';
import { InputError, UnavailableError, UsageError } from '../../core/errors.js';
import type { SchemaFile } from '../../core/schemas/index.js';

interface GitFailure {
  code?: string;
  stderr?: string | Uint8Array;
}

type GitAnswer<T> = { ok: true; stdout: T } | { ok: false; stderr: string };

async function run<T extends string | Uint8Array>(args: string[], cwd: string, options: { input?: string; binary?: boolean }): Promise<GitAnswer<T>> {
  const { execa } = await import('execa');
  try {
    const { stdout } = await execa('git', args, { cwd, stripFinalNewline: false, encoding: options.binary ? 'buffer' : 'utf8', ...(options.input === undefined ? {} : { input: options.input }) });
    return { ok: true, stdout: stdout as T };
  } catch (error) {
    const failure = error as GitFailure;
    if (failure.code === 'ENOENT') throw new UnavailableError('cannot run git: it is not installed', { hint: 'install git, or give --against an older .avsc file' });
    return { ok: false, stderr: Buffer.from(failure.stderr ?? '').toString('utf8').trim() };
  }
}

const git = (args: string[], cwd: string) => run<string>(args, cwd, {});

/** A schema file as one commit has it, with the .avsc files of the folders that may define its named types. */
export interface SchemaSnapshot {
  /** e.g. "HEAD:schemas/sensor-data.avsc" or "3f2a1c0:schemas/sensor-data.avsc" (git's own name for the blob). */
  label: string;
  target: SchemaFile;
  neighbours: SchemaFile[];
}

/** The repository a file is in, and the file's path in it (with "/"). */
export async function repositoryOf(file: string): Promise<{ root: string; path: string }> {
  const top = await git(['rev-parse', '--show-toplevel'], dirname(file));
  if (!top.ok) throw new UsageError(`${file} is not in a git repository`, { hint: 'compare with older .avsc files instead: --against old.avsc' });
  const root = top.stdout.trim();
  return { root, path: relative(root, file).split(sep).join('/') };
}

/** The commit a revision names; a UsageError naming the option when it names none. */
export async function resolveRevision(root: string, revision: string, option: string): Promise<string> {
  const verified = await git(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], root);
  if (!verified.ok) {
    throw new UsageError(`${option} "${revision}" is neither a file nor a git revision`, { hint: 'give an older .avsc file, or a branch, tag or commit such as main or HEAD~1' });
  }
  return verified.stdout.trim();
}

/** Objects read in one `git cat-file --batch`: an answer per name, undefined for a missing one. */
async function catFiles(root: string, names: readonly string[]): Promise<(Buffer | undefined)[]> {
  if (names.length === 0) return [];
  const answer = await run<Uint8Array>(['cat-file', '--batch'], root, { input: `${names.join('\n')}\n`, binary: true });
  if (!answer.ok) throw new InputError(`git cannot read the repository at ${root}: ${answer.stderr.split('\n')[0]}`);
  const out = Buffer.from(answer.stdout);
  const objects: (Buffer | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < names.length; i++) {
    const end = out.indexOf(0x0a, at);
    const header = out.subarray(at, end).toString('utf8');
    at = end + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      objects.push(undefined);
      continue;
    }
    const size = Number(header.split(' ')[2]);
    objects.push(out.subarray(at, at + size));
    at += size + 1;
  }
  return objects;
}

/** The .avsc entries (name → blob id) of a binary tree object; ids are 20 bytes (SHA-1) or 32 (SHA-256). */
function avscEntries(tree: Buffer, idBytes: number): Map<string, string> {
  const entries = new Map<string, string>();
  let at = 0;
  while (at < tree.length) {
    const nul = tree.indexOf(0, at);
    const [mode, ...name] = tree.subarray(at, nul).toString('utf8').split(' ');
    const id = tree.subarray(nul + 1, nul + 1 + idBytes).toString('hex');
    at = nul + 1 + idBytes;
    const file = name.join(' ');
    if (mode !== '40000' && file.endsWith('.avsc')) entries.set(file, id);
  }
  return entries;
}

/**
 * Snapshots of files at commits, read with two `git cat-file --batch` calls in all
 * (the folders' trees, then every distinct blob) however long the history: the file's
 * own folder and `schemaDirs` (repository paths) give the neighbours. A file absent
 * at its commit has no snapshot.
 */
async function snapshots(root: string, wanted: readonly { commit: string; path: string; label: string }[], schemaDirs: readonly string[]): Promise<(SchemaSnapshot | undefined)[]> {
  const dirsOf = (path: string) => [...new Set([posix.dirname(path), ...schemaDirs])];
  const treeNames = [...new Set(wanted.flatMap((w) => dirsOf(w.path).map((d) => `${w.commit}:${d === '.' ? '' : d}`)))];
  const trees = new Map(treeNames.map((name, i) => [name, i]));
  const treeObjects = await catFiles(root, treeNames);
  const listings = wanted.map((w) => {
    const files = new Map<string, string>();
    for (const dir of dirsOf(w.path)) {
      const tree = treeObjects[trees.get(`${w.commit}:${dir === '.' ? '' : dir}`)!];
      if (!tree) continue;
      for (const [name, id] of avscEntries(tree, w.commit.length / 2)) files.set(dir === '.' ? name : `${dir}/${name}`, id);
    }
    return files;
  });
  const blobIds = [...new Set(listings.flatMap((l) => [...l.values()]))];
  const blobs = await catFiles(root, blobIds);
  const text = new Map(blobIds.map((id, i) => [id, blobs[i]!.toString('utf8')]));
  return wanted.map((w, i) => {
    const listing = listings[i]!;
    const own = listing.get(w.path);
    if (own === undefined) return undefined;
    const file = (path: string, id: string): SchemaFile => ({ path: join(root, path), text: text.get(id)! });
    return { label: w.label, target: file(w.path, own), neighbours: [...listing].filter(([path]) => path !== w.path).map(([path, id]) => file(path, id)) };
  });
}

/** Files (of one repository) as they are at a revision, by their paths today; undefined for one that does not exist there. */
export async function schemasAtRevision(files: readonly string[], revision: string, option: string, schemaDirs: readonly string[]): Promise<(SchemaSnapshot | undefined)[]> {
  if (files.length === 0) return [];
  const { root } = await repositoryOf(files[0]!);
  const commit = await resolveRevision(root, revision, option);
  const wanted = files.map((file) => {
    const path = repoPath(root, file);
    return { commit, path, label: `${revision}:${path}` };
  });
  return snapshots(root, wanted, schemaDirs.map((d) => repoPath(root, d)));
}

export async function schemaAtRevision(file: string, revision: string, option: string, schemaDirs: readonly string[]): Promise<SchemaSnapshot | undefined> {
  return (await schemasAtRevision([file], revision, option, schemaDirs))[0];
}

/**
 * Every committed version of the file reachable from the revision, oldest first,
 * following renames (`git log --follow`); a commit deleting the file has none.
 */
export async function schemaHistory(file: string, revision: string, schemaDirs: readonly string[]): Promise<SchemaSnapshot[]> {
  const { root, path } = await repositoryOf(file);
  const commit = await resolveRevision(root, revision, '--history');
  const log = await git(['log', '--follow', '--name-status', '--no-merges', '--format=%x00%H %h', commit, '--', path], root);
  if (!log.ok) throw new InputError(`git cannot list the history of ${path}: ${log.stderr.split('\n')[0]}`);
  const wanted = log.stdout
    .split('\0')
    .slice(1)
    .flatMap((chunk) => {
      const [head, ...lines] = chunk.split('\n').filter((l) => l !== '');
      const [full, short] = head!.split(' ');
      const status = lines.at(-1)?.split('\t');
      if (!status || status[0] === 'D') return [];
      const at = status.at(-1)!;
      return [{ commit: full!, path: at, label: `${short}:${at}` }];
    })
    .reverse();
  const found = await snapshots(root, wanted, schemaDirs.map((d) => repoPath(root, d)));
  return found.filter((s): s is SchemaSnapshot => s !== undefined);
}

/** A path in the repository, with "/" ("." for its root). */
function repoPath(root: string, dir: string): string {
  const rel = relative(root, dir).split(sep).join('/');
  return rel === '' ? '.' : rel;
}
