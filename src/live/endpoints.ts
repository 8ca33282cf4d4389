/**
 * Where the Live API lives, for a base URL in the SDK's `httpOptions.baseUrl` sense:
 * REST under `BASE/v1alpha/...`, the WebSocket on the same host (http→ws, https→wss).
 * Credentials go where the service expects them (measured against @google/genai 3.3.0):
 * the key only as `key=` on the WebSocket URL, a token only as `access_token=auth_tokens/…`
 * with its `/` not percent-encoded.
 */
import type { Credential } from '../core/ports';

export const GEMINI_API_BASE_URL = 'https://generativelanguage.googleapis.com';

/** The API version the SDK 3.x uses with a key. Tokens are v1alpha only. */
export type ApiVersion = 'v1' | 'v1beta' | 'v1alpha';
export const DEFAULT_KEY_API_VERSION: ApiVersion = 'v1';

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

export function websocketBase(baseUrl: string): string {
  const url = new URL(trimBase(baseUrl));
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new Error(`unsupported base URL scheme: ${url.protocol}`);
  return trimBase(url.toString());
}

export function liveWebSocketUrl(baseUrl: string, credential: Credential, apiVersion: ApiVersion = DEFAULT_KEY_API_VERSION): string {
  const base = websocketBase(baseUrl);
  if (credential.kind === 'apiKey') {
    return `${base}/ws/google.ai.generativelanguage.${apiVersion}.GenerativeService.BidiGenerateContent?key=${encodeURIComponent(credential.apiKey)}`;
  }
  // Keep `auth_tokens/` readable: the SDK sends it that way and the service expects it.
  const token = credential.name.split('/').map(encodeURIComponent).join('/');
  return `${base}/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained?access_token=${token}`;
}

export function authTokensUrl(baseUrl: string): string {
  return `${trimBase(baseUrl)}/v1alpha/auth_tokens`;
}

/** True for 127.0.0.0/8, ::1 and localhost: the only plain-http hosts we talk to without being told to. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}
