import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { CommandContext } from '../../cli/context.js';
import type { SchemaRegistryLookup } from '../../adapters/serde/registry.js';
import { formatDiagnostic } from '../../core/diagnostics.js';
import { InputError, OperationError } from '../../core/errors.js';
import { canonicalForm, parseSchemaFiles, parseSchemaText, type AvroSchema } from '../../core/schemas/index.js';
import type { TopicSpec } from '../../core/topics/index.js';

/** The schema values are checked against (and, for Avro, written with). */
export interface ValueSchema {
  model: AvroSchema;
  /** Self-contained JSON, as registered. */
  text: string;
  /** Where it came from, for messages: a file, or subject and version. */
  source: string;
  /** For Avro: the id the wire format carries. */
  id?: number;
  subject?: string;
  version?: number;
}

export interface TopicContext {
  spec: TopicSpec | undefined;
  /** The folder of topics.yaml: schema paths in it are relative to it. */
  projectDir: string;
}

/** What topics.yaml says about a topic in the selected environment, if there is a project. */
export async function topicContext(ctx: CommandContext, topic: string): Promise<TopicContext> {
  const project = await ctx.project();
  const projectDir = dirname(ctx.projectPath);
  const envName = (await ctx.settings()).settings.env ?? project?.defaultEnvironment;
  if (!project || envName === undefined) return { spec: undefined, projectDir };
  return { spec: project.environment(envName).topics.find((t) => t.name === topic), projectDir };
}

export function valueSubject(topic: string, spec: TopicSpec | undefined, explicit: string | undefined): string {
  return explicit ?? spec?.valueSchema?.subject ?? `${topic}-value`;
}

/** A local .avsc; the other .avsc files of its folder are read too, so references between them resolve. */
export async function localSchema(path: string, cwd: string): Promise<ValueSchema> {
  const file = resolve(cwd, path);
  const folder = dirname(file);
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => n.endsWith('.avsc'));
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (!names.includes(file.slice(folder.length + 1))) throw new InputError(`cannot read ${path}: no such file`);
  const files = await Promise.all(names.map(async (n) => ({ path: relative(cwd, join(folder, n)), text: await readFile(join(folder, n), 'utf8') })));
  const key = relative(cwd, file);
  const { schemas, diagnostics } = parseSchemaFiles(files);
  const parsed = schemas.get(key);
  if (!parsed) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const first = errors.find((d) => d.file === key) ?? errors[0];
    throw new InputError(first ? formatDiagnostic(first) : `${path} is not a usable Avro schema`);
  }
  return { model: parsed.schema, text: parsed.registrationForm, source: key };
}

/** The subject's latest version in the registry, parsed by the schemas core. */
export async function registrySchema(registry: SchemaRegistryLookup, subject: string): Promise<ValueSchema> {
  const latest = await registry.latest(subject);
  const { schema, diagnostics } = parseSchemaText(latest.schema, { validateDefaults: false, path: `${subject} v${latest.version}` });
  if (!schema) {
    const first = diagnostics.find((d) => d.severity === 'error');
    throw new OperationError(`the latest schema of subject "${subject}" cannot be used: ${first?.message ?? 'not an Avro schema'}`, {
      hint: 'only Avro schemas are supported by produce',
    });
  }
  return { model: schema.schema, text: latest.schema, source: `subject ${subject} v${latest.version}`, id: latest.id, subject, version: latest.version };
}

/**
 * A local file's schema, registered under the subject (looked up first; registered when new).
 * Values are written with the registry's copy of that id, which is what every reader will
 * fetch as the writer schema: should a registry store a schema normalised (Apicurio's
 * canonical-hash mode sorts record fields), readers can still decode what we write.
 */
export async function registeredLocalSchema(ctx: CommandContext, registry: SchemaRegistryLookup, path: string, subject: string): Promise<ValueSchema> {
  const local = await localSchema(path, ctx.cwd);
  const found = await registry.lookupOrRegister(subject, local.text);
  if (found.registered) ctx.out.info(`registered ${local.source} under subject ${subject} (schema id ${found.id})`);
  const storedText = await registry.schemaById(found.id);
  const stored = parseSchemaText(storedText, { validateDefaults: false, path: `schema id ${found.id}` }).schema;
  if (!stored) throw new OperationError(`the registry's copy of schema id ${found.id} is not a usable Avro schema`);
  if (stored.canonicalForm !== canonicalForm(local.model)) {
    ctx.out.warn(`the registry stores ${local.source} as id ${found.id} with its fields in another order; writing with the registry's copy so readers decode it`);
  }
  return { model: stored.schema, text: storedText, source: local.source, id: found.id, subject, version: found.version };
}
