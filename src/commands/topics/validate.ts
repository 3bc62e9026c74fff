import { existsSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { CommandRun } from '../../cli/spec.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import { ExitCode, InputError } from '../../core/errors.js';
import { parseSchemaFiles, type SchemaFile } from '../../core/schemas/index.js';
import { closestMatch } from '../../core/topics/didYouMean.js';
import { selectedEnvName } from '../../core/config/settings.js';
import { loadTopicsFile, resolveEnvironment, type Project } from '../../core/topics/index.js';
import { renderValidation, type Validation } from '../../render/topics.js';

const SCHEMA_DIR = 'schemas';
const BOM = '\uFEFF';

/** NUL bytes or bytes that are not UTF-8: not a text file, whatever its name says. */
function isBinary(bytes: Buffer): boolean {
  return bytes.includes(0) || !isUtf8(bytes);
}

async function readSchemaFile(path: string, shown: string): Promise<SchemaFile> {
  try {
    return { path: shown, text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`cannot read schema file ${shown}: ${why}`, { cause: error, hint: 'a .avsc must be a readable file' });
  }
}

/** A BOM is invisible in editors and JSON.parse fails on it with a baffling message. */
function bomDiagnostic(file: SchemaFile): Diagnostic {
  return {
    severity: 'error',
    file: file.path,
    line: 1,
    column: 1,
    code: 'byte-order-mark',
    message: 'the file starts with a UTF-8 byte order mark (BOM), which a schema must not have',
    hint: 'save it as UTF-8 without BOM',
  };
}

/** How a path reads in messages: relative to where the user is, when it is below it. */
function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

async function schemaDirFiles(projectDir: string): Promise<string[]> {
  try {
    const names = await readdir(join(projectDir, SCHEMA_DIR));
    return names.filter((n) => n.endsWith('.avsc')).sort().map((n) => `${SCHEMA_DIR}/${n}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new InputError(`cannot read ${join(projectDir, SCHEMA_DIR)}: ${(error as Error).message}`, { cause: error });
  }
}

/** Schema references of topics.yaml whose file is missing, as diagnostics at the reference. */
function missingReferences(project: Project, projectDir: string, known: readonly string[], file: string): { diagnostics: Diagnostic[]; referenced: string[] } {
  const diagnostics: Diagnostic[] = [];
  const referenced: string[] = [];
  for (const topic of project.topics) {
    for (const [role, ref] of [['keySchema', topic.keySchema], ['valueSchema', topic.valueSchema]] as const) {
      if (ref?.schema === undefined) continue;
      if (existsSync(join(projectDir, ref.schema))) {
        referenced.push(ref.schema);
        continue;
      }
      const near = closestMatch(ref.schema, known);
      diagnostics.push({
        severity: 'error',
        file,
        line: ref.source.line,
        column: ref.source.column,
        code: 'missing-schema-file',
        message: `schema file "${ref.schema}" of topic "${topic.name}" (${role}) does not exist`,
        hint: near === undefined ? `paths are relative to ${file}` : `did you mean "${near}"?`,
      });
    }
  }
  return { diagnostics, referenced };
}

/**
 * Offline checks for a pre-commit hook: every problem of topics.yaml, every .avsc
 * in schemas/ (and any other the file refers to), and the references between them.
 */
export const run: CommandRun = async (ctx) => {
  const path = ctx.projectPath;
  const file = shownPath(ctx.cwd, path);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`no project file at ${path}`, { hint: 'create topics.yaml, or name one with --file' });
    throw new InputError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (isBinary(bytes)) throw new InputError(`${file} is not a text file: it holds binary data`, { hint: 'topics.yaml must be YAML text (UTF-8)' });
  const projectDir = dirname(path);
  const { project, diagnostics } = loadTopicsFile(bytes.toString('utf8'), file);
  const envName = selectedEnvName(ctx.options, ctx.environment);
  // An environment the file does not have is a configuration error, as for plan (78).
  if (project !== undefined && envName !== undefined) resolveEnvironment(project, envName);
  const inSchemaDir = await schemaDirFiles(projectDir);
  const references = project === undefined ? { diagnostics: [], referenced: [] } : missingReferences(project, projectDir, inSchemaDir, file);
  const schemaPaths = [...new Set([...inSchemaDir, ...references.referenced])];
  const schemaFiles = await Promise.all(schemaPaths.map((schema) => readSchemaFile(join(projectDir, schema), shownPath(ctx.cwd, join(projectDir, schema)))));
  const withBom = schemaFiles.filter((f) => f.text.startsWith(BOM));
  // topics.yaml's problems in file order, then each schema file's.
  const inProject = [...diagnostics, ...references.diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
  const all = [...inProject, ...withBom.map(bomDiagnostic), ...parseSchemaFiles(schemaFiles.filter((f) => !withBom.includes(f))).diagnostics];
  const errors = all.filter((d) => d.severity === 'error').length;
  const validation: Validation = {
    valid: errors === 0,
    file,
    topics: project?.topics.length ?? null,
    schemas: schemaFiles.map((s) => s.path),
    errors,
    warnings: all.length - errors,
    diagnostics: all.map(({ severity, file: at, line, column, code, message, hint }) => ({ severity, file: at, line, column, code, message, ...(hint === undefined ? {} : { hint }) })),
  };
  await ctx.out.result(validation, renderValidation);
  return errors > 0 ? ExitCode.input : ExitCode.ok;
};
