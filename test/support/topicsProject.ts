import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Admin } from 'kafkajs';
import { withAdmin } from './kafka.js';

const projects: string[] = [];

/** A throwaway project directory holding topics.yaml (and any other files given). */
export async function topicsProject(topicsYaml: string, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iotmsg-topics-'));
  projects.push(dir);
  for (const [path, text] of Object.entries({ 'topics.yaml': topicsYaml, ...files })) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** Removes the project directories made so far (call from afterAll). */
export async function removeTopicsProjects(): Promise<void> {
  await Promise.all(projects.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Rewrites topics.yaml of a project (the file changed between two plans). */
export async function rewriteTopics(dir: string, topicsYaml: string): Promise<void> {
  await writeFile(join(dir, 'topics.yaml'), topicsYaml);
}

export interface TopicState {
  partitions: number;
  replicationFactor: number;
  /** The dynamic overrides only (DYNAMIC_TOPIC_CONFIG, source 1). */
  overrides: Record<string, string>;
}

/** What the broker really holds for these topics, read with a plain KafkaJS admin. */
export async function topicStates(brokers: string[], names: string[]): Promise<Map<string, TopicState>> {
  return withAdmin(brokers, async (admin: Admin) => {
    const existing = new Set(await admin.listTopics());
    const present = names.filter((n) => existing.has(n));
    const states = new Map<string, TopicState>();
    if (present.length === 0) return states;
    const { topics } = await admin.fetchTopicMetadata({ topics: present });
    const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: present.map((name) => ({ type: 2, name })) });
    for (const topic of topics) {
      const resource = resources.find((r) => r.resourceName === topic.name);
      const overrides = Object.fromEntries((resource?.configEntries ?? []).filter((e) => e.configSource === 1).map((e) => [e.configName, e.configValue]));
      states.set(topic.name, { partitions: topic.partitions.length, replicationFactor: Math.max(...topic.partitions.map((p) => p.replicas.length)), overrides });
    }
    return states;
  });
}

/** Topic names currently on the cluster. */
export async function topicNames(brokers: string[]): Promise<string[]> {
  return withAdmin(brokers, (admin) => admin.listTopics());
}

/**
 * Creates topics with a plain KafkaJS admin and waits until several reads in a row
 * (each from whichever broker KafkaJS picks) show them with leaders: KafkaJS's own
 * waitForLeaders gives up when a broker has not heard of a new topic yet.
 */
export async function createTopicsDirectly(brokers: string[], topics: { topic: string; numPartitions?: number; replicationFactor?: number; configEntries?: { name: string; value: string }[] }[]): Promise<void> {
  await withAdmin(brokers, async (admin) => {
    await admin.createTopics({ topics, waitForLeaders: false });
    const names = new Set(topics.map((t) => t.topic));
    for (let agreeing = 0; agreeing < 6; ) {
      const { topics: listed } = await admin.fetchTopicMetadata();
      const ready = listed.filter((t) => names.has(t.name) && t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      agreeing = ready.length === names.size ? agreeing + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
}
