import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { CommandContext } from '../../cli/context.js';
import type { CommandOptions, CommandRun } from '../../cli/spec.js';
import { formatDiagnostic } from '../../core/diagnostics.js';
import { ExitCode, InputError, UsageError } from '../../core/errors.js';
import {
  canonicalForm,
  checkAgainstHistory,
  DEFAULT_COMPATIBILITY,
  type CompatibilityLevel,
  type DesiredSubject,
  type GateEntry,
  type GateReport,
  type ParsedSchema,
} from '../../core/schemas/index.js';
import { renderGate } from '../../render/schema.js';
import { askRegistry } from './check.js';
import { schemasAtRevision } from './git.js';
import { historyVersions, parseSnapshot, type KnownVersion } from './history.js';
import { projectSchemaSet, schemaDirsOf, subjectStrategy, type ProjectSchemaSet } from './shared.js';

/** The one revision the gate compares with; files and --history belong to `schema check <file>`. */
function gateRevision(ctx: CommandContext, options: CommandOptions): string {
  const against = Array.isArray(options.against) ? options.against.map(String) : [];
  const usage = { hint: 'e.g. iotmsg schema check --against origin/main   (or name a file: iotmsg schema check <file> ...)' };
  if (options.history !== undefined) throw new UsageError('--history needs a file: iotmsg schema check <file> --history', usage);
  if (against.length !== 1) throw new UsageError(against.length === 0 ? 'give a schema file, or --against <revision> to check every schema changed since' : 'without a file, give one --against revision', usage);
  if (existsSync(resolve(ctx.cwd, against[0]!))) throw new UsageError(`without a file, --against is a git revision, and "${against[0]}" is a file`, usage);
  return against[0]!;
}

/** The file's subjects, one group per level (two topics may give one file different levels). */
function subjectGroups(subjects: readonly DesiredSubject[], path: string): { level: CompatibilityLevel; subjects: string[] }[] {
  const mine = subjects.filter((s) => s.schema?.path === path);
  if (mine.length === 0) return [{ level: DEFAULT_COMPATIBILITY, subjects: [] }];
  const levels = [...new Set(mine.map((s) => s.level ?? DEFAULT_COMPATIBILITY))];
  return levels.map((level) => ({ level, subjects: mine.filter((s) => (s.level ?? DEFAULT_COMPATIBILITY) === level).map((s) => s.subject) }));
}

function firstProblem(set: ProjectSchemaSet, path: string): string {
  const errors = set.parsed.diagnostics.filter((d) => d.severity === 'error');
  const own = errors.find((d) => d.file === path) ?? errors[0];
  return own ? formatDiagnostic(own) : 'not a valid Avro schema';
}

/** The version at the revision, unless it is missing or does not parse there (then the file counts as new). */
function olderVersion(snapshot: Parameters<typeof parseSnapshot>[0] | undefined): KnownVersion | undefined {
  if (!snapshot) return undefined;
  try {
    return parseSnapshot(snapshot);
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

async function judge(
  ctx: CommandContext,
  options: CommandOptions,
  revision: string,
  schemaDirs: readonly string[],
  file: string,
  current: ParsedSchema,
  older: KnownVersion,
  group: { level: CompatibilityLevel; subjects: string[] },
): Promise<GateEntry> {
  const history = group.level.endsWith('_TRANSITIVE') ? await historyVersions(current.path, revision, schemaDirs) : [older];
  const result = checkAgainstHistory(current.schema, history, group.level);
  const registry = await askRegistry(ctx, current, group.subjects, options);
  const refused = registry.verdicts.find((v) => !v.compatible);
  const compatible = result.compatible && !refused;
  return {
    file,
    change: 'changed',
    subjects: group.subjects,
    level: group.level,
    checked: result.checked,
    broke: result.broke,
    verdict: compatible ? 'compatible' : 'incompatible',
    ...(compatible ? {} : { problem: result.incompatibilities[0]?.message ?? refused?.reasons[0] ?? `the registry refuses it for ${refused?.subject}` }),
    incompatibilities: result.incompatibilities,
    registry,
  };
}

/**
 * The CI gate: every schema file of the project that changed since the revision (its
 * own text or a named type it uses), judged at each subject's level from topics.yaml,
 * transitive levels against the file's whole history. A file new since the revision
 * is reported as new, and judged by the registry when one is configured.
 * Exit 65 when a file is invalid, else 4 when one is incompatible, else 0.
 */
export const run: CommandRun = async (ctx, _args, options) => {
  const revision = gateRevision(ctx, options);
  const set = await projectSchemaSet(ctx, undefined, subjectStrategy(options));
  const schemaDirs = await schemaDirsOf(ctx, options);
  const paths = set.files.map((f) => f.path);
  const atRevision = await schemasAtRevision(paths, revision, '--against', schemaDirs);
  const entries: GateEntry[] = [];
  for (const [index, path] of paths.entries()) {
    const file = relative(ctx.cwd, path);
    const current = set.parsed.schemas.get(path);
    if (!current) {
      const registry = { url: '', asked: false, note: 'invalid', verdicts: [] };
      entries.push({ file, change: atRevision[index] ? 'changed' : 'new', subjects: [], level: DEFAULT_COMPATIBILITY, checked: [], broke: [], verdict: 'invalid', problem: firstProblem(set, path), incompatibilities: [], registry });
      continue;
    }
    const older = olderVersion(atRevision[index]);
    if (older && canonicalForm(older.schema) === canonicalForm(current.schema)) continue;
    for (const group of subjectGroups(set.subjects, path)) {
      if (older) {
        entries.push(await judge(ctx, options, revision, schemaDirs, file, current, older, group));
        continue;
      }
      const registry = await askRegistry(ctx, current, group.subjects, options);
      const refused = registry.verdicts.find((v) => !v.compatible);
      entries.push({
        file,
        change: 'new',
        subjects: group.subjects,
        level: group.level,
        checked: [],
        broke: [],
        verdict: refused ? 'incompatible' : 'new',
        ...(refused ? { problem: refused.reasons[0] ?? `the registry refuses it for ${refused.subject}` } : {}),
        incompatibilities: [],
        registry,
      });
    }
  }
  const report: GateReport = { against: revision, files: entries };
  await ctx.out.result(report, renderGate);
  if (entries.some((e) => e.verdict === 'invalid')) return ExitCode.input;
  return entries.some((e) => e.verdict === 'incompatible') ? ExitCode.incompatible : ExitCode.ok;
};
