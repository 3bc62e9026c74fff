import type { CommandContext } from '../../cli/context.js';
import type { NewTopic } from '../../adapters/kafka/admin.js';
import { OperationError } from '../../core/errors.js';
import { expandTopics, reservedTopicReason, type TopicSpec } from '../../core/topics/index.js';

/** What topics.yaml wants for the selected environment. */
export interface DesiredState {
  /** undefined for a file that declares no environments. */
  environment: string | undefined;
  projectFile: string;
  topics: TopicSpec[];
  protectedTopics: string[];
}

/** The project's topics (with DLQ siblings) for --env, or the file's first environment. */
export async function desiredState(ctx: CommandContext): Promise<DesiredState> {
  const project = await ctx.requireProject();
  const { settings } = await ctx.settings();
  if (settings.env === undefined) {
    // A file without environments: defaults and topics only.
    return { environment: undefined, projectFile: project.file, topics: expandTopics(project.project, undefined).map((t) => t.spec), protectedTopics: [] };
  }
  const environment = project.environment(settings.env);
  return { environment: environment.name, projectFile: project.file, topics: environment.topics, protectedTopics: environment.protectedTopics };
}

/** The protected topics of the selected environment, when there is a project file. */
export async function protectedTopics(ctx: CommandContext): Promise<string[]> {
  const project = await ctx.project();
  const { settings } = await ctx.settings();
  if (project === undefined || settings.env === undefined || !Object.hasOwn(project.project.environments, settings.env)) return [];
  return project.environment(settings.env).protectedTopics;
}

/**
 * The one gate every destructive command (delete, prune, truncate, unclean election, reassignment
 * cancel, group deletion) passes before it touches a topic: internal and protected topics are refused.
 * `action` is the verb for the message, e.g. "delete" or "truncate".
 */
export async function refuseDestructive(ctx: CommandContext, topicNames: readonly string[], action: string): Promise<void> {
  const guarded = new Set(await protectedTopics(ctx));
  for (const name of topicNames) {
    const reserved = reservedTopicReason(name);
    if (reserved !== undefined) throw new OperationError(`refusing to ${action} internal topic "${name}"`, { hint: reserved });
    if (guarded.has(name)) {
      throw new OperationError(`refusing to ${action} protected topic "${name}"`, { hint: 'it is listed in protectedTopics of this environment in topics.yaml' });
    }
  }
}

export function newTopic(spec: TopicSpec): NewTopic {
  return { name: spec.name, partitions: spec.partitions, replicationFactor: spec.replicationFactor, configs: spec.configs };
}
