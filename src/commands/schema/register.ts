import { relative, resolve } from 'node:path';
import type { CommandContext } from '../../cli/context.js';
import type { CommandOptions, CommandRun } from '../../cli/spec.js';
import { IncompatibleSchemaError, OperationError, UsageError } from '../../core/errors.js';
import type { DesiredSubject } from '../../core/schemas/index.js';
import { renderRegistrationReasons, renderRegistrations } from '../../render/schema.js';
import { applySchemaPlan } from './apply.js';
import { planSubjects } from './plan.js';
import { compatibilityLevel, loadSchemaFile, projectSubjects, registryOf, subjectStrategy } from './shared.js';

/** `register <subject> <file>`: the level is --level, else the one topics.yaml gives the subject, else left alone. */
async function namedSubject(ctx: CommandContext, subject: string, file: string, options: CommandOptions): Promise<DesiredSubject> {
  const schema = await loadSchemaFile(resolve(ctx.cwd, file));
  let level = compatibilityLevel(options.level, '--level');
  const mapped = (await ctx.project()) ? (await projectSubjects(ctx, undefined, subjectStrategy(options))).subjects.find((s) => s.subject === subject) : undefined;
  level ??= mapped?.level;
  return { subject, uses: mapped?.uses ?? [], file: relative(ctx.cwd, schema.path), schema, level };
}

/** Registers the subjects of topics.yaml (or one subject), idempotently: what is already there is not written again. */
export const run: CommandRun = async (ctx, args, options) => {
  if (args.length === 1) throw new UsageError('give both a subject and a schema file, or neither (to register every subject of topics.yaml)');
  if (args.length === 0 && options.level !== undefined) throw new UsageError('--level applies to one subject; set levels per topic in topics.yaml');
  const strategy = subjectStrategy(options);
  const subjects = args.length === 2 ? [await namedSubject(ctx, args[0]!, args[1]!, options)] : (await projectSubjects(ctx, undefined, strategy)).subjects;
  const registry = await registryOf(ctx);
  const plan = await planSubjects(ctx, subjects, strategy);
  const results = await applySchemaPlan(ctx, registry, plan, subjects);
  await ctx.out.result(results, renderRegistrations);

  const refused = results.filter((r) => r.outcome === 'refused');
  const missing = results.filter((r) => r.outcome === 'missing');
  for (const r of [...refused, ...missing]) ctx.out.info(renderRegistrationReasons(r, ctx.out.style));
  if (refused.length > 0) {
    throw new IncompatibleSchemaError(`the registry refused ${refused.length} of ${results.length} schema(s) as incompatible: ${refused.map((r) => r.subject).join(', ')}`, {
      hint: 'make the change compatible (e.g. give new fields a default), or use a new subject; "iotmsg schema check" lists every problem',
    });
  }
  if (missing.length > 0) {
    throw new OperationError(`${missing.length} subject(s) that topics.yaml refers to are not in the registry: ${missing.map((r) => r.subject).join(', ')}`, {
      hint: 'register them where they are managed, or give their topics a schema file',
    });
  }
  return undefined;
};
