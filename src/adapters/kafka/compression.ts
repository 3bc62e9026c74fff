import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { CompressionTypes as CompressionTypesEnum } from 'kafkajs';
import { Compression } from '../../core/messages/recordBatch.js';

/**
 * KafkaJS reads only gzip on its own; a topic with compression.type zstd, lz4 or snappy
 * (the platform's topics.yaml uses zstd and lz4) stores batches it could not read. These
 * pure-JavaScript codecs fill the gap without native builds, for KafkaJS's consumer (tail
 * --group) and for iotmsg's own fetch. iotmsg itself produces uncompressed batches (the
 * broker compresses to the topic's compression.type), so zstd needs only a decompressor.
 */
interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

type CodecRegistry = Record<number, () => Codec>;

const inflate = promisify(gunzip);

async function loadDecompressors(): Promise<Record<Exclude<Compression, Compression.none>, (data: Buffer) => Promise<Buffer>>> {
  const [{ decompress: zstdDecompress }, lz4, { default: snappyCodec }] = await Promise.all([import('fzstd'), import('lz4js'), import('kafkajs-snappy')]);
  const snappy = snappyCodec();
  return {
    [Compression.gzip]: (data) => inflate(data),
    [Compression.snappy]: (data) => snappy.decompress(data),
    [Compression.lz4]: async (data) => Buffer.from(lz4.decompress(data)),
    [Compression.zstd]: async (data) => Buffer.from(zstdDecompress(data)),
  };
}

let decompressors: ReturnType<typeof loadDecompressors> | undefined;

/** A compressed batch's records. */
export async function decompress(codec: Compression, data: Buffer): Promise<Buffer> {
  if (codec === Compression.none) return data;
  const codecs = await (decompressors ??= loadDecompressors());
  const run = codecs[codec];
  if (!run) throw new Error(`a record batch with an unknown compression type (${codec as number})`);
  return run(data);
}

// KafkaJS's own entries for these types are functions that throw "not implemented".
let registered = false;

export async function registerCompressionCodecs(kafkajs: { CompressionTypes: typeof CompressionTypesEnum; CompressionCodecs: CodecRegistry }): Promise<void> {
  if (registered) return;
  registered = true;
  const { CompressionTypes, CompressionCodecs } = kafkajs;
  const [lz4, { default: snappyCodec }] = await Promise.all([import('lz4js'), import('kafkajs-snappy')]);
  CompressionCodecs[CompressionTypes.ZSTD] = () => ({
    compress: async () => {
      throw new Error('iotmsg does not write zstd-compressed batches');
    },
    decompress: (buffer) => decompress(Compression.zstd, buffer),
  });
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: async (encoder) => Buffer.from(lz4.compress(encoder.buffer)),
    decompress: (buffer) => decompress(Compression.lz4, buffer),
  });
  CompressionCodecs[CompressionTypes.Snappy] = snappyCodec;
}
