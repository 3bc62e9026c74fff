import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, readdir, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { interopPython } from './messagesPython.js';

let libraryDir: Promise<string> | undefined;

/**
 * Debian's kcat links librdkafka 2.0.2, whose SCRAM proof Kafka 4.x refuses (it repeats the
 * client nonce; fixed in librdkafka 2.6.1, confluentinc/librdkafka#4895). The tests run the
 * same kcat against the current librdkafka that PyPI's confluent-kafka wheel bundles.
 */
function currentLibrdkafka(): Promise<string> {
  libraryDir ??= (async () => {
    const python = await interopPython();
    const { stdout: site } = await execa(python, ['-c', 'import confluent_kafka, os; print(os.path.dirname(os.path.dirname(confluent_kafka.__file__)))']);
    const libs = join(site.trim(), 'confluent_kafka.libs');
    const bundled = (await readdir(libs)).find((f) => /^librdkafka.*\.so\.1$/.test(f));
    if (!bundled) throw new Error(`no librdkafka in ${libs}`);
    const dir = join(dirname(dirname(python)), 'librdkafka');
    await mkdir(dir, { recursive: true });
    if (!existsSync(join(dir, 'librdkafka.so.1'))) await symlink(join(libs, bundled), join(dir, 'librdkafka.so.1'));
    return dir;
  })();
  return libraryDir;
}

/** Runs kcat with a librdkafka that logs in to Kafka 3.9 and 4.x alike; never rejects. */
export async function kcat(args: string[], options: { input?: string } = {}): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  const env = { ...process.env, LD_LIBRARY_PATH: await currentLibrdkafka() };
  const { exitCode, stdout, stderr } = await execa('kcat', args, { reject: false, timeout: 30_000, input: options.input ?? '', env });
  return { exitCode, stdout, stderr };
}
