import { Output } from '../render/output.js';
import { complete, type ValueKind } from './completion.js';
import { CommandContext } from './context.js';
import { buildProgram, type GlobalOptions } from './program.js';

/** Asking the cluster (consumer groups) must not hold up the shell: past this, nothing is offered. */
const CLUSTER_ANSWER_MS = 1_500;

/** Names of one kind, from the project file, the profiles directory or (groups) the cluster. */
async function valuesOf(kind: ValueKind, ctx: CommandContext): Promise<string[]> {
  switch (kind) {
    case 'profile': {
      const { listProfiles } = await import('../adapters/secrets.js');
      return (await listProfiles(ctx.environment)).map((p) => p.name);
    }
    case 'group': {
      const { ConsumerGroups } = await import('../adapters/kafka/groups.js');
      const names = ctx.kafka().then((session) => new ConsumerGroups(session).names());
      const timeout = new Promise<string[]>((resolve) => setTimeout(() => resolve([]), CLUSTER_ANSWER_MS).unref());
      return Promise.race([names, timeout]);
    }
    default: {
      const loaded = await ctx.project();
      if (!loaded) return [];
      if (kind === 'environment') return Object.keys(loaded.project.environments);
      const envName = ctx.options.env ?? ctx.environment.IOTMSG_ENV ?? loaded.defaultEnvironment;
      const topics = envName === undefined ? [] : loaded.environment(envName).topics;
      if (kind === 'topic') return topics.map((t) => t.name);
      // Subjects by the topic name strategy, the registry's default.
      return topics.flatMap((t) => [t.keySchema && (t.keySchema.subject ?? `${t.name}-key`), t.valueSchema && (t.valueSchema.subject ?? `${t.name}-value`)]).filter((s): s is string => s !== undefined);
    }
  }
}

/**
 * The answer to `iotmsg __complete <words...>`: what the last word can be, one per line.
 * Any failure (no project file, an unreachable cluster) offers nothing rather than noise.
 */
export async function completeWords(words: readonly string[], environment: NodeJS.ProcessEnv, cwd: string): Promise<string[]> {
  const { completion, globals } = complete(buildProgram(async () => {}), words);
  const current = words.at(-1) ?? '';
  if (completion.kind === 'words') return completion.words.filter((w) => w.startsWith(current));
  if (completion.kind !== 'values') return [];
  const out = new Output({ format: 'table', color: false, verbose: false, terminal: { stdout: process.stdout, stderr: process.stderr, stdinIsTTY: false } });
  const options: GlobalOptions = { color: false, verbose: false, timeout: `${CLUSTER_ANSWER_MS}ms`, ...globals };
  const ctx = new CommandContext(out, options, environment, new AbortController().signal, cwd);
  try {
    const values = await valuesOf(completion.of, ctx).catch(() => []);
    return [...new Set(values)].filter((v) => v.startsWith(current));
  } finally {
    await ctx.close();
  }
}
