/**
 * Finds the client behind an `Authorization: Bearer <credential>` header.
 *
 * @remarks Every client's hash is compared, with no early exit, so the time taken
 * does not say which entry (if any) matched or how many bytes did.
 */
import type { BrokerClient } from './brokerConfig';
import { credentialMatches, MAX_CREDENTIAL_LENGTH } from './credentialHash';

export type AuthResult = { ok: true; client: BrokerClient } | { ok: false; reason: 'missing' | 'malformed' | 'unknown' };

const BEARER = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i;

export function authenticateClient(authorization: string | string[] | undefined, clients: readonly BrokerClient[]): AuthResult {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
  const m = BEARER.exec(header);
  if (!m || m[1]!.length > MAX_CREDENTIAL_LENGTH) return { ok: false, reason: 'malformed' };
  const credential = m[1]!;
  let found: BrokerClient | undefined;
  for (const client of clients) {
    if (credentialMatches(credential, client.sha256) && !found) found = client;
  }
  return found ? { ok: true, client: found } : { ok: false, reason: 'unknown' };
}
