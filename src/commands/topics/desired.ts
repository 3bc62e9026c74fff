import type { CommandContext } from '../../cli/context.js';
import type { NewTopic } from '../../adapters/kafka/admin.js';
import { expandTopics, type TopicSpec } from '../../core/topics/index.js';

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

export function newTopic(spec: TopicSpec): NewTopic {
  return { name: spec.name, partitions: spec.partitions, replicationFactor: spec.replicationFactor, configs: spec.configs };
}
