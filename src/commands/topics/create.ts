import { readFile, rename, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { batchFailure } from '../../adapters/kafka/admin.js';
import { loadProject } from '../../cli/project.js';
import type { CommandRun, ParsedOptions } from '../../cli/spec.js';
import { OperationError, UsageError } from '../../core/errors.js';
import { addTopicToFile } from '../../core/topics/addTopic.js';
import { expandTopics } from '../../core/topics/index.js';
import { renderCreated } from '../../render/topics.js';
import type { CREATE_OPTIONS } from './commands.js';
import { newTopic } from './desired.js';

function parseConfigs(items: readonly string[] = []): Record<string, string> {
  const configs: Record<string, string> = {};
  for (const item of items) {
    const at = item.indexOf('=');
    if (at <= 0) throw new UsageError(`--config "${item}" is not name=value`, { hint: 'e.g. --config retention.ms=3d' });
    configs[item.slice(0, at)] = item.slice(at + 1);
  }
  return configs;
}

/**
 * Creates one topic (and its DLQ siblings) as the file would declare it: the topic is added to
 * topics.yaml's text and the whole file validated, so names, configs and min ISR are checked
 * as `validate` checks them. With --save that text becomes the file, so the file stays the
 * source of truth; without it the next plan lists the topic as unmanaged.
 */
export const run: CommandRun<ParsedOptions<typeof CREATE_OPTIONS>> = async (ctx, args, options) => {
  const name = args[0]!;
  const loaded = await ctx.project();
  if (options.save === true && loaded === undefined) throw new UsageError(`--save needs a project file, and there is none at ${ctx.projectPath}`, { hint: 'create topics.yaml, or name one with --file' });
  const file = loaded?.file ?? ctx.projectPath;
  const text = loaded === undefined ? '' : await readFile(file, 'utf8');
  const added = { name, partitions: options.partitions, replicationFactor: options.replicationFactor, configs: parseConfigs(options.config), dlq: options.dlq === true };
  const updated = addTopicToFile(text, added, basename(file));
  const project = loadProject(file, updated);
  const { settings } = await ctx.settings();
  const specs = (loaded !== undefined && settings.env !== undefined ? project.environment(settings.env).topics : expandTopics(project.project, undefined).map((t) => t.spec)).filter(
    (t) => t.name === name || t.dlqOf === name,
  );

  const admin = await ctx.admin();
  const existing = new Set((await admin.listTopics()).map((t) => t.name));
  const clash = specs.filter((t) => existing.has(t.name)).map((t) => t.name);
  if (clash.length > 0) throw new OperationError(`topic ${clash.map((n) => `"${n}"`).join(', ')} already exists on the cluster`, { hint: 'change it with "iotmsg topics alter", or declare it in topics.yaml' });
  const failed = await admin.createTopics(specs.map(newTopic), { validateOnly: false });
  if (failed.length > 0) throw batchFailure('create the topic', failed);
  await admin.waitForLeaders(specs.map((t) => t.name));
  if (options.save === true) {
    // Written whole or not at all: a crash mid-write must not leave half a topics.yaml.
    const temporary = `${file}.iotmsg-${process.pid}.tmp`;
    await writeFile(temporary, updated);
    await rename(temporary, file);
  }
  await ctx.out.result({ created: specs.map((t) => ({ name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor, configs: t.configs })), savedTo: options.save === true ? file : undefined }, renderCreated);
};
