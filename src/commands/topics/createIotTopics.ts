import { batchFailure } from '../../adapters/kafka/admin.js';
import type { CommandRun } from '../../cli/spec.js';
import { renderSeeded, type SeededTopics } from '../../render/topics.js';
import { desiredState, newTopic } from './desired.js';
import { leaderProgress, withProgress } from './progress.js';

/**
 * The seed platform's command: creates the project's topics and DLQs that are
 * missing, in one batch, and never alters or deletes anything that exists.
 */
export const run: CommandRun = async (ctx) => {
  const desired = await desiredState(ctx);
  const admin = await ctx.admin();
  const existing = new Set((await admin.listTopics()).map((t) => t.name));
  const missing = desired.topics.filter((t) => !existing.has(t.name));
  const seeded = await withProgress(ctx, `creating ${missing.length} topic(s)`, async (progress): Promise<SeededTopics> => {
    const failed = await admin.createTopics(missing.map(newTopic), { validateOnly: false });
    const refused = new Set(failed.map((f) => f.topic));
    const created = missing.map((t) => t.name).filter((name) => !refused.has(name));
    await admin.waitForLeaders(created, { onProgress: leaderProgress(progress) });
    return { environment: desired.environment, created, existing: desired.topics.filter((t) => existing.has(t.name)).map((t) => t.name), failed };
  });
  await ctx.out.result(seeded, renderSeeded);
  if (seeded.failed.length > 0) throw batchFailure('create topics', seeded.failed);
};
