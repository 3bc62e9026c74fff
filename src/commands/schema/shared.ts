import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { RegistryClient } from '../../adapters/registry/client.js';
import type { CommandContext } from '../../cli/context.js';
import type { CommandOptions } from '../../cli/spec.js';
import { formatDiagnostic, type Diagnostic } from '../../core/diagnostics.js';
import { InputError, UsageError } from '../../core/errors.js';
import {
  COMPATIBILITY_LEVELS,
  desiredSubjects,
  parseSchemaFiles,
  parseSchemaWithNeighbours,
  SUBJECT_NAME_STRATEGIES,
  type CompatibilityLevel,
  type DesiredSubject,
  type ParsedSchema,
  type ParseOptions,
  type SchemaFile,
  type SchemaFilesResult,
  type SubjectNameStrategy,
} from '../../core/schemas/index.js';
import { didYouMean } from '../../core/topics/didYouMean.js';

/** The registry client of the command, bounded by --timeout and stopped by Ctrl-C. */
export async function registryOf(ctx: CommandContext): Promise<RegistryClient> {
  const { settings } = await ctx.settings();
  const { createRegistryClient } = await import('../../adapters/registry/client.js');
  return createRegistryClient(settings.schemaRegistry, {
    timeoutMs: settings.timeoutMs,
    signal: ctx.signal,
    debug: (line) => ctx.out.debug(line),
  });
}

/** Whether a registry URL was given (flag, env or topics.yaml) rather than defaulted. */
export async function registryConfigured(ctx: CommandContext): Promise<boolean> {
  const { origins } = await ctx.settings();
  return origins['schemaRegistry.url']?.source !== 'default';
}

export function compatibilityLevel(value: unknown, flag: string): CompatibilityLevel | undefined {
  if (value === undefined) return undefined;
  const level = String(value).toUpperCase();
  if ((COMPATIBILITY_LEVELS as readonly string[]).includes(level)) return level as CompatibilityLevel;
  throw new UsageError(`${flag} "${String(value)}" is not a compatibility level`, {
    hint: didYouMean(level, COMPATIBILITY_LEVELS) ?? `use one of ${COMPATIBILITY_LEVELS.join(', ')}`,
  });
}

export function subjectStrategy(options: CommandOptions): SubjectNameStrategy {
  const value = String(options.subjectStrategy ?? 'topic');
  if ((SUBJECT_NAME_STRATEGIES as readonly string[]).includes(value)) return value as SubjectNameStrategy;
  throw new UsageError(`--subject-strategy "${value}" is not a strategy`, { hint: `use one of ${SUBJECT_NAME_STRATEGIES.join(', ')}` });
}

export function positiveVersion(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const version = Number(value);
  if (!Number.isInteger(version) || version < 1) throw new UsageError(`version "${String(value)}" is not a version number`, { hint: 'versions count from 1' });
  return version;
}

/** Every .avsc file of a directory, read. */
export async function schemaFilesIn(dir: string): Promise<SchemaFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.avsc')).sort();
  } catch (error) {
    throw new InputError(`cannot read schema directory ${dir}: ${(error as Error).message}`, { cause: error });
  }
  return Promise.all(names.map(async (name) => ({ path: join(dir, name), text: await readFile(join(dir, name), 'utf8') })));
}

export async function readSchemaFile(path: string): Promise<SchemaFile> {
  try {
    return { path, text: await readFile(path, 'utf8') };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputError(`cannot read ${path}: ${reason}`, { cause: error });
  }
}

/** The first error of a file set as one line; the rest are counted in the hint. */
export function invalidInput(diagnostics: readonly Diagnostic[], fallback: string): InputError {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  return new InputError(first ? formatDiagnostic(first) : fallback, {
    hint: errors.length > 1 ? `${errors.length - 1} more problem(s); run "iotmsg validate" to see them all` : 'run "iotmsg validate" for details',
  });
}

/** A schema file parsed with its neighbours, or the InputError naming its first problem. */
export function parseOrFail(target: SchemaFile, neighbours: readonly SchemaFile[], options: ParseOptions = {}): ParsedSchema {
  const { schema, diagnostics } = parseSchemaWithNeighbours(target, neighbours, options);
  if (!schema) throw invalidInput(diagnostics, `${target.path} is not a valid Avro schema`);
  return schema;
}

/**
 * One .avsc file, with the files beside it and those of `schemaDirs` (the project's
 * schemas folder) for the named types it uses, so a file outside schemas/ can use them.
 */
export async function loadSchemaFile(path: string, options: ParseOptions = {}, schemaDirs: readonly string[] = []): Promise<ParsedSchema> {
  const dirs = [...new Set([dirname(path), ...schemaDirs])];
  const neighbours = (await Promise.all(dirs.map(schemaFilesIn))).flat();
  return parseOrFail(await readSchemaFile(path), neighbours, options);
}

/** Where named types are looked for besides a file's own folder: --schemas-dir, else the project's schemas/ (if it has one). */
export async function schemaDirsOf(ctx: CommandContext, options: CommandOptions): Promise<string[]> {
  if (typeof options.schemasDir === 'string') {
    const dir = resolve(ctx.cwd, options.schemasDir);
    if (!existsSync(dir)) throw new UsageError(`--schemas-dir ${options.schemasDir}: no such folder`);
    return [dir];
  }
  const project = await ctx.project();
  const dir = join(project ? dirname(project.file) : ctx.cwd, 'schemas');
  return existsSync(dir) ? [dir] : [];
}

export interface ProjectSubjects {
  envName: string;
  projectFile: string;
  subjects: DesiredSubject[];
}

/** Every schema file of an environment (those topics.yaml names and those beside them), parsed together. */
export interface ProjectSchemaSet extends ProjectSubjects {
  /** The files topics.yaml names, absolute. */
  written: string[];
  files: SchemaFile[];
  parsed: SchemaFilesResult;
  diagnostics: readonly Diagnostic[];
}

/**
 * The schemas of an environment, parsed together with every .avsc beside them (named
 * types may live in other files), and the subjects topics.yaml wants. A file that does
 * not parse has no subject here; `projectSubjects` refuses that, the CI gate reports it.
 */
export async function projectSchemaSet(ctx: CommandContext, env: string | undefined, strategy: SubjectNameStrategy): Promise<ProjectSchemaSet> {
  const loaded = await ctx.requireProject();
  const envName = env ?? (await ctx.settings()).settings.env ?? loaded.defaultEnvironment;
  if (envName === undefined) throw new InputError(`${loaded.file} defines no environments`, { hint: 'add an environment, e.g. "environments: { dev: {} }"' });
  const topics = loaded.environment(envName).topics;
  const base = dirname(loaded.file);
  const written = [...new Set(topics.flatMap((t) => [t.keySchema?.schema, t.valueSchema?.schema]).filter((f): f is string => f !== undefined))].map((f) => resolve(base, f));
  const dirs = [...new Set(written.map((f) => dirname(f)))];
  const files = (await Promise.all(dirs.map(schemaFilesIn))).flat();
  for (const file of written) {
    if (!files.some((f) => f.path === file)) await readSchemaFile(file);
  }
  const parsed = parseSchemaFiles(files);
  const desired = desiredSubjects(loaded.file, topics, (f) => parsed.schemas.get(resolve(base, f)), strategy);
  return { envName, projectFile: loaded.file, subjects: desired.subjects, written, files, parsed, diagnostics: desired.diagnostics };
}

/** The subjects topics.yaml wants in an environment; an InputError when any schema does not parse. */
export async function projectSubjects(ctx: CommandContext, env: string | undefined, strategy: SubjectNameStrategy): Promise<ProjectSubjects> {
  const set = await projectSchemaSet(ctx, env, strategy);
  const broken = set.written.find((f) => !set.parsed.schemas.has(f));
  if (broken !== undefined) {
    const own = set.parsed.diagnostics.filter((d) => d.file === broken);
    throw invalidInput(own.some((d) => d.severity === 'error') ? own : set.parsed.diagnostics, `${relative(ctx.cwd, broken)} is not a valid Avro schema`);
  }
  if (set.diagnostics.length > 0) throw invalidInput(set.diagnostics, `${set.projectFile} maps topics to subjects it cannot name`);
  return { envName: set.envName, projectFile: set.projectFile, subjects: set.subjects };
}

/** Runs `work` over items, at most `limit` at a time, keeping their order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
