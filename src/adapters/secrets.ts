import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { readCommandConfig } from '../core/config/commandConfig.js';
import type { ConnectionLayer } from '../core/config/layer.js';
import type { SecretRef } from '../core/config/security.js';
import { ConfigError } from '../core/errors.js';

/**
 * The file I/O behind settings: the --command-config file and the secrets topics.yaml
 * names by reference. Messages name the variable or file, never what it holds.
 */
export async function readCommandConfigFile(path: string, cwd: string): Promise<ConnectionLayer> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the command config ${path}: ${reason(error)}`, { hint: 'check --command-config / IOTMSG_COMMAND_CONFIG' });
  }
  const layer = readCommandConfig(text, path);
  // Kafka's tools open relative paths from the working directory; so does iotmsg.
  for (const key of ['caFile', 'certFile', 'keyFile', 'keystoreFile', 'registryCaFile'] as const) {
    const value = layer[key];
    if (value !== undefined && !isAbsolute(value)) layer[key] = resolve(cwd, value);
  }
  return layer;
}

export function readSecret(ref: SecretRef, what: string, environment: Readonly<Record<string, string | undefined>>): string {
  if ('env' in ref) {
    const value = environment[ref.env];
    if (value === undefined || value === '') {
      throw new ConfigError(`${what} is read from the environment variable ${ref.env}, which is not set`, { hint: `export ${ref.env}=... before running iotmsg` });
    }
    return value;
  }
  let text: string;
  try {
    text = readFileSync(ref.file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${what} from ${ref.file}: ${reason(error)}`);
  }
  // A secret file usually ends with the newline an editor or `echo` adds; it is not part of the secret.
  const value = text.replace(/\r?\n$/, '');
  if (value === '') throw new ConfigError(`${what} file ${ref.file} is empty`);
  return value;
}

/** The errno reason without the path Node repeats in its message. */
export function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a directory' };
  return (code && known[code]) ?? (error as Error).message;
}
