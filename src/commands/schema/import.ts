import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RegistryClient } from '../../adapters/registry/client.js';
import type { CommandContext } from '../../cli/context.js';
import type { CommandRun } from '../../cli/spec.js';
import { IncompatibleSchemaError, InputError, OperationError } from '../../core/errors.js';
import type { ImportedVersion, ImportReport } from '../../core/schemas/report.js';
import { importOrder, MANIFEST_FILE, parseManifest, type ExportManifest, type ImportStep } from '../../core/schemas/transfer.js';
import { renderImport } from '../../render/schema.js';
import { registryOf } from './shared.js';

async function readExport(dir: string): Promise<{ manifest: ExportManifest; texts: Map<string, string> }> {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, {
      hint: 'import a folder written by "iotmsg schema export <dir>"',
    });
  }
  const parsed = parseManifest(text);
  if ('problem' in parsed) throw new InputError(`${path}: ${parsed.problem}`);
  const files = parsed.manifest.subjects.flatMap((s) => s.versions.map((v) => v.file));
  const texts = new Map<string, string>();
  for (const file of files) {
    try {
      texts.set(file, await readFile(join(dir, file), 'utf8'));
    } catch (error) {
      throw new InputError(`cannot read ${join(dir, file)}, which ${MANIFEST_FILE} lists: ${(error as Error).message}`, { cause: error });
    }
  }
  return { manifest: parsed.manifest, texts };
}

/**
 * Puts subjects in IMPORT mode (Confluent), so versions keep their ids and numbers.
 * A registry without modes (Apicurio's ccompat API) answers false: it numbers them itself.
 */
async function importMode(registry: RegistryClient, subjects: readonly string[]): Promise<boolean> {
  for (const subject of subjects) {
    if (!(await registry.setMode('IMPORT', subject))) return false;
  }
  return true;
}

async function importStep(registry: RegistryClient, step: ImportStep, text: string, preserving: boolean): Promise<ImportedVersion> {
  const { subject, version } = step;
  const payload = { schema: text, schemaType: version.schemaType, references: version.references };
  const base = { subject, version: version.version, id: version.id };
  const existing = await registry.lookup(subject, payload);
  if (existing) return { ...base, outcome: 'unchanged', targetVersion: existing.version, targetId: existing.id };
  try {
    const { id } = await registry.register(subject, payload, preserving ? { id: version.id, version: version.version } : undefined);
    const stored = await registry.lookup(subject, payload);
    return { ...base, outcome: 'imported', targetVersion: stored?.version ?? version.version, targetId: id };
  } catch (error) {
    if (!(error instanceof IncompatibleSchemaError)) throw error;
    return { ...base, outcome: 'refused', reason: error.message };
  }
}

async function restoreLevels(ctx: CommandContext, registry: RegistryClient, manifest: ExportManifest, imported: readonly ImportedVersion[]): Promise<string[]> {
  const changed: string[] = [];
  for (const s of manifest.subjects) {
    if (s.level === null || imported.some((v) => v.subject === s.subject && v.outcome === 'refused')) continue;
    if ((await registry.compatibility(s.subject)) === s.level) continue;
    await registry.setCompatibility(s.level, s.subject);
    changed.push(s.subject);
  }
  ctx.out.debug(`levels set: ${changed.join(', ') || 'none'}`);
  return changed;
}

/**
 * `schema import <dir>`: writes an export into the registry, oldest id first, skipping
 * what it already holds, then sets the subjects' levels. Ids and version numbers are kept
 * where the registry has an IMPORT mode; elsewhere they are the registry's own, and the
 * report shows both.
 */
export const run: CommandRun = async (ctx, args) => {
  const dir = resolve(ctx.cwd, args[0]!);
  const { manifest, texts } = await readExport(dir);
  const registry = await registryOf(ctx);
  const steps = importOrder(manifest);
  const existing = new Set(await registry.subjects());
  const fresh = manifest.subjects.map((s) => s.subject).filter((s) => !existing.has(s));
  const preserving = fresh.length > 0 && (await importMode(registry, fresh));
  if (!preserving && fresh.length > 0) {
    ctx.out.warn(`the registry at ${registry.url} has no IMPORT mode (Apicurio's ccompat API answers "Operation not supported"): versions get the ids and numbers it hands out; the report shows both`);
  }
  const imported: ImportedVersion[] = [];
  const progress = ctx.out.progress('importing schemas');
  try {
    for (const step of steps) {
      progress.update(`${step.subject} version ${step.version.version}`);
      // A subject in IMPORT mode takes only the versions it is given ids for; one existing before is written as usual.
      imported.push(await importStep(registry, step, texts.get(step.version.file)!, preserving && fresh.includes(step.subject)));
    }
  } finally {
    progress.done();
    if (preserving) await Promise.all(fresh.map((s) => registry.setMode('READWRITE', s)));
  }
  const levels = await restoreLevels(ctx, registry, manifest, imported);
  const report: ImportReport = { idsPreserved: preserving, versions: imported, levelsSet: levels };
  await ctx.out.result(report, renderImport);
  const refused = imported.filter((v) => v.outcome === 'refused');
  if (refused.length > 0) {
    throw new IncompatibleSchemaError(`the registry refused ${refused.length} of ${imported.length} version(s) as incompatible: ${[...new Set(refused.map((r) => r.subject))].join(', ')}`, {
      hint: 'its level refuses the history as it was registered; import with the global level at NONE ("iotmsg schema compat set NONE --global"), then set it back, and run import again',
    });
  }
  if (imported.some((v) => v.outcome === 'imported' && preserving && v.targetId !== v.id)) {
    throw new OperationError('the registry was in IMPORT mode but did not keep every id', { hint: 'the report lists each version with the id it got' });
  }
  return undefined;
};
