import type { ChalkInstance } from 'chalk';
import type { ConnectionSettings, Origin } from '../core/config/settings.js';
import { table, type Cell } from './table.js';

export function renderSettings({ settings, origins }: { settings: ConnectionSettings; origins: Record<string, Origin> }, style: ChalkInstance): string {
  const rows: [string, Cell, string][] = [];
  const add = (name: string, value: Cell) => rows.push([name, value, origins[name] ? `${origins[name].source}: ${origins[name].from}` : '']);
  add('env', settings.env);
  add('brokers', settings.brokers.join(','));
  add('clientId', settings.clientId);
  add('timeout', `${settings.timeoutMs / 1000}s`);
  add('tls', settings.tls ? 'on' : 'off');
  if (settings.tls) {
    add('tls.caFile', settings.tls.caFile);
    add('tls.certFile', settings.tls.certFile);
    add('tls.keyFile', settings.tls.keyFile);
    if (settings.tls.pfxFile) add('tls.keystoreFile', settings.tls.pfxFile);
    if (settings.tls.passphrase) add(settings.tls.pfxFile ? 'tls.keystorePassword' : 'tls.keyPassword', settings.tls.passphrase);
    if (settings.tls.caType) add('tls.caType', settings.tls.caType);
    add('tls.verifyHostname', settings.tls.verifyHostname === false ? 'off' : 'on');
  }
  add('sasl.mechanism', settings.sasl?.mechanism ?? 'none');
  if (settings.sasl) {
    add('sasl.username', settings.sasl.username);
    add('sasl.password', settings.sasl.password);
  }
  add('schemaRegistry.url', settings.schemaRegistry.url);
  if (settings.schemaRegistry.username) {
    add('schemaRegistry.username', settings.schemaRegistry.username);
    add('schemaRegistry.password', settings.schemaRegistry.password);
  }
  if (settings.schemaRegistry.caFile) add('schemaRegistry.caFile', settings.schemaRegistry.caFile);
  return table(['SETTING', 'VALUE', 'FROM'], rows.map(([k, v, from]) => [k, v, style.dim(from)]));
}

export interface ProfileRow {
  name: string;
  brokers: string[];
  schemaRegistry: string | undefined;
  file: string;
}

export function renderProfiles({ directory, profiles }: { directory: string; profiles: ProfileRow[] }, style: ChalkInstance): string {
  if (profiles.length === 0) return style.dim(`no profiles in ${directory}: each is a Kafka client properties file, <name>.properties`);
  return table(['PROFILE', 'BROKERS', 'REGISTRY', 'FILE'], profiles.map((p) => [p.name, p.brokers.join(','), p.schemaRegistry ?? style.dim('-'), p.file]));
}
