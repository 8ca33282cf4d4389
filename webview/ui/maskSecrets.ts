/**
 * Defence in depth for the debug view: the host already redacts the JSON it sends
 * (src/common/redact.ts); this masks anything that still looks like a credential
 * before it is shown or copied. Pure.
 */
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Query parameters carrying credentials.
  [/([?&](?:key|access_token)=)[^&"'\s]+/gi, '$1<redacted>'],
  // Ephemeral token names: keep a short prefix, like the host's masking.
  [/(auth_tokens\/)([A-Za-z0-9_-]{2})[A-Za-z0-9_-]{3,}/g, '$1$2…'],
  // Google API keys.
  [/AIza[0-9A-Za-z_-]{30,}/g, '<redacted>'],
  // JSON properties named like secrets, unless already redacted.
  [/("(?:apiKey|api_key|token|accessToken|access_token|authorization|key)"\s*:\s*")(?!<)[^"]*(")/gi, '$1<redacted>$2'],
];

export function maskSecrets(text: string): string {
  let out = text;
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** Pretty-prints JSON text when it parses; otherwise returns it as is. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
