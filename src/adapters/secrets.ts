import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
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
  // Kafka's tools open relative paths from the working directory; so does iotmsg.
  return withPathsFrom(readCommandConfig(text, path), cwd);
}

function withPathsFrom(layer: ConnectionLayer, base: string): ConnectionLayer {
  for (const key of ['caFile', 'certFile', 'keyFile', 'keystoreFile', 'registryCaFile'] as const) {
    const value = layer[key];
    if (value !== undefined && !isAbsolute(value)) layer[key] = resolve(base, value);
  }
  return layer;
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Where profiles live: $IOTMSG_CONFIG_DIR, else $XDG_CONFIG_HOME/iotmsg, else ~/.config/iotmsg. */
export function profilesDir(environment: Readonly<Record<string, string | undefined>>): string {
  const configDir = environment.IOTMSG_CONFIG_DIR || join(environment.XDG_CONFIG_HOME || join(homedir(), '.config'), 'iotmsg');
  return join(configDir, 'profiles');
}

/** The names of the profiles there are, sorted; none when the directory does not exist. */
export async function listProfiles(environment: Readonly<Record<string, string | undefined>>): Promise<{ name: string; file: string }[]> {
  const dir = profilesDir(environment);
  const files = await readdir(dir).catch(() => [] as string[]);
  return files
    .filter((f) => f.endsWith('.properties') && PROFILE_NAME.test(f.slice(0, -'.properties'.length)))
    .map((f) => ({ name: f.slice(0, -'.properties'.length), file: join(dir, f) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A named cluster outside any project: a Kafka client properties file, as --command-config
 * takes, with bootstrap.servers. Relative paths are relative to the profile, which is used
 * from any directory.
 */
export async function readProfile(name: string, environment: Readonly<Record<string, string | undefined>>): Promise<ConnectionLayer> {
  const dir = profilesDir(environment);
  if (!PROFILE_NAME.test(name)) throw new ConfigError(`"${name}" is not a profile name`, { hint: 'profile names are letters, digits, ".", "_" and "-"' });
  const file = join(dir, `${name}.properties`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`cannot read profile "${name}" (${file}): ${reason(error)}`);
    const known = (await listProfiles(environment)).map((p) => p.name);
    throw new ConfigError(`no profile "${name}": ${file} does not exist`, {
      hint: known.length > 0 ? `profiles: ${known.join(', ')}` : `write the cluster's client properties (bootstrap.servers, security.protocol, ...) to ${file}`,
    });
  }
  const layer = withPathsFrom(readCommandConfig(text, file), dir);
  return { ...layer, location: `profile ${name} (${file})` };
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
