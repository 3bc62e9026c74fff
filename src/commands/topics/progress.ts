import type { CommandContext } from '../../cli/context.js';
import type { Progress } from '../../render/output.js';

/** Runs `work` under a spinner (on a terminal) that is cleared however it ends. */
export async function withProgress<T>(ctx: CommandContext, text: string, work: (progress: Progress) => Promise<T>): Promise<T> {
  const progress = ctx.out.progress(text);
  try {
    return await work(progress);
  } finally {
    progress.done();
  }
}

/** The progress callback of a wait for new topics' leaders. */
export function leaderProgress(progress: Progress): (done: number, total: number) => void {
  return (done, total) => progress.update(`waiting for the leaders of new topics: ${done}/${total}`);
}
