// Helpers the message benches share: timing a process under GNU time, and the key/value file
// that kcat -P reads (the very bytes iotmsg's generator writes).
import { spawnSync } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const bin = fileURLToPath(new URL('../bin/iotmsg.js', import.meta.url));
export const schemaFile = fileURLToPath(new URL('../schemas/sensor-data.avsc', import.meta.url));
const dist = new URL('../dist/', import.meta.url);
/** A module of the built iotmsg (run `npm run build` first). */
export const built = (path) => import(new URL(path, dist).href);

export const KEY_DELIMITER = '~#K#~';
export const MESSAGE_DELIMITER = '~#M#~';

/** Runs a command under GNU time: wall seconds, peak RSS in MB, and its output. */
export function timed(command, args, options = {}) {
  const result = spawnSync('/usr/bin/time', ['-v', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, ...options, env: { ...process.env, NO_COLOR: '1', ...options.env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(-2000)}`);
  const field = (name) => result.stderr.match(new RegExp(`${name}: (.+)`))?.[1];
  const [m, s] = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)').split(':').slice(-2).map(Number);
  return { seconds: m * 60 + s, peakRssMb: Math.round(Number(field('Maximum resident set size \\(kbytes\\)')) / 1024), stdout: result.stdout, stderr: result.stderr };
}

export function iotmsg(args, options) {
  return timed(process.execPath, [bin, ...args], options);
}

/**
 * Writes `count` generated readings (seed `seed`, Avro with the registry's schema id) as
 * kcat -P input: key, KEY_DELIMITER, value, MESSAGE_DELIMITER. Returns the value bytes written.
 */
export async function writeKcatInput(file, { schemaId, schemaText, count, seed }) {
  const { generateMessages } = await built('core/messages/index.js');
  const { parseSchemaText } = await built('core/schemas/index.js');
  const { AvroWireEncoder } = await built('adapters/serde/avro.js');
  const model = parseSchemaText(schemaText, { validateDefaults: false }).schema.schema;
  const encoder = await AvroWireEncoder.create(schemaId, schemaText, model);
  const chunks = [];
  let payloadBytes = 0;
  for (const { key, value } of generateMessages(model, { seed, count, endMs: Date.now() })) {
    const encoded = encoder.encode(value).bytes;
    if (encoded.includes(MESSAGE_DELIMITER) || encoded.includes(KEY_DELIMITER)) throw new Error('a delimiter occurs in the data; pick another');
    chunks.push(Buffer.from(key + KEY_DELIMITER), encoded, Buffer.from(MESSAGE_DELIMITER));
    payloadBytes += encoded.length;
  }
  await writeFile(file, Buffer.concat(chunks));
  return payloadBytes;
}

/** kcat -P arguments that write a writeKcatInput file with acks=all and idempotence, keys placed as Java places them. */
export function kcatProduceArgs(input, topic) {
  return ['-P', '-t', topic, '-K', KEY_DELIMITER, '-D', MESSAGE_DELIMITER, '-X', 'acks=all', '-X', 'enable.idempotence=true', '-X', 'partitioner=murmur2_random', '-l', input];
}

/**
 * Debian bookworm's kcat links librdkafka 2.0.2, whose SCRAM Kafka 4.x refuses; a current
 * librdkafka (the one the test suite takes from PyPI's confluent-kafka wheel) is used instead.
 * IOTMSG_KCAT_LIBRDKAFKA_DIR names a directory holding librdkafka.so.1.
 */
export function currentLibrdkafkaEnv() {
  const cache = process.env.IOTMSG_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'iotmsg');
  const dir = process.env.IOTMSG_KCAT_LIBRDKAFKA_DIR ?? join(cache, 'interop-venv-confluent-kafka-2.16.0', 'librdkafka');
  if (!existsSync(join(dir, 'librdkafka.so.1'))) {
    throw new Error(`no librdkafka.so.1 in ${dir}: run the integration tests once (they install it) or set IOTMSG_KCAT_LIBRDKAFKA_DIR`);
  }
  return { LD_LIBRARY_PATH: dir };
}

/**
 * Output thrown away, for stdio: /dev/null opened write-only, as a shell's `> /dev/null` is. (Node's
 * 'ignore' opens it read-write, which iotmsg takes for a stdout the shell closed, `>&-`.)
 */
export const toDevNull = ['ignore', openSync('/dev/null', 'w'), 'pipe'];

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
