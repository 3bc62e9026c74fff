import { parseSchemaFiles, type ParseOptions, type SchemaDiagnostic, type SchemaFile, type SchemaTextResult } from './parse.js';

/**
 * One schema file read with the files beside it, which may define the named types
 * it refers to. A neighbour defining one of the file's own types (an older copy,
 * e.g. sensor-data.v1.avsc next to sensor-data.avsc) is left out rather than
 * reported as a duplicate. Diagnostics are the file's own, or those of a neighbour
 * it depends on.
 */
export function parseSchemaWithNeighbours(target: SchemaFile, neighbours: readonly SchemaFile[], options: ParseOptions = {}): SchemaTextResult {
  const others = neighbours.filter((f) => f.path !== target.path);
  const ownNames = new Set(
    [...parseSchemaFiles([target], { validateDefaults: false }).definitions].filter(([, site]) => site.file === target.path).map(([name]) => name),
  );
  const rivals = new Set(
    [...parseSchemaFiles(others, { validateDefaults: false }).definitions].filter(([name]) => ownNames.has(name)).map(([, site]) => site.file),
  );
  const files = [target, ...others.filter((f) => !rivals.has(f.path))];
  const { schemas, diagnostics } = parseSchemaFiles(files, options);
  const schema = schemas.get(target.path);
  if (schema) return { schema, diagnostics: diagnostics.filter((d) => d.file === target.path) };
  return { schema: undefined, diagnostics: relevantDiagnostics(target.path, diagnostics) };
}

/** The file's own errors first; if it has none, it failed because of a file it depends on. */
function relevantDiagnostics(path: string, diagnostics: readonly SchemaDiagnostic[]): SchemaDiagnostic[] {
  const own = diagnostics.filter((d) => d.file === path);
  return own.some((d) => d.severity === 'error') ? own : [...own, ...diagnostics.filter((d) => d.file !== path && d.severity === 'error')];
}
