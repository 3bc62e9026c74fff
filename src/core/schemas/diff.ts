/**
 * What changed between two schemas, for `schema diff`: fields, symbols, union
 * branches and types by path. Sameness is judged on the Parsing Canonical Form
 * (what the wire sees); docs and other attributes only make the two "equivalent".
 */
import { jsonText } from './json.js';
import { branchName, type AvroSchema, type RecordSchema } from './model.js';
import { canonicalForm, registrationForm } from './serialize.js';

export interface SchemaDifference {
  /** e.g. "location.lat", "readings[]", "metadata{}", "event_type.symbols" */
  path: string;
  change: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
}

/**
 * identical: the same registration form, so registering is a no-op;
 * equivalent: the same canonical form, but docs, defaults or properties differ;
 * different: the wire format differs.
 */
export type DiffStatus = 'identical' | 'equivalent' | 'different';

export interface SchemaDiff {
  status: DiffStatus;
  differences: SchemaDifference[];
}

/** A short type description: "long", "com.acme.Location", "array<string>", "[null, string]". */
export function describeType(schema: AvroSchema): string {
  switch (schema.type) {
    case 'record':
    case 'enum':
      return schema.name.fullName;
    case 'fixed':
      return `${schema.name.fullName} (fixed ${schema.size})`;
    case 'array':
      return `array<${describeType(schema.items)}>`;
    case 'map':
      return `map<${describeType(schema.values)}>`;
    case 'union':
      return `[${schema.branches.map(describeType).join(', ')}]`;
    default:
      return schema.logicalType ? `${schema.type} (${schema.logicalType.name})` : schema.type;
  }
}

const join = (path: string, name: string) => (path === '' ? name : `${path}.${name}`);

function recordDifferences(path: string, before: RecordSchema, after: RecordSchema, seen: Set<string>): SchemaDifference[] {
  const differences: SchemaDifference[] = [];
  const afterFields = new Map(after.fields.map((f) => [f.name, f]));
  const beforeNames = new Set(before.fields.map((f) => f.name));
  for (const field of before.fields) {
    const other = afterFields.get(field.name);
    const at = join(path, field.name);
    if (!other) {
      differences.push({ path: at, change: 'removed', before: describeType(field.schema) });
      continue;
    }
    differences.push(...walk(at, field.schema, other.schema, seen));
    const [was, now] = [field.default, other.default].map((d) => (d === undefined ? undefined : jsonText(d)));
    if (was !== now) differences.push({ path: `${at} (default)`, change: 'changed', before: was ?? 'none', after: now ?? 'none' });
  }
  // Avro writes fields in declaration order, so reordering changes the wire format.
  const kept = (fields: RecordSchema['fields'], other: { has(name: string): boolean }) => fields.filter((f) => other.has(f.name)).map((f) => f.name).join(', ');
  const [wasOrder, nowOrder] = [kept(before.fields, afterFields), kept(after.fields, beforeNames)];
  if (wasOrder !== nowOrder) differences.push({ path: path || '(schema)', change: 'changed', before: `field order ${wasOrder}`, after: `field order ${nowOrder}` });
  for (const field of after.fields) {
    if (!beforeNames.has(field.name)) {
      const withDefault = field.default === undefined ? '' : ` = ${jsonText(field.default)}`;
      differences.push({ path: join(path, field.name), change: 'added', after: `${describeType(field.schema)}${withDefault}` });
    }
  }
  return differences;
}

function walk(path: string, before: AvroSchema, after: AvroSchema, seen: Set<string>): SchemaDifference[] {
  // Defaults and logical types are not in the canonical form, so compare the full form.
  if (registrationForm(before) === registrationForm(after)) return [];
  const changed: SchemaDifference = { path: path || '(schema)', change: 'changed', before: describeType(before), after: describeType(after) };
  // Docs and custom properties alone are not worth a line.
  const leaf = changed.before === changed.after ? [] : [changed];
  if (before.type !== after.type) return leaf;
  switch (before.type) {
    case 'array':
      return walk(`${path}[]`, before.items, (after as typeof before).items, seen);
    case 'map':
      return walk(`${path}{}`, before.values, (after as typeof before).values, seen);
    case 'enum': {
      const other = after as typeof before;
      const at = join(path, 'symbols');
      return [
        ...leaf,
        ...before.symbols.filter((s) => !other.symbols.includes(s)).map((s): SchemaDifference => ({ path: at, change: 'removed', before: s })),
        ...other.symbols.filter((s) => !before.symbols.includes(s)).map((s): SchemaDifference => ({ path: at, change: 'added', after: s })),
      ];
    }
    case 'record': {
      const other = after as typeof before;
      // A recursive record is compared once.
      const key = `${before.name.fullName}>${other.name.fullName}`;
      if (seen.has(key)) return leaf;
      seen.add(key);
      return [...leaf, ...recordDifferences(path, before, other, seen)];
    }
    case 'union': {
      const other = after as typeof before;
      const afterByName = new Map(other.branches.map((b) => [branchName(b), b]));
      const beforeNames = new Set(before.branches.map(branchName));
      const differences: SchemaDifference[] = [];
      for (const branch of before.branches) {
        const match = afterByName.get(branchName(branch));
        if (match) differences.push(...walk(path, branch, match, seen));
        else differences.push({ path: path || '(schema)', change: 'removed', before: describeType(branch) });
      }
      for (const branch of other.branches) {
        if (!beforeNames.has(branchName(branch))) differences.push({ path: path || '(schema)', change: 'added', after: describeType(branch) });
      }
      return differences;
    }
    default:
      return leaf;
  }
}

/** How `after` (e.g. the local file) differs from `before` (e.g. the registry's latest). */
export function diffSchemas(before: AvroSchema, after: AvroSchema): SchemaDiff {
  if (registrationForm(before) === registrationForm(after)) return { status: 'identical', differences: [] };
  const differences = walk('', before, after, new Set());
  return { status: canonicalForm(before) === canonicalForm(after) ? 'equivalent' : 'different', differences };
}
