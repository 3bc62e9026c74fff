import { readFile } from 'node:fs/promises';
import type { ClusterAdmin } from '../../adapters/kafka/admin.js';
import type { CommandContext } from '../../cli/context.js';
import type { CommandRun, ParsedOptions } from '../../cli/spec.js';
import { ExitCode, InputError, OperationError, UsageError } from '../../core/errors.js';
import { clusterFingerprint, hasChanges, planScope, readPlanDocument, reservedTopicReason } from '../../core/topics/index.js';
import { renderApplied, renderPlan } from '../../render/plan.js';
import type { APPLY_OPTIONS } from './commands.js';
import { desiredState, protectedTopics, refuseDestructive } from './desired.js';
import { executePlan } from './execute.js';
import { deletionQuestion } from './lookup.js';
import { changesOf, observeCluster, planAgainstCluster, type PlannedRun } from './planning.js';
import { unappliable } from './plan.js';

/**
 * A saved plan, checked against the cluster as it is now: same cluster, same
 * state of every topic it touches or compared (else it is stale), and no
 * protected topic among its deletes, however the file was edited.
 */
async function savedPlan(ctx: CommandContext, admin: ClusterAdmin, file: string): Promise<PlannedRun> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { cause: error });
  }
  const document = readPlanDocument(text, file);
  const scope = planScope(document.plan);
  const { cluster, observed } = await observeCluster(ctx, admin, scope.compared);
  if (cluster.clusterId !== document.cluster.clusterId) {
    const env = document.environment === undefined ? '' : ` (--env ${document.environment})`;
    throw new OperationError(`${file} was planned for cluster ${document.cluster.clusterId}, this is cluster ${cluster.clusterId}`, {
      hint: `connect to the cluster it was planned for${env}, bootstrap ${document.cluster.bootstrapServers.join(',')}`,
    });
  }
  if (clusterFingerprint(cluster.clusterId, observed, scope) !== document.cluster.fingerprint) {
    throw new OperationError(`${file} is stale: the topics it plans for changed on the cluster since it was made`, {
      hint: 'make a new plan with "iotmsg topics plan --out" and review it',
    });
  }
  const guarded = new Set(await protectedTopics(ctx));
  const forbidden = changesOf(document.plan, 'delete').find((c) => guarded.has(c.topic) || reservedTopicReason(c.topic) !== undefined);
  if (forbidden !== undefined) {
    throw new InputError(`${file} deletes protected topic "${forbidden.topic}"`, { hint: 'protected and internal topics are never deleted; make a new plan' });
  }
  return { document, observed };
}

export const run: CommandRun<ParsedOptions<typeof APPLY_OPTIONS>> = async (ctx, args, options) => {
  const [file] = args;
  const prune = options.prune === true;
  const yes = options.yes === true;
  if (file !== undefined && prune) throw new UsageError('--prune is decided when planning, not with a saved plan', { hint: 'make the plan with "iotmsg topics plan --prune --out <file>"' });
  const admin = await ctx.admin();
  const { document, observed } = file === undefined ? await planAgainstCluster(ctx, admin, await desiredState(ctx), prune) : await savedPlan(ctx, admin, file);
  const { plan } = document;
  const human = ctx.out.format === 'table';
  if (!plan.appliable) {
    if (human) ctx.out.stdout(`${renderPlan(document, ctx.out.style)}\n`);
    throw unappliable(document);
  }
  if (!hasChanges(plan)) {
    await ctx.out.result({ plan: document, applied: null }, renderApplied);
    return ExitCode.ok;
  }
  if (human) ctx.out.stdout(`${renderPlan(document, ctx.out.style)}\n\n`);
  const target = document.cluster.bootstrapServers.join(',');
  const deletes = changesOf(plan, 'delete').map((c) => c.topic);
  if (deletes.length > 0) await refuseDestructive(ctx, deletes, 'delete');
  const deleting = deletes.length === 0 ? '' : `, deleting ${deletes.length} topic(s)`;
  const confirmed =
    (await ctx.confirm(`apply these ${plan.changes.length} change(s) to ${target}${deleting}`, yes)) &&
    (deletes.length === 0 || (await ctx.confirm(deletionQuestion(deletes), yes)));
  if (!confirmed) {
    ctx.out.info('apply cancelled: nothing was changed');
    return ExitCode.failed;
  }
  const applied = await executePlan(ctx, admin, plan, observed, { throttle: options.throttle });
  await ctx.out.result({ plan: document, applied }, renderApplied);
  return ExitCode.ok;
};
