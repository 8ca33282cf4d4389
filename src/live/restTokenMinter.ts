/** Mints tokens over REST with the API key (the key never leaves this module's request header). */
import type { MintRequest, MintedTokenWire, TokenMinter } from '../core/tokens';
import { createAuthToken, type FetchLike } from './tokenRest';

export class RestTokenMinter implements TokenMinter {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly fetchImpl?: FetchLike,
  ) {}

  mint(request: MintRequest): Promise<MintedTokenWire> {
    return createAuthToken(
      this.baseUrl,
      this.apiKey,
      {
        expireTime: request.expireTime,
        newSessionExpireTime: request.newSessionExpireTime,
        uses: request.uses,
        bidiGenerateContentSetup: request.constraints,
      },
      { fetch: this.fetchImpl },
    );
  }
}
