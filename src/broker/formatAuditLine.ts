/**
 * One audit line per decision, as `audit {json}` so it greps and parses. It holds who
 * asked, what was signed and until when; never the key, never the credential, and
 * never a whole token name (only `maskTokenName`'s `ab…yz` id, enough to tell tokens apart).
 */
import { maskTokenName } from '../common/redact';

export type AuditEntry =
  | {
      event: 'tokenMinted';
      client: string;
      model: string;
      expireTime: string;
      newSessionExpireTime: string;
      uses: number;
      /** The whole token name; only its masked form is written. */
      tokenName: string;
      clamped: string[];
    }
  | { event: 'denied'; client: string | null; status: number; reason: string; remote: string | undefined };

export function formatAuditLine(entry: AuditEntry): string {
  if (entry.event === 'tokenMinted') {
    const { tokenName, ...rest } = entry;
    // Without the `auth_tokens/` prefix, so the logger's token-name masking leaves it as is.
    const tokenId = maskTokenName(tokenName).slice('auth_tokens/'.length);
    return `audit ${JSON.stringify({ ...rest, tokenId })}`;
  }
  return `audit ${JSON.stringify(entry)}`;
}
