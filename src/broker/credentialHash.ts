/**
 * Client credentials of the token broker: generated here, shown once, stored only as
 * a SHA-256 hex digest, and compared in constant time.
 *
 * @remarks A credential is 32 random bytes (base64url) with the `mtb_` prefix, so it
 * can be found by secret scanners and never needs a slow password hash: guessing
 * 256 random bits is infeasible, and SHA-256 keeps the file useless to a reader.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const CREDENTIAL_PREFIX = 'mtb_';

/** Longest bearer credential the broker will even hash (a generated one is 47 characters). */
export const MAX_CREDENTIAL_LENGTH = 512;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A fresh credential: `mtb_` + 32 random bytes as base64url. */
export function generateCredential(random: (n: number) => Buffer = randomBytes): string {
  return `${CREDENTIAL_PREFIX}${random(32).toString('base64url')}`;
}

/** Lowercase hex SHA-256 of the credential's UTF-8 bytes: what the credentials file stores. */
export function hashCredential(credential: string): string {
  return createHash('sha256').update(credential, 'utf8').digest('hex');
}

export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

/**
 * True when `credential` hashes to `storedHex`. Both sides are 32-byte digests, so
 * `timingSafeEqual` sees equal lengths and the time taken says nothing about how
 * many bytes matched.
 */
export function credentialMatches(credential: string, storedHex: string): boolean {
  if (!isSha256Hex(storedHex)) return false;
  const presented = createHash('sha256').update(credential, 'utf8').digest();
  return timingSafeEqual(presented, Buffer.from(storedHex, 'hex'));
}
