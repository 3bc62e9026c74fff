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
    return { environment: undefined, projectFile: project.file, topics: expandTopics(project.project, undefined).map((t) => t.spec), protectedTopics: [...project.project.protectedTopics] };
  }
  const environment = project.environment(settings.env);
  return { environment: environment.name, projectFile: project.file, topics: environment.topics, protectedTopics: environment.protectedTopics };
}

/**
 * The protected topics: the file's own list and the selected environment's. With no environment
 * selected (or one the file lacks), the file's list and every environment's, since nothing then
 * says which cluster this is.
 */
export async function protectedTopics(ctx: CommandContext): Promise<string[]> {
  const project = await ctx.project();
  if (project === undefined) return [];
  const { settings } = await ctx.settings();
  const file = project.project;
  if (settings.env !== undefined && Object.hasOwn(file.environments, settings.env)) return project.environment(settings.env).protectedTopics;
  return [...new Set([...file.protectedTopics, ...Object.values(file.environments).flatMap((e) => e.protectedTopics)])];
}

/**
 * The one gate every destructive command (delete, prune, truncate, unclean election, reassignment
 * cancel, group deletion) passes before it touches a topic: internal and protected topics are refused.
 * `action` is the verb for the message, e.g. "delete" or "truncate".
 */
export async function refuseDestructive(ctx: CommandContext, topicNames: readonly string[], action: string): Promise<void> {
  await refuseUnnamedCluster(ctx, action);
  const guarded = new Set(await protectedTopics(ctx));
  for (const name of topicNames) {
    const reserved = reservedTopicReason(name);
    if (reserved !== undefined) throw new OperationError(`refusing to ${action} internal topic "${name}"`, { hint: reserved });
    if (guarded.has(name)) {
      throw new OperationError(`refusing to ${action} protected topic "${name}"`, { hint: 'it is listed in protectedTopics in topics.yaml (of the file or of this environment)' });
    }
  }
}

/**
 * Protected topics are an environment's: when the brokers come from a flag, a variable or a
 * command config and differ from those of an environment nobody named (the file's first one is
 * only a default), the cluster may be another environment's, so destruction is refused until
 * `--env` says which environment this is.
 */
async function refuseUnnamedCluster(ctx: CommandContext, action: string): Promise<void> {
  const project = await ctx.project();
  if (project === undefined) return;
  const { settings, origins } = await ctx.settings();
  const envOrigin = origins.env;
  if (settings.env === undefined || envOrigin === undefined || envOrigin.source !== 'project') return;
  const brokersOrigin = origins.brokers;
  if (brokersOrigin === undefined || brokersOrigin.source === 'project' || brokersOrigin.source === 'default') return;
  const declared = Object.hasOwn(project.project.environments, settings.env) ? project.environment(settings.env).brokers : undefined;
  const same = declared !== undefined && declared.length === settings.brokers.length && declared.every((b) => settings.brokers.includes(b));
  if (same) return;
  throw new OperationError(`refusing to ${action}: the brokers come from ${brokersOrigin.from}, and no environment was named to say which cluster that is`, {
    hint: `name it with --env <name> (or IOTMSG_ENV), so that its protected topics apply`,
  });
}

export function newTopic(spec: TopicSpec): NewTopic {
  return { name: spec.name, partitions: spec.partitions, replicationFactor: spec.replicationFactor, configs: spec.configs };
}
