import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { CommandRun } from '../../cli/spec.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import { ExitCode, InputError } from '../../core/errors.js';
import { parseSchemaFiles, type SchemaFile } from '../../core/schemas/index.js';
import { closestMatch } from '../../core/topics/didYouMean.js';
import { loadTopicsFile, type Project } from '../../core/topics/index.js';
import { renderValidation, type Validation } from '../../render/topics.js';

const SCHEMA_DIR = 'schemas';

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
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`no project file at ${path}`, { hint: 'create topics.yaml, or name one with --file' });
    throw new InputError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const projectDir = dirname(path);
  const { project, diagnostics } = loadTopicsFile(text, file);
  const inSchemaDir = await schemaDirFiles(projectDir);
  const references = project === undefined ? { diagnostics: [], referenced: [] } : missingReferences(project, projectDir, inSchemaDir, file);
  const schemaPaths = [...new Set([...inSchemaDir, ...references.referenced])];
  const schemaFiles: SchemaFile[] = await Promise.all(
    schemaPaths.map(async (schema) => ({ path: shownPath(ctx.cwd, join(projectDir, schema)), text: await readFile(join(projectDir, schema), 'utf8') })),
  );
  // topics.yaml's problems in file order, then each schema file's.
  const inProject = [...diagnostics, ...references.diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
  const all = [...inProject, ...parseSchemaFiles(schemaFiles).diagnostics];
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
