import type { CompressionTypes as CompressionTypesEnum } from 'kafkajs';

/**
 * KafkaJS reads only gzip on its own; a topic with compression.type zstd, lz4 or snappy
 * (the platform's topics.yaml uses zstd and lz4) stores batches it could not read. These
 * pure-JavaScript codecs fill the gap without native builds. iotmsg itself produces
 * uncompressed batches (the broker compresses to the topic's compression.type), so zstd
 * needs only a decompressor.
 */
interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

type CodecRegistry = Record<number, () => Codec>;

// KafkaJS's own entries for these types are functions that throw "not implemented".
let registered = false;

export async function registerCompressionCodecs(kafkajs: { CompressionTypes: typeof CompressionTypesEnum; CompressionCodecs: CodecRegistry }): Promise<void> {
  if (registered) return;
  registered = true;
  const { CompressionTypes, CompressionCodecs } = kafkajs;
  const [{ decompress: zstdDecompress }, lz4, { default: snappyCodec }] = await Promise.all([import('fzstd'), import('lz4js'), import('kafkajs-snappy')]);
  CompressionCodecs[CompressionTypes.ZSTD] = () => ({
    compress: async () => {
      throw new Error('iotmsg does not write zstd-compressed batches');
    },
    decompress: async (buffer) => Buffer.from(zstdDecompress(buffer)),
  });
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: async (encoder) => Buffer.from(lz4.compress(encoder.buffer)),
    decompress: async (buffer) => Buffer.from(lz4.decompress(buffer)),
  });
  CompressionCodecs[CompressionTypes.Snappy] = snappyCodec;
}
