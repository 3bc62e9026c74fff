/**
 * Broker configs as DescribeConfigs reports them (with synonyms), what `brokers describe`
 * shows of them, and what `brokers alter-config` would change. Pure.
 */
import { UsageError } from '../errors.js';

/** DescribeConfigs' ConfigSource, by the names kafka-configs prints. */
const SOURCE_NAMES = [
  'UNKNOWN',
  'TOPIC_CONFIG',
  'DYNAMIC_BROKER_CONFIG',
  'DYNAMIC_DEFAULT_BROKER_CONFIG',
  'STATIC_BROKER_CONFIG',
  'DEFAULT_CONFIG',
  'DYNAMIC_BROKER_LOGGER_CONFIG',
  'CLIENT_METRICS_CONFIG',
  'GROUP_CONFIG',
] as const;

export function configSourceName(code: number): string {
  return SOURCE_NAMES[code] ?? 'UNKNOWN';
}

export interface ConfigValue {
  /** null for a sensitive config (never shown) or one without a value. */
  value: string | null;
  source: string;
}

export interface BrokerConfig extends ConfigValue {
  name: string;
  sensitive: boolean;
  readOnly: boolean;
  /** Where else the config is set, highest precedence first (the first is the entry's own). */
  synonyms: ConfigValue[];
}

/** What the broker reports, before redaction. */
export interface ReportedConfig {
  name: string;
  value: string | null;
  source: number;
  sensitive: boolean;
  readOnly: boolean;
  synonyms: { value: string | null; source: number }[];
}

/** A sensitive config's value is dropped here, so no later code can print it. */
export function brokerConfigOf(reported: ReportedConfig): BrokerConfig {
  const shown = (value: string | null) => (reported.sensitive ? null : value);
  return {
    name: reported.name,
    value: shown(reported.value),
    source: configSourceName(reported.source),
    sensitive: reported.sensitive,
    readOnly: reported.readOnly,
    synonyms: reported.synonyms.map((s) => ({ value: shown(s.value), source: configSourceName(s.source) })),
  };
}

/**
 * As kafka-configs --describe shows the overrides and --all everything: without `all`, the
 * configs set somewhere (dynamically or in server.properties) but not Kafka's defaults.
 */
export function shownConfigs(configs: readonly BrokerConfig[], all: boolean): BrokerConfig[] {
  return configs.filter((c) => all || c.source !== 'DEFAULT_CONFIG').sort((a, b) => a.name.localeCompare(b.name));
}

/** Names that hold secrets even when the broker does not know the config (it then reports nothing). */
const SECRET_NAME = /password|secret|jaas\.config|\.key$/i;

export function isSecretConfig(name: string, known: BrokerConfig | undefined): boolean {
  return known?.sensitive === true || SECRET_NAME.test(name);
}

/** Where a change is written: one broker's dynamic config, or every broker's cluster-wide default. */
export type BrokerScope = 'broker' | 'cluster-default';

const DYNAMIC_SOURCE: Record<BrokerScope, string> = { broker: 'DYNAMIC_BROKER_CONFIG', 'cluster-default': 'DYNAMIC_DEFAULT_BROKER_CONFIG' };

export interface BrokerConfigChange {
  op: 'set' | 'delete';
  name: string;
  /** The value at this scope now; null when unset there (or a secret). */
  from: string | null;
  /** The new value; null for a delete or a secret. */
  to: string | null;
  /** The value in force now and where it comes from, for context. */
  effective: ConfigValue | undefined;
  secret: boolean;
}

export interface BrokerConfigPlan {
  changes: BrokerConfigChange[];
  /** Deletions of a config not set at this scope: nothing to do. */
  notSet: string[];
}

/** `--set name=value`: the first "=" separates, so values may hold one. */
export function parseAssignment(text: string): { name: string; value: string } {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`--set "${text}" is not name=value`, { hint: 'e.g. --set log.cleaner.threads=2' });
  return { name: text.slice(0, at).trim(), value: text.slice(at + 1) };
}

/** The changes to make, from the configs of one broker as described with synonyms. */
export function planBrokerConfigChange(configs: readonly BrokerConfig[], scope: BrokerScope, set: ReadonlyMap<string, string>, remove: readonly string[]): BrokerConfigPlan {
  const byName = new Map(configs.map((c) => [c.name, c]));
  const atScope = (config: BrokerConfig | undefined) => config?.synonyms.find((s) => s.source === DYNAMIC_SOURCE[scope]);
  const changes: BrokerConfigChange[] = [];
  const notSet: string[] = [];
  for (const [name, value] of set) {
    const known = byName.get(name);
    const current = atScope(known);
    const secret = isSecretConfig(name, known);
    // A secret's current value is not known: it is always sent.
    if (!secret && current !== undefined && current.value === value) continue;
    const effective = known && { value: known.value, source: known.source };
    changes.push({ op: 'set', name, from: current?.value ?? null, to: secret ? null : value, effective, secret });
  }
  for (const name of remove) {
    if (set.has(name)) throw new UsageError(`"${name}" is both set with --set and removed with --delete`);
    const known = byName.get(name);
    const current = atScope(known);
    if (current === undefined) notSet.push(name);
    else changes.push({ op: 'delete', name, from: current.value, to: null, effective: known && { value: known.value, source: known.source }, secret: isSecretConfig(name, known) });
  }
  return { changes, notSet };
}
