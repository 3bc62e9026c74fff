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

/** One .avsc file, with the files beside it for the named types it uses. */
export async function loadSchemaFile(path: string, options: ParseOptions = {}): Promise<ParsedSchema> {
  return parseOrFail(await readSchemaFile(path), await schemaFilesIn(dirname(path)), options);
}

export interface ProjectSubjects {
  envName: string;
  projectFile: string;
  subjects: DesiredSubject[];
}

/**
 * The subjects topics.yaml wants in an environment, with their schemas parsed
 * together with every .avsc beside them (named types may live in other files).
 */
export async function projectSubjects(ctx: CommandContext, env: string | undefined, strategy: SubjectNameStrategy): Promise<ProjectSubjects> {
  const loaded = await ctx.requireProject();
  const envName = env ?? (await ctx.settings()).settings.env ?? loaded.defaultEnvironment;
  if (envName === undefined) throw new InputError(`${loaded.file} defines no environments`, { hint: 'add an environment, e.g. "environments: { dev: {} }"' });
  const topics = loaded.environment(envName).topics;
  const base = dirname(loaded.file);
  const written = [...new Set(topics.flatMap((t) => [t.keySchema?.schema, t.valueSchema?.schema]).filter((f): f is string => f !== undefined))];
  const dirs = [...new Set(written.map((f) => dirname(resolve(base, f))))];
  const files = (await Promise.all(dirs.map(schemaFilesIn))).flat();
  for (const file of written) {
    if (!files.some((f) => f.path === resolve(base, file))) await readSchemaFile(resolve(base, file));
  }
  const { schemas, diagnostics } = parseSchemaFiles(files);
  const broken = written.find((f) => !schemas.has(resolve(base, f)));
  if (broken !== undefined) {
    const path = resolve(base, broken);
    const own = diagnostics.filter((d) => d.file === path);
    throw invalidInput(own.some((d) => d.severity === 'error') ? own : diagnostics, `${relative(ctx.cwd, path)} is not a valid Avro schema`);
  }
  const desired = desiredSubjects(loaded.file, topics, (f) => schemas.get(resolve(base, f)), strategy);
  if (desired.diagnostics.length > 0) throw invalidInput(desired.diagnostics, `${loaded.file} maps topics to subjects it cannot name`);
  return { envName, projectFile: loaded.file, subjects: desired.subjects };
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
