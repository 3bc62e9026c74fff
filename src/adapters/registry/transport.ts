import { readFileSync } from 'node:fs';
import type { RegistrySettings } from '../../core/config/settings.js';
import { ConfigError } from '../../core/errors.js';

/** What every call to a registry carries: basic auth when a user is set, and the CA to trust for https. */
export interface RegistryTransport {
  headers: Record<string, string>;
  ca: Buffer | undefined;
}

export function registryTransport(settings: RegistrySettings): RegistryTransport {
  const authorization = basicAuthorization(settings);
  return { headers: authorization === undefined ? {} : { authorization }, ca: settings.caFile === undefined ? undefined : readCa(settings.caFile) };
}

/** The Authorization header for registry basic auth, when a username is set. */
export function basicAuthorization(credentials: { username: string | undefined; password: string | undefined }): string | undefined {
  return credentials.username === undefined ? undefined : `Basic ${Buffer.from(`${credentials.username}:${credentials.password ?? ''}`).toString('base64')}`;
}

function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(`cannot read the schema registry's CA file ${file}: ${reason}`, { hint: 'point the registry CA setting at a readable PEM file', cause: error });
  }
}
