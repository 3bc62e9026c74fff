import { relative, resolve } from 'node:path';
import type { CommandContext } from '../../cli/context.js';
import type { CommandOptions, CommandRun } from '../../cli/spec.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { diffSchemas, parseSchemaText, type ParsedSchema, type SubjectDiff } from '../../core/schemas/index.js';
import { renderDiffs } from '../../render/schema.js';
import { loadSchemaFile, mapLimit, projectSubjects, registryOf, subjectStrategy } from './shared.js';

/** The local schema of each subject to compare: one named on the command line, or topics.yaml's. */
async function localSchemas(ctx: CommandContext, args: string[], options: CommandOptions): Promise<{ subject: string; schema: ParsedSchema }[]> {
  if (args.length === 2) return [{ subject: args[0]!, schema: await loadSchemaFile(resolve(ctx.cwd, args[1]!)) }];
  const { subjects } = await projectSubjects(ctx, undefined, subjectStrategy(options));
  const local = subjects.flatMap((s) => (s.schema ? [{ subject: s.subject, schema: s.schema }] : []));
  if (args.length === 0) return local;
  const named = local.filter((s) => s.subject === args[0]);
  if (named.length === 0) {
    throw new UsageError(`topics.yaml gives no schema file for subject "${args[0]}"`, { hint: `name the file too: iotmsg schema diff ${args[0]} <file>` });
  }
  return named;
}

/** Local .avsc vs the registry's latest version, compared on the canonical form. */
export const run: CommandRun = async (ctx, args, options) => {
  const local = await localSchemas(ctx, args, options);
  const registry = await registryOf(ctx);
  const diffs = await mapLimit(local, 8, async ({ subject, schema }): Promise<SubjectDiff> => {
    const file = relative(ctx.cwd, schema.path);
    const versions = await registry.existingVersions(subject);
    if (versions.length === 0) return { subject, file, version: null, id: null, status: 'not-registered', differences: [] };
    const latest = await registry.version(subject, 'latest');
    const stored = parseSchemaText(latest.schema, { validateDefaults: false }).schema;
    if (!stored) return { subject, file, version: latest.version, id: latest.id, status: 'different', differences: [{ path: '(schema)', change: 'changed', before: `${latest.schemaType} schema iotmsg cannot read` }] };
    return { subject, file, version: latest.version, id: latest.id, ...diffSchemas(stored.schema, schema.schema) };
  });
  await ctx.out.result(diffs, renderDiffs);
  if (options.detailedExitcode === true && diffs.some((d) => d.status !== 'identical')) return ExitCode.changes;
  return undefined;
};
