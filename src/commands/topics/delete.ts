import type { CommandRun } from '../../cli/spec.js';
import { ExitCode } from '../../core/errors.js';
import { renderDeleted } from '../../render/topics.js';
import { refuseDestructive } from './desired.js';
import { deletionQuestion, unknownTopics } from './lookup.js';

export const run: CommandRun = async (ctx, args, options) => {
  const names = [...new Set(args)];
  await refuseDestructive(ctx, names, 'delete');
  const admin = await ctx.admin();
  const topics = await admin.listTopics();
  const existing = new Set(topics.map((t) => t.name));
  const missing = names.filter((name) => !existing.has(name));
  if (missing.length > 0) throw unknownTopics(missing, topics);
  if (!(await ctx.confirm(deletionQuestion(names), options.yes === true))) {
    ctx.out.info('delete cancelled: nothing was changed');
    return ExitCode.failed;
  }
  await admin.deleteTopics(names);
  await admin.waitUntilDeleted(names);
  await ctx.out.result({ deleted: names }, renderDeleted);
  return ExitCode.ok;
};
