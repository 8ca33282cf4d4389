/**
 * Splits an HTTP request target into path and query BY HAND.
 *
 * The SDK sends `//ws/google.ai…` (a double slash, because its base URL ends in
 * `/`), and `new URL('//ws/…', base)` reads that as a host named `ws`. So the
 * path is everything before the first `?`, with runs of slashes collapsed.
 */
export interface RequestTarget {
  path: string;
  /** Decoded query parameters; the first value wins for repeated names. */
  query: ReadonlyMap<string, string>;
}

export function parseRequestTarget(rawUrl: string | undefined): RequestTarget {
  const raw = rawUrl ?? '/';
  const q = raw.indexOf('?');
  const rawPath = q >= 0 ? raw.slice(0, q) : raw;
  const rawQuery = q >= 0 ? raw.slice(q + 1) : '';
  const path = rawPath.replace(/\/{2,}/g, '/') || '/';
  const query = new Map<string, string>();
  for (const pair of rawQuery.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = safeDecode(eq >= 0 ? pair.slice(0, eq) : pair);
    const value = safeDecode(eq >= 0 ? pair.slice(eq + 1) : '');
    if (!query.has(name)) query.set(name, value);
  }
  return { path, query };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export type Endpoint =
  | { kind: 'liveKey'; apiVersion: 'v1' | 'v1beta' | 'v1alpha' }
  | { kind: 'liveToken' }
  | { kind: 'authTokens' };

const LIVE_KEY = /^\/ws\/google\.ai\.generativelanguage\.(v1|v1beta|v1alpha)\.GenerativeService\.BidiGenerateContent$/;
const LIVE_TOKEN = '/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained';
const AUTH_TOKENS = '/v1alpha/auth_tokens';

/** Which emulated endpoint a (collapsed) path names, or undefined for a 404. */
export function classifyEndpoint(path: string): Endpoint | undefined {
  const m = LIVE_KEY.exec(path);
  if (m) return { kind: 'liveKey', apiVersion: m[1] as 'v1' | 'v1beta' | 'v1alpha' };
  if (path === LIVE_TOKEN) return { kind: 'liveToken' };
  if (path === AUTH_TOKENS) return { kind: 'authTokens' };
  return undefined;
}
