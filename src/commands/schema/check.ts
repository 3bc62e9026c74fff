import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { CommandContext } from '../../cli/context.js';
import type { CommandOptions, CommandRun } from '../../cli/spec.js';
import { AuthError, ExitCode, UnavailableError, UsageError } from '../../core/errors.js';
import { checkCompatibility, DEFAULT_COMPATIBILITY, type CheckReport, type CompatibilityLevel, type ParsedSchema, type RegistryCheck } from '../../core/schemas/index.js';
import { renderCheck } from '../../render/schema.js';
import { schemaAtRevision } from './git.js';
import { compatibilityLevel, loadSchemaFile, parseOrFail, projectSubjects, registryConfigured, registryOf, subjectStrategy } from './shared.js';

/** The older schema: a file if one exists at that path, else the same file at a git revision. */
async function olderSchema(ctx: CommandContext, file: string, against: string): Promise<{ schema: ParsedSchema; kind: 'file' | 'git' }> {
  // Stored versions are not checked for default values, as the registry does not check them.
  const asStored = { validateDefaults: false };
  const path = resolve(ctx.cwd, against);
  if (existsSync(path)) return { schema: await loadSchemaFile(path, asStored), kind: 'file' };
  const { target, neighbours } = await schemaAtRevision(file, against, relative(ctx.cwd, file));
  return { schema: parseOrFail(target, neighbours, asStored), kind: 'git' };
}

/** The subjects topics.yaml registers this file under, with their levels. */
async function mappedSubjects(ctx: CommandContext, file: string, options: CommandOptions): Promise<{ subject: string; level: CompatibilityLevel | undefined }[]> {
  if (!(await ctx.project())) return [];
  const { subjects } = await projectSubjects(ctx, undefined, subjectStrategy(options));
  return subjects.filter((s) => s.schema?.path === file).map((s) => ({ subject: s.subject, level: s.level }));
}

async function askRegistry(ctx: CommandContext, candidate: ParsedSchema, subjects: string[], options: CommandOptions): Promise<RegistryCheck> {
  const { settings } = await ctx.settings();
  const url = settings.schemaRegistry.url;
  if (options.offline === true) return { url, asked: false, note: 'offline (--offline)', verdicts: [] };
  if (!(await registryConfigured(ctx))) return { url, asked: false, note: 'no registry configured (--schema-registry, SCHEMA_REGISTRY_URL or topics.yaml)', verdicts: [] };
  if (subjects.length === 0) return { url, asked: false, note: 'no subject: pass --subject, or map the file to a topic in topics.yaml', verdicts: [] };
  const registry = await registryOf(ctx);
  const { registryVerdict } = await import('../../adapters/registry/compatibility.js');
  const verdicts: RegistryCheck['verdicts'] = [];
  try {
    for (const subject of subjects) verdicts.push({ subject, ...(await registryVerdict(registry, subject, { schema: candidate.registrationForm })) });
  } catch (error) {
    // An unreachable registry leaves the offline verdict standing: CI may run without one.
    if (!(error instanceof UnavailableError || error instanceof AuthError)) throw error;
    ctx.out.warn(`${error.message}; the verdict is the offline one only`);
    return { url, asked: false, note: error.message, verdicts };
  }
  return { url, asked: true, verdicts };
}

/** Judges a schema change offline (and by the registry when one is configured); exit 4 when refused. */
export const run: CommandRun = async (ctx, args, options) => {
  if (typeof options.against !== 'string') throw new UsageError('--against is required: an older .avsc file or a git revision', { hint: 'e.g. iotmsg schema check schemas/sensor-data.avsc --against main' });
  const file = resolve(ctx.cwd, args[0]!);
  const candidate = await loadSchemaFile(file);
  const older = await olderSchema(ctx, file, options.against);
  const mapped = await mappedSubjects(ctx, file, options);

  const flagLevel = compatibilityLevel(options.level, '--level');
  const mappedLevel = mapped.find((m) => m.level !== undefined)?.level;
  const level = flagLevel ?? mappedLevel ?? DEFAULT_COMPATIBILITY;
  const result = checkCompatibility(candidate.schema, [older.schema.schema], level);
  const subjects = typeof options.subject === 'string' ? [options.subject] : mapped.map((m) => m.subject);

  const report: CheckReport = {
    file: relative(ctx.cwd, file),
    against: { kind: older.kind, ref: options.against },
    level,
    levelFrom: flagLevel ? 'flag' : mappedLevel ? 'topics.yaml' : 'default',
    compatible: result.compatible,
    incompatibilities: result.incompatibilities.map(({ previousIndex: _, ...rest }) => rest),
    registry: await askRegistry(ctx, candidate, subjects, options),
  };
  await ctx.out.result(report, renderCheck);
  const refused = !report.compatible || report.registry.verdicts.some((v) => !v.compatible);
  return refused ? ExitCode.incompatible : undefined;
};
