import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { CommandRun } from '../../cli/spec.js';
import { OperationError } from '../../core/errors.js';
import { MANIFEST_FILE, manifestText, parseManifest, versionFile, EXPORT_FORMAT, EXPORT_FORMAT_VERSION, type ExportedSubject, type ExportManifest } from '../../core/schemas/transfer.js';
import { renderExport } from '../../render/schema.js';
import { mapLimit, registryOf } from './shared.js';

/** The files an earlier export in this folder wrote, so a subject deleted since leaves no stale file behind. */
async function earlierFiles(dir: string): Promise<string[]> {
  try {
    const earlier = parseManifest(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
    return 'manifest' in earlier ? earlier.manifest.subjects.flatMap((s) => s.versions.map((v) => v.file)) : [];
  } catch {
    return [];
  }
}

/** `schema export <dir>`: every subject, version, id, level and reference of the registry, as files to commit. */
export const run: CommandRun = async (ctx, args) => {
  const dir = resolve(ctx.cwd, args[0]!);
  const registry = await registryOf(ctx);
  const [names, globalLevel] = await Promise.all([registry.subjects(), registry.compatibility()]);
  const progress = ctx.out.progress('reading the registry');
  const schemas: { file: string; text: string }[] = [];
  let subjects: ExportedSubject[];
  try {
    subjects = await mapLimit([...names].sort(), 8, async (subject): Promise<ExportedSubject> => {
      progress.update(subject);
      const [versions, level] = await Promise.all([registry.versions(subject), registry.compatibility(subject)]);
      const stored = await Promise.all(versions.map((v) => registry.version(subject, v)));
      return {
        subject,
        level: level ?? null,
        versions: stored.map((s) => {
          const file = versionFile(subject, s.version, s.schemaType);
          schemas.push({ file, text: s.schema });
          return { version: s.version, id: s.id, schemaType: s.schemaType, file, references: s.references };
        }),
      };
    });
  } finally {
    progress.done();
  }
  const manifest: ExportManifest = { format: EXPORT_FORMAT, formatVersion: EXPORT_FORMAT_VERSION, globalLevel: globalLevel ?? null, subjects };
  const written = new Set(schemas.map((s) => s.file));
  try {
    const stale = (await earlierFiles(dir)).filter((f) => !written.has(f));
    await Promise.all(stale.map((f) => rm(join(dir, f), { force: true })));
    for (const schema of schemas) {
      await mkdir(dirname(join(dir, schema.file)), { recursive: true });
      await writeFile(join(dir, schema.file), schema.text);
    }
    await writeFile(join(dir, MANIFEST_FILE), manifestText(manifest));
  } catch (error) {
    throw new OperationError(`cannot write the export to ${dir}: ${(error as Error).message}`, { cause: error });
  }
  await ctx.out.result({ dir: args[0]!, subjects: subjects.length, versions: schemas.length, manifest }, renderExport);
};
