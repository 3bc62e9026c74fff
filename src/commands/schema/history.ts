import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { CommandContext } from '../../cli/context.js';
import { InputError, UsageError } from '../../core/errors.js';
import { distinctVersions, type HistoryEntry, type HistoryVersion } from '../../core/schemas/index.js';
import { schemaAtRevision, schemaHistory, type SchemaSnapshot } from './git.js';
import { storedSchema } from './plan.js';
import { loadSchemaFile, mapLimit, parseOrFail, registryOf } from './shared.js';

export type KnownVersion = HistoryVersion & Pick<HistoryEntry, 'kind'>;

// Older versions are not checked for default values, as the registry does not check stored ones.
const AS_STORED = { validateDefaults: false };

/** A committed version, parsed; a broken one is named by its commit, not only by its path. */
export function parseSnapshot(snapshot: SchemaSnapshot): KnownVersion {
  try {
    return { kind: 'git', label: snapshot.label, schema: parseOrFail(snapshot.target, snapshot.neighbours, AS_STORED).schema };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(`${snapshot.label}: ${error.message}`, { hint: error.hint, cause: error });
  }
}

/** Each --against, oldest first: a file if one exists at that path, else the same file at a git revision. */
export async function againstVersions(ctx: CommandContext, file: string, against: readonly string[], schemaDirs: readonly string[]): Promise<KnownVersion[]> {
  const versions: KnownVersion[] = [];
  for (const ref of against) {
    const path = resolve(ctx.cwd, ref);
    if (existsSync(path)) {
      versions.push({ kind: 'file', label: relative(ctx.cwd, path), schema: (await loadSchemaFile(path, AS_STORED, schemaDirs)).schema });
      continue;
    }
    const snapshot = await schemaAtRevision(file, ref, '--against', schemaDirs);
    if (!snapshot) {
      throw new InputError(`${relative(ctx.cwd, file)} does not exist at ${ref}`, {
        hint: `to check every schema changed since ${ref}, new files included, run "iotmsg schema check --against ${ref}" without a file`,
      });
    }
    versions.push(parseSnapshot(snapshot));
  }
  return distinctVersions(versions);
}

/** --history: every committed version reachable from the revision, identical ones once. */
export async function historyVersions(file: string, revision: string, schemaDirs: readonly string[]): Promise<KnownVersion[]> {
  return distinctVersions((await schemaHistory(file, revision, schemaDirs)).map(parseSnapshot));
}

/** The subject's registered versions, oldest first. */
export async function registryVersions(ctx: CommandContext, subject: string): Promise<KnownVersion[]> {
  const registry = await registryOf(ctx);
  const versions = await registry.existingVersions(subject);
  return mapLimit(versions, 8, async (version) => ({ kind: 'registry' as const, label: `${subject} version ${version}`, schema: await storedSchema(registry, subject, version) }));
}

/** Which history a `schema check <file>` judges against; one source, never several silently merged. */
export function historySource(options: { against?: unknown; history?: unknown }): { against: string[] } | { history: string } | { registry: true } {
  const against = Array.isArray(options.against) ? options.against.map(String) : typeof options.against === 'string' ? [options.against] : [];
  const history = options.history === true ? 'HEAD' : typeof options.history === 'string' ? options.history : undefined;
  if (against.length > 0 && history !== undefined) {
    throw new UsageError('give --against or --history, not both', { hint: 'list every older version with --against (oldest first), or take them all from git with --history' });
  }
  if (history !== undefined) return { history };
  return against.length > 0 ? { against } : { registry: true };
}

export function historyEntries(versions: readonly KnownVersion[]): HistoryEntry[] {
  return versions.map(({ kind, label }) => ({ kind, label }));
}
