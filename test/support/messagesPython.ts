import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Pinned: 2.16.1 needs a certifi newer than PyPI serves here. */
const CONFLUENT_KAFKA = 'confluent-kafka[avro,schemaregistry]==2.16.0';
export const INTEROP_SCRIPT = fileURLToPath(new URL('./messagesInterop.py', import.meta.url));

/**
 * A virtualenv with confluent-kafka, made once and kept in iotmsg's cache folder, so the
 * interop tests have an independent Confluent-wire-format client. Needs python3 and PyPI.
 */
export async function interopPython(): Promise<string> {
  const cache = process.env.IOTMSG_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'iotmsg');
  const venv = join(cache, 'interop-venv-confluent-kafka-2.16.0');
  const python = join(venv, 'bin', 'python');
  const ready = join(venv, '.installed');
  if (!existsSync(ready)) {
    await execa('python3', ['-m', 'venv', venv]);
    await execa(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', CONFLUENT_KAFKA]);
    await execa('touch', [ready]);
  }
  return python;
}
