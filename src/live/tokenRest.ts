/**
 * `POST /v1alpha/auth_tokens` with `fetch`: one request does not justify loading the
 * SDK (761 KB minified, 84 ms to load, measured). The body equals what
 * `ai.authTokens.create` sends for the same config (checked by the parity test).
 */
import { MoonTalkError } from '../common/errors';
import type { ClientSetup } from '../core/messages';
import { authTokensUrl } from './endpoints';

export interface AuthTokenRequest {
  expireTime?: string;
  newSessionExpireTime?: string;
  uses?: number;
  /** Locks the model and config the token may be used with (SDK: `liveConnectConstraints`). */
  bidiGenerateContentSetup?: ClientSetup;
}

export interface AuthTokenResponse {
  name: string;
  expireTime?: string;
  newSessionExpireTime?: string;
  uses?: number;
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

export async function createAuthToken(
  baseUrl: string,
  apiKey: string,
  request: AuthTokenRequest,
  options: { fetch?: FetchLike; timeoutMs?: number } = {},
): Promise<AuthTokenResponse> {
  const doFetch: FetchLike = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 15_000);
  let status: number;
  let text: string;
  try {
    const res = await doFetch(authTokensUrl(baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-goog-api-key': apiKey },
      body: JSON.stringify(request),
      signal: controller.signal,
    });
    status = res.status;
    text = await res.text();
  } catch (err) {
    throw new MoonTalkError('tokenMint', `Could not reach the token service: ${(err as Error).message}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status === 401 || status === 403 || (status === 400 && /API key not valid|API_KEY_INVALID/i.test(text))) {
    throw new MoonTalkError('badKey', `The token service refused the API key (HTTP ${status}): ${errorText(body) ?? 'no details'}`, { code: status });
  }
  if (status < 200 || status >= 300) {
    throw new MoonTalkError('tokenMint', `Minting a token failed (HTTP ${status}): ${errorText(body) ?? text.slice(0, 200)}`, { code: status });
  }
  if (!body || typeof body !== 'object' || typeof (body as { name?: unknown }).name !== 'string' || !(body as { name: string }).name.startsWith('auth_tokens/')) {
    throw new MoonTalkError('tokenMint', 'The token service answered without a token name.');
  }
  return body as AuthTokenResponse;
}

function errorText(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'error' in body) {
    const e = (body as { error?: { message?: unknown } }).error;
    if (e && typeof e.message === 'string') return e.message;
  }
  return undefined;
}
