// Pure-JavaScript codecs without type declarations of their own (see adapters/kafka/compression.ts).
declare module 'lz4js' {
  /** Compresses into the LZ4 frame format, which Kafka uses since message format v1. */
  export function compress(src: Uint8Array): Uint8Array;
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
}

declare module 'kafkajs-snappy' {
  /** A KafkaJS codec factory for snappy with Kafka's xerial framing. */
  const createSnappyCodec: () => {
    compress(encoder: { buffer: Buffer }): Promise<Buffer>;
    decompress(buffer: Buffer): Promise<Buffer>;
  };
  export default createSnappyCodec;
}
