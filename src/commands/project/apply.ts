import type { CommandContext } from '../../cli/context.js';
import type { CommandOptions, CommandRun } from '../../cli/spec.js';
import { hasAccessChanges } from '../../core/access/index.js';
import { ExitCode, InterruptedError, OperationError } from '../../core/errors.js';
import { changesPending, hasSchemaChanges } from '../../core/schemas/index.js';
import { hasChanges } from '../../core/topics/index.js';
import { renderProjectApplied, renderProjectPlan, type ProjectApplied } from '../../render/projectPlan.js';
import { executeAccessPlan, planAccess, refusedAccess } from '../access/planning.js';
import { applySchemaPlan } from '../schema/apply.js';
import { buildSchemaPlan } from '../schema/plan.js';
import { registryOf, subjectStrategy } from '../schema/shared.js';
import { desiredState, refuseDestructive } from '../topics/desired.js';
import { executePlan } from '../topics/execute.js';
import { deletionQuestion } from '../topics/lookup.js';
import { changesOf, planAgainstCluster } from '../topics/planning.js';
import { unappliable } from '../topics/plan.js';

/** Which parts of topics.yaml an apply covers. */
export interface ApplyParts {
  topics: boolean;
  schemas: boolean;
  access: boolean;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * Plans the parts together, asks once (and again before deleting anything), then
 * applies in a safe order: topics, schemas, ACLs granted, ACLs removed last. Each
 * part stops the run when it fails, so a later part never runs on a broken earlier
 * one; Ctrl-C stops between parts and says what is left.
 */
export async function applyProject(ctx: CommandContext, parts: ApplyParts, options: CommandOptions): Promise<number> {
  const prune = options.prune === true;
  const yes = options.yes === true;
  const desired = parts.topics || parts.schemas ? await desiredState(ctx) : undefined;
  const admin = parts.topics ? await ctx.admin() : undefined;
  const [topics, schemas, access] = await Promise.all([
    admin && desired ? planAgainstCluster(ctx, admin, desired, prune) : undefined,
    parts.schemas && desired ? buildSchemaPlan(ctx, desired.environment, subjectStrategy(options)) : undefined,
    parts.access ? planAccess(ctx, prune) : undefined,
  ]);
  const view = { topics: topics?.document, schemas: schemas?.plan, access: access?.plan };
  const human = ctx.out.format === 'table';
  const blocked = topics !== undefined && !topics.document.plan.appliable ? unappliable(topics.document) : access && refusedAccess(access.plan);
  if (blocked) {
    if (human) ctx.out.stdout(`${renderProjectPlan(view, ctx.out.style)}\n`);
    throw blocked;
  }

  const topicChanges = topics !== undefined && hasChanges(topics.document.plan) ? topics.document.plan.changes.length : 0;
  const schemaChanges = schemas === undefined ? 0 : schemas.plan.subjects.filter(changesPending).length;
  const aclChanges = access !== undefined && hasAccessChanges(access.plan) ? access.plan.create.length + access.plan.delete.length : 0;
  const applied: ProjectApplied = { plan: view, topics: null, schemas: null, access: null };
  if (topicChanges + schemaChanges + aclChanges === 0) {
    await ctx.out.result(applied, renderProjectApplied);
    return ExitCode.ok;
  }
  if (human) ctx.out.stdout(`${renderProjectPlan(view, ctx.out.style)}\n\n`);

  const { settings } = await ctx.settings();
  const what = [topicChanges > 0 ? plural(topicChanges, 'topic change') : '', schemaChanges > 0 ? plural(schemaChanges, 'schema change') : '', aclChanges > 0 ? plural(aclChanges, 'ACL change') : ''].filter(Boolean);
  const topicDeletes = topics === undefined ? [] : changesOf(topics.document.plan, 'delete').map((c) => c.topic);
  if (topicDeletes.length > 0) await refuseDestructive(ctx, topicDeletes, 'delete');
  const aclDeletes = access?.plan.delete.length ?? 0;
  const confirmed =
    (await ctx.confirm(`apply ${what.join(', ')} to ${settings.brokers.join(',')}`, yes)) &&
    (topicDeletes.length === 0 || (await ctx.confirm(deletionQuestion(topicDeletes), yes))) &&
    (aclDeletes === 0 || (await ctx.confirm(`delete ${plural(aclDeletes, 'ACL binding')} topics.yaml does not declare`, yes)));
  if (!confirmed) {
    ctx.out.info('apply cancelled: nothing was changed');
    return ExitCode.failed;
  }

  const signal = ctx.interruptSignal();
  const checkpoint = (done: string, left: string[]): void => {
    if (signal.aborted) throw new InterruptedError(`interrupted after ${done}; not done: ${left.join(', ')}`, { hint: 'run "iotmsg plan" to see what is left; "iotmsg apply" finishes the job' });
  };
  if (topics !== undefined && admin !== undefined && topicChanges > 0) {
    applied.topics = await executePlan(ctx, admin, topics.document.plan, topics.observed);
    checkpoint('the topics', ['schemas', 'access'].filter((_, i) => [schemaChanges, aclChanges][i]! > 0));
  }
  if (schemas !== undefined && schemaChanges > 0) {
    applied.schemas = await applySchemaPlan(ctx, await registryOf(ctx), schemas.plan, schemas.subjects);
    const failed = applied.schemas.filter((r) => r.outcome === 'refused' || r.outcome === 'missing');
    if (failed.length > 0) {
      throw new OperationError(`the registry did not take ${plural(failed.length, 'schema')}: ${failed.map((r) => r.subject).join(', ')}; access was not applied`, {
        hint: '"iotmsg schema register" says why for each; fix them, then run "iotmsg apply" again',
      });
    }
    checkpoint('the schemas', aclChanges > 0 ? ['access'] : []);
  }
  if (access !== undefined && aclChanges > 0) applied.access = await executeAccessPlan(ctx, access.acls, access.plan);
  await ctx.out.result(applied, renderProjectApplied);
  return ExitCode.ok;
}

/** `iotmsg apply`: topics, schemas and access together. */
export const run: CommandRun = (ctx, _args, options) => applyProject(ctx, { topics: true, schemas: true, access: true }, options);
