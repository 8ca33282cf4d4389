/**
 * Gets ephemeral tokens from a team token broker (`moontalk-live broker`) instead of
 * minting them with a key: the client presents a bearer credential, the broker holds
 * the key. Plain http is refused to anything but loopback unless explicitly allowed,
 * since the credential and the token would cross the network in the clear.
 */
import { MoonTalkError } from '../common/errors';
import type { MintRequest, MintedTokenWire, TokenMinter } from '../core/tokens';
import { isLoopbackUrl } from './endpoints';

export const BROKER_TOKEN_PATH = '/v1/tokens';

export class BrokerTokenMinter implements TokenMinter {
  constructor(
    private readonly brokerUrl: string,
    private readonly credential: string,
    options: { allowInsecure?: boolean } = {},
  ) {
    let url: URL;
    try {
      url = new URL(brokerUrl);
    } catch {
      throw new MoonTalkError('invalidConfig', `The broker URL is not a URL: ${brokerUrl}`, { field: 'brokerUrl' });
    }
    if (url.protocol === 'http:' && !isLoopbackUrl(brokerUrl) && !options.allowInsecure) {
      throw new MoonTalkError(
        'invalidConfig',
        `Refusing plain http to ${url.host}: the broker credential and tokens would travel unencrypted. Use https (see docs/broker.md), or allow it explicitly.`,
        { field: 'brokerUrl' },
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new MoonTalkError('invalidConfig', `The broker URL must be http(s): ${brokerUrl}`, { field: 'brokerUrl' });
    }
  }

  async mint(request: MintRequest): Promise<MintedTokenWire> {
    const url = `${this.brokerUrl.replace(/\/+$/, '')}${BROKER_TOKEN_PATH}`;
    let status: number;
    let text: string;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.credential}` },
        body: JSON.stringify({
          model: request.constraints.model,
          uses: request.uses,
          expireTime: request.expireTime,
          newSessionExpireTime: request.newSessionExpireTime,
          constraints: request.constraints,
        }),
        signal: AbortSignal.timeout(15_000),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw new MoonTalkError('tokenMint', `Could not reach the token broker: ${(err as Error).message}`, { cause: err });
    }
    let body: { name?: unknown; error?: { message?: unknown } } | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const detail = typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${status}`;
    if (status === 401 || status === 403) throw new MoonTalkError('badKey', `The token broker refused this client (${status}): ${detail}`, { code: status });
    if (status < 200 || status >= 300 || typeof body?.name !== 'string') {
      throw new MoonTalkError('tokenMint', `The token broker could not mint a token (${status}): ${detail}`, { code: status });
    }
    return body as MintedTokenWire;
  }
}
