/** `name=value` topic configs from the command line (`topics alter --config`), checked like the file's. */
import { brokerOnlyConfig, TOPIC_CONFIG_NAMES, topicConfig } from './configCatalog.js';
import { convertConfigValue } from './configValues.js';
import { didYouMean } from './didYouMean.js';

export interface ConfigProblem {
  message: string;
  hint?: string;
}

export type ConfigAssignment = { ok: true; name: string; value: string } | ({ ok: false } & ConfigProblem);

function problem(message: string, hint: string | undefined): ConfigProblem {
  return hint === undefined ? { message } : { message, hint };
}

function unknownConfig(name: string): ConfigProblem {
  const broker = brokerOnlyConfig(name);
  if (broker === undefined) return problem(`unknown topic config "${name}"`, didYouMean(name, TOPIC_CONFIG_NAMES));
  const instead = broker.kind === 'file-key' ? `"${broker.fileKey}" in topics.yaml` : `the topic-level "${broker.topicConfig}"`;
  return problem(`"${name}" is a broker-level config, not a topic config`, `use ${instead} instead`);
}

/** Why `name` is not a topic config of the catalogue, or undefined when it is one. */
export function configNameProblem(name: string): ConfigProblem | undefined {
  return topicConfig(name) === undefined ? unknownConfig(name) : undefined;
}

/** Parses `name=value`; units (7d, 512MiB) are converted exactly as in topics.yaml. */
export function parseConfigAssignment(text: string, where: string): ConfigAssignment {
  const equals = text.indexOf('=');
  if (equals <= 0) return { ok: false, ...problem(`expected name=value, got "${text}"`, 'e.g. --config retention.ms=7d') };
  const name = text.slice(0, equals).trim();
  const definition = topicConfig(name);
  if (definition === undefined) return { ok: false, ...unknownConfig(name) };
  const converted = convertConfigValue(definition, { type: 'string', text: text.slice(equals + 1) }, where);
  if (!converted.ok) return { ok: false, ...problem(converted.message, converted.hint) };
  return { ok: true, name, value: converted.value };
}
