import { relative, resolve } from 'node:path';
import type { CommandContext } from '../../cli/context.js';
import type { CommandOptions, CommandRun } from '../../cli/spec.js';
import { AuthError, ExitCode, UnavailableError, UsageError } from '../../core/errors.js';
import { checkAgainstHistory, DEFAULT_COMPATIBILITY, type CheckReport, type CompatibilityLevel, type ParsedSchema, type RegistryCheck } from '../../core/schemas/index.js';
import { renderCheck } from '../../render/schema.js';
import { againstVersions, historyEntries, historySource, historyVersions, registryVersions, type KnownVersion } from './history.js';
import { compatibilityLevel, loadSchemaFile, projectSubjects, registryConfigured, registryOf, schemaDirsOf, subjectStrategy } from './shared.js';

/** The subjects topics.yaml registers this file under, with their levels. */
async function mappedSubjects(ctx: CommandContext, file: string, options: CommandOptions): Promise<{ subject: string; level: CompatibilityLevel | undefined }[]> {
  if (!(await ctx.project())) return [];
  const { subjects } = await projectSubjects(ctx, undefined, subjectStrategy(options));
  return subjects.filter((s) => s.schema?.path === file).map((s) => ({ subject: s.subject, level: s.level }));
}

/** Why the registry is not asked, or undefined when it is to be. */
async function registrySkipped(ctx: CommandContext, options: CommandOptions): Promise<string | undefined> {
  if (options.offline === true) return 'offline (--offline)';
  if (!(await registryConfigured(ctx))) return 'no registry configured (--schema-registry, SCHEMA_REGISTRY_URL or topics.yaml)';
  return undefined;
}

/** The registry's own verdict for each subject; an unreachable registry leaves the offline verdict standing (CI may run without one). */
export async function askRegistry(ctx: CommandContext, candidate: ParsedSchema, subjects: readonly string[], options: CommandOptions): Promise<RegistryCheck> {
  const { settings } = await ctx.settings();
  const url = settings.schemaRegistry.url;
  const skipped = await registrySkipped(ctx, options);
  if (skipped) return { url, asked: false, note: skipped, verdicts: [] };
  if (subjects.length === 0) return { url, asked: false, note: 'no subject: pass --subject, or map the file to a topic in topics.yaml', verdicts: [] };
  const registry = await registryOf(ctx);
  const { registryVerdict } = await import('../../adapters/registry/compatibility.js');
  const verdicts: RegistryCheck['verdicts'] = [];
  try {
    for (const subject of subjects) verdicts.push({ subject, ...(await registryVerdict(registry, subject, { schema: candidate.registrationForm })) });
  } catch (error) {
    if (!(error instanceof UnavailableError || error instanceof AuthError)) throw error;
    ctx.out.warn(`${error.message}; the verdict is the offline one only`);
    return { url, asked: false, note: error.message, verdicts };
  }
  return { url, asked: true, verdicts };
}

/** Without --against or --history: the registered versions of the file's one subject. */
async function registryHistory(ctx: CommandContext, subjects: readonly string[], options: CommandOptions): Promise<KnownVersion[]> {
  const skipped = await registrySkipped(ctx, options);
  const usage = 'iotmsg schema check schemas/sensor-data.avsc --against main  (or --history, or --against old.avsc)';
  if (skipped) {
    const why = options.offline === true ? '--offline leaves out the registry' : "or configure a registry to read the subject's versions from";
    throw new UsageError(`nothing to check against: give --against or --history, ${why}`, { hint: `e.g. ${usage}` });
  }
  if (subjects.length !== 1) {
    throw new UsageError(subjects.length === 0 ? 'nothing to check against: the file maps to no subject of topics.yaml' : `the file maps to ${subjects.length} subjects (${subjects.join(', ')}): name one with --subject`, {
      hint: `or give the older versions: ${usage}`,
    });
  }
  return registryVersions(ctx, subjects[0]!);
}

/**
 * `schema check <file>`: judges the file against older versions (--against, repeatable,
 * oldest first; --history; else the registry's versions) at the subject's level, and asks
 * a configured registry too; exit 4 when refused. Without a file, the CI gate (gate.ts).
 */
export const run: CommandRun = async (ctx, args, options) => {
  if (args.length === 0) return (await import('./gate.js')).run(ctx, args, options);
  const source = historySource(options);
  const file = resolve(ctx.cwd, args[0]!);
  const schemaDirs = await schemaDirsOf(ctx, options);
  const candidate = await loadSchemaFile(file, {}, schemaDirs);
  const mapped = await mappedSubjects(ctx, file, options);
  const subjects = typeof options.subject === 'string' ? [options.subject] : mapped.map((m) => m.subject);
  const history =
    'against' in source ? await againstVersions(ctx, file, source.against, schemaDirs) : 'history' in source ? await historyVersions(file, source.history, schemaDirs) : await registryHistory(ctx, subjects, options);

  const flagLevel = compatibilityLevel(options.level, '--level');
  const mappedLevel = mapped.find((m) => m.level !== undefined)?.level;
  const level = flagLevel ?? mappedLevel ?? DEFAULT_COMPATIBILITY;
  const result = checkAgainstHistory(candidate.schema, history, level);
  const report: CheckReport = {
    file: relative(ctx.cwd, file),
    level,
    levelFrom: flagLevel ? 'flag' : mappedLevel ? 'topics.yaml' : 'default',
    history: historyEntries(history),
    checked: result.checked,
    broke: result.broke,
    compatible: result.compatible,
    incompatibilities: result.incompatibilities,
    registry: await askRegistry(ctx, candidate, subjects, options),
  };
  await ctx.out.result(report, renderCheck);
  const refused = !report.compatible || report.registry.verdicts.some((v) => !v.compatible);
  return refused ? ExitCode.incompatible : undefined;
};
