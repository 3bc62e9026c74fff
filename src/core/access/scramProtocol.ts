/**
 * SCRAM credentials (KIP-554): DescribeUserScramCredentials (API key 50) and
 * AlterUserScramCredentials (51), which KafkaJS does not have. Both are flexible in every
 * version, so a body starts with request header v2's tagged fields and a response with
 * header v1's. The client salts the password itself, as Kafka's kafka-configs does: the
 * broker stores only the salt and the salted password. Pure.
 */
import { pbkdf2Sync } from 'node:crypto';
import { compactArray, compactBytes, compactString, int32Bytes, int8Bytes, NO_TAGGED_FIELDS, Reader } from '../protocol/bytes.js';

export const DESCRIBE_SCRAM_KEY = 50;
export const ALTER_SCRAM_KEY = 51;
export const SCRAM_VERSION = 0;

export const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type ScramMechanism = (typeof SCRAM_MECHANISMS)[number];

/** The protocol's numbers for the mechanisms; 0 is "unknown". */
const MECHANISM_CODES: Record<ScramMechanism, number> = { 'SCRAM-SHA-256': 1, 'SCRAM-SHA-512': 2 };
const HASHES: Record<ScramMechanism, { name: string; bytes: number }> = { 'SCRAM-SHA-256': { name: 'sha256', bytes: 32 }, 'SCRAM-SHA-512': { name: 'sha512', bytes: 64 } };

/** The bounds Kafka's ScramMechanism sets on iterations. */
export const SCRAM_ITERATIONS = { min: 4096, max: 16384, default: 4096 } as const;

export interface ScramUser {
  user: string;
  errorCode: number;
  errorMessage: string | undefined;
  credentials: { mechanism: ScramMechanism | 'unknown'; iterations: number }[];
}

export interface ScramUpsertion {
  user: string;
  mechanism: ScramMechanism;
  iterations: number;
  salt: Buffer;
  /** Hi(password, salt, iterations) of RFC 5802: PBKDF2 with the mechanism's HMAC. */
  saltedPassword: Buffer;
}

export interface ScramDeletion {
  user: string;
  mechanism: ScramMechanism;
}

export interface ScramResult {
  user: string;
  errorCode: number;
  errorMessage: string | undefined;
}

/** What the broker stores for `password`; the salt is the caller's (random) choice. */
export function saltedCredential(user: string, mechanism: ScramMechanism, password: string, iterations: number, salt: Buffer): ScramUpsertion {
  const hash = HASHES[mechanism];
  // SASLprep would normalise the password; Kafka's own ScramFormatter takes it as UTF-8 as it is.
  const saltedPassword = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, hash.bytes, hash.name);
  return { user, mechanism, iterations, salt, saltedPassword };
}

function mechanismOf(code: number): ScramMechanism | 'unknown' {
  return SCRAM_MECHANISMS.find((m) => MECHANISM_CODES[m] === code) ?? 'unknown';
}

/**
 * Every user with credentials when `users` is null, else those named. "Every user" is an
 * empty array, as Kafka's AdminClient sends it: a broker building its authorization error
 * for a null array fails, and closes the connection instead of answering.
 */
export function encodeDescribeScramRequest(users: readonly string[] | null): Buffer {
  const names = (users ?? []).map((user) => Buffer.concat([compactString(user), NO_TAGGED_FIELDS]));
  return Buffer.concat([NO_TAGGED_FIELDS, compactArray(names), NO_TAGGED_FIELDS]);
}

export function decodeDescribeScramResponse(response: Buffer): { errorCode: number; errorMessage: string | undefined; users: ScramUser[] } {
  const r = new Reader(response);
  r.taggedFields(); // response header v1
  r.int32(); // throttle time
  const errorCode = r.int16();
  const errorMessage = r.compactString();
  const users = r.compactArray(() => {
    const user = r.compactString() ?? '';
    const userError = r.int16();
    const userMessage = r.compactString();
    const credentials = r.compactArray(() => {
      const mechanism = mechanismOf(r.int8());
      const iterations = r.int32();
      r.taggedFields();
      return { mechanism, iterations };
    });
    r.taggedFields();
    return { user, errorCode: userError, errorMessage: userMessage, credentials };
  });
  r.taggedFields();
  return { errorCode, errorMessage, users };
}

export function encodeAlterScramRequest(deletions: readonly ScramDeletion[], upsertions: readonly ScramUpsertion[]): Buffer {
  const deleted = deletions.map((d) => Buffer.concat([compactString(d.user), int8Bytes(MECHANISM_CODES[d.mechanism]), NO_TAGGED_FIELDS]));
  const upserted = upsertions.map((u) =>
    Buffer.concat([compactString(u.user), int8Bytes(MECHANISM_CODES[u.mechanism]), int32Bytes(u.iterations), compactBytes(u.salt), compactBytes(u.saltedPassword), NO_TAGGED_FIELDS]),
  );
  return Buffer.concat([NO_TAGGED_FIELDS, compactArray(deleted), compactArray(upserted), NO_TAGGED_FIELDS]);
}

export function decodeAlterScramResponse(response: Buffer): ScramResult[] {
  const r = new Reader(response);
  r.taggedFields(); // response header v1
  r.int32(); // throttle time
  const results = r.compactArray(() => {
    const user = r.compactString() ?? '';
    const errorCode = r.int16();
    const errorMessage = r.compactString();
    r.taggedFields();
    return { user, errorCode, errorMessage };
  });
  r.taggedFields();
  return results;
}
