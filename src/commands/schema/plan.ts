import type { RegistryClient } from '../../adapters/registry/client.js';
import type { CommandContext } from '../../cli/context.js';
import type { CommandRun } from '../../cli/spec.js';
import { ExitCode, OperationError } from '../../core/errors.js';
import {
  computeSchemaPlan,
  hasSchemaChanges,
  parseSchemaText,
  versionsToCompare,
  type AvroSchema,
  type DesiredSubject,
  type ObservedSubject,
  type SchemaPlan,
  type SubjectNameStrategy,
} from '../../core/schemas/index.js';
import { renderSchemaPlan } from '../../render/schemaPlan.js';
import { mapLimit, projectSubjects, registryOf, subjectStrategy } from './shared.js';

/** Registry requests in flight at once: quick on a remote registry, gentle on a local one. */
const CONCURRENCY = 8;

/** A stored version as the offline checker reads it: the registry checks new schemas' defaults, not stored ones. */
export async function storedSchema(registry: RegistryClient, subject: string, version: number): Promise<AvroSchema> {
  const stored = await registry.version(subject, version);
  const { schema } = stored.schemaType === 'AVRO' && stored.references.length === 0 ? parseSchemaText(stored.schema, { validateDefaults: false }) : { schema: undefined };
  if (!schema) {
    throw new OperationError(`cannot compare with version ${version} of ${subject}: it is not a self-contained Avro schema (${stored.schemaType})`, {
      hint: 'iotmsg compares Avro schemas without references',
    });
  }
  return schema.schema;
}

/** What the registry holds for one desired subject: versions, level, and whether the schema is already there. */
async function observeSubject(registry: RegistryClient, desired: DesiredSubject): Promise<ObservedSubject> {
  const payload = desired.schema && { schema: desired.schema.registrationForm };
  const [level, match] = await Promise.all([registry.compatibility(desired.subject), payload ? registry.lookup(desired.subject, payload) : undefined]);
  const registered = match && { version: match.version, id: match.id };
  // A schema already registered needs nothing more: the common case stays at two requests.
  const versions = registered ? [] : await registry.existingVersions(desired.subject);
  const toCompare = payload && !registered ? versionsToCompare(desired.level ?? level ?? 'BACKWARD', versions) : [];
  const compared = await Promise.all(toCompare.map(async (version) => ({ version, schema: await storedSchema(registry, desired.subject, version) })));
  return { versions, level, registered, compared };
}

export interface BuiltSchemaPlan {
  envName: string;
  plan: SchemaPlan;
  subjects: DesiredSubject[];
}

/** The schema plan of an environment: topics.yaml's subjects against the registry. Reused by `iotmsg plan`. */
export async function buildSchemaPlan(ctx: CommandContext, envName: string | undefined, strategy: SubjectNameStrategy = 'topic'): Promise<BuiltSchemaPlan> {
  const project = await projectSubjects(ctx, envName, strategy);
  return { envName: project.envName, subjects: project.subjects, plan: await planSubjects(ctx, project.subjects, strategy) };
}

export async function planSubjects(ctx: CommandContext, subjects: DesiredSubject[], strategy: SubjectNameStrategy): Promise<SchemaPlan> {
  const registry = await registryOf(ctx);
  const observed = await mapLimit(subjects, CONCURRENCY, (s) => observeSubject(registry, s));
  return computeSchemaPlan(subjects, new Map(subjects.map((s, i) => [s.subject, observed[i]!])), strategy);
}

/** Why `schema register` would not carry out this plan, as one error; undefined when it would. */
export function schemaUnappliable(plan: SchemaPlan): OperationError | undefined {
  if (plan.appliable) return undefined;
  return new OperationError(`the schema plan cannot be applied: ${plan.summary.blocked} blocked subject(s)`, { hint: 'see the "blocked:" lines of the plan for the reason and what to do' });
}

/** Exit 1 when anything is blocked (as topics plan does), else 2 with --detailed-exitcode for changes, else 0. */
export const run: CommandRun = async (ctx, _args, options) => {
  const { plan } = await buildSchemaPlan(ctx, undefined, subjectStrategy(options));
  await ctx.out.result(plan, renderSchemaPlan);
  const blocked = schemaUnappliable(plan);
  if (blocked) throw blocked;
  if (options.detailedExitcode === true && hasSchemaChanges(plan)) return ExitCode.changes;
  return undefined;
};
