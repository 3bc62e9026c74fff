import { homedir } from 'node:os';
import { join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** Downloaded jars, shared by every project of this user. */
export function cacheDir(env: Env = process.env): string {
  if (env.IOTMSG_CACHE_DIR) return env.IOTMSG_CACHE_DIR;
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'iotmsg');
}

/** Data, logs and pid files of the local clusters. */
export function stateRoot(env: Env = process.env): string {
  if (env.IOTMSG_STATE_DIR) return env.IOTMSG_STATE_DIR;
  return join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'iotmsg');
}
