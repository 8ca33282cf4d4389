/**
 * Ephemeral tokens: minting through a port (REST with a key, or a team broker),
 * status arithmetic, and a CredentialSource that picks or mints the right token
 * for each connection. Resuming with a handle is not a use; a new session is.
 */
import type { Clock } from '../common/clock';
import { Emitter, type Event } from '../common/event';
import { MoonTalkError } from '../common/errors';
import { maskTokenName } from '../common/redact';
import type { ClientSetup } from './messages';
import type { Credential, CredentialPurpose, CredentialSource } from './ports';

export interface TokenPolicy {
  /** Sessions one token may start; 0 = unlimited. Default 1. */
  uses: number;
  /** Token lifetime. Default 30 min. */
  lifetimeMs: number;
  /** Window for starting new sessions. Default 60 s. */
  newSessionWindowMs: number;
  /** Treat a token as expired this long before it is. Default 10 s. */
  safetyMarginMs: number;
}

export const DEFAULT_TOKEN_POLICY: TokenPolicy = { uses: 1, lifetimeMs: 30 * 60_000, newSessionWindowMs: 60_000, safetyMarginMs: 10_000 };

export interface MintRequest {
  uses: number;
  expireTime: string;
  newSessionExpireTime: string;
  /** The setup the token is locked to (model, modality, resumption). */
  constraints: ClientSetup;
}

export interface MintedTokenWire {
  name: string;
  expireTime?: string;
  newSessionExpireTime?: string;
  uses?: number;
}

/** Mints one token; REST with a key or a broker. Rejects with MoonTalkError ('badKey' / 'tokenMint'). */
export interface TokenMinter {
  mint(request: MintRequest): Promise<MintedTokenWire>;
}

export interface EphemeralToken {
  name: string;
  expiresAt: number;
  newSessionExpiresAt: number;
  /** As minted; 0 = unlimited. */
  uses: number;
  usesConsumed: number;
  mintedAt: number;
}

export interface TokenStatus {
  hasToken: boolean;
  canStartNewSession: boolean;
  isValid: boolean;
  /** Milliseconds, 0 when passed. */
  newSessionTimeLeft: number;
  totalTimeLeft: number;
  /** Uses left (null = unlimited). */
  uses: number | null;
  /** Masked: `auth_tokens/ab…yz`. Never the whole name. */
  name: string | null;
  expiresAt: string | null;
  newSessionExpiresAt: string | null;
}

export function tokenStatus(token: EphemeralToken | undefined, now: number): TokenStatus {
  if (!token) {
    return { hasToken: false, canStartNewSession: false, isValid: false, newSessionTimeLeft: 0, totalTimeLeft: 0, uses: null, name: null, expiresAt: null, newSessionExpiresAt: null };
  }
  const totalTimeLeft = Math.max(0, token.expiresAt - now);
  const newSessionTimeLeft = Math.max(0, Math.min(token.newSessionExpiresAt, token.expiresAt) - now);
  const usesLeft = token.uses === 0 ? null : Math.max(0, token.uses - token.usesConsumed);
  return {
    hasToken: true,
    isValid: totalTimeLeft > 0,
    canStartNewSession: newSessionTimeLeft > 0 && (usesLeft === null || usesLeft > 0),
    newSessionTimeLeft,
    totalTimeLeft,
    uses: usesLeft,
    name: maskTokenName(token.name),
    expiresAt: new Date(token.expiresAt).toISOString(),
    newSessionExpiresAt: new Date(token.newSessionExpiresAt).toISOString(),
  };
}

export function parseMintedToken(wire: MintedTokenWire, request: MintRequest, now: number): EphemeralToken {
  const parse = (s: string | undefined, fallback: string) => {
    const t = Date.parse(s ?? fallback);
    return Number.isFinite(t) ? t : Date.parse(fallback);
  };
  return {
    name: wire.name,
    expiresAt: parse(wire.expireTime, request.expireTime),
    newSessionExpiresAt: parse(wire.newSessionExpireTime, request.newSessionExpireTime),
    uses: wire.uses ?? request.uses,
    usesConsumed: 0,
    mintedAt: now,
  };
}

export type TokenEvent =
  | { type: 'minted'; status: TokenStatus; reason: 'first' | 'newSession' | 'expiring' | 'refused' | 'renewal' | 'constraintsChanged' }
  | { type: 'mintFailed'; error: MoonTalkError }
  /** A new session took one of the token's uses. */
  | { type: 'used'; status: TokenStatus };

/**
 * Hands out tokens per connection: a new session gets a token that can still start
 * one (else a fresh one is minted); a resume reuses the current token while it is valid.
 */
export class TokenCredentials implements CredentialSource {
  readonly mode = 'token' as const;
  private token: EphemeralToken | undefined;
  private readonly emitter = new Emitter<TokenEvent>();
  readonly onDidChange: Event<TokenEvent> = this.emitter.event;
  private minting: Promise<EphemeralToken> | undefined;
  /** The constraints the current token is locked to (JSON), to notice when the session's config moved on. */
  private mintedFor: string | undefined;

  constructor(
    private readonly minter: TokenMinter,
    private readonly clock: Clock,
    private readonly constraints: () => ClientSetup,
    private readonly policy: TokenPolicy = DEFAULT_TOKEN_POLICY,
    private readonly onSecret: (name: string) => void = () => {},
  ) {}

  status(): TokenStatus {
    return tokenStatus(this.token, this.clock.now());
  }

  get current(): EphemeralToken | undefined {
    return this.token;
  }

  /** New-session requests run one at a time, so two callers never both take a token's last use. */
  private newSessionQueue: Promise<unknown> = Promise.resolve();

  get(purpose: CredentialPurpose): Promise<Credential> {
    if (purpose === 'resume') return this.getNow(purpose);
    const next = this.newSessionQueue.then(() => this.getNow(purpose));
    this.newSessionQueue = next.catch(() => undefined);
    return next;
  }

  private async getNow(purpose: CredentialPurpose): Promise<Credential> {
    const now = this.clock.now();
    const margin = this.policy.safetyMarginMs;
    let token = this.token;
    if (token && this.mintedFor !== JSON.stringify(this.constraints())) {
      // The session config changed (say, compression): the current token is locked to the
      // old one and would be refused, so a new one is minted instead of learning that from a 1008.
      token = await this.mint('constraintsChanged');
    }
    if (purpose === 'newSession') {
      const ok =
        token &&
        token.newSessionExpiresAt - margin > now &&
        token.expiresAt - margin > now &&
        (token.uses === 0 || token.usesConsumed < token.uses);
      if (!ok) token = await this.mint(this.token ? 'newSession' : 'first');
      token!.usesConsumed++;
      this.emitter.fire({ type: 'used', status: this.status() });
    } else if (!token || token.expiresAt - margin <= now) {
      token = await this.mint(this.token ? 'expiring' : 'first');
    }
    return { kind: 'token', name: token!.name };
  }

  async replaceRefused(refused: Credential): Promise<Credential | undefined> {
    if (refused.kind !== 'token') return undefined;
    const token = await this.mint('refused');
    token.usesConsumed++;
    this.emitter.fire({ type: 'used', status: this.status() });
    return { kind: 'token', name: token.name };
  }

  /** Mints now (for "Create Ephemeral Token" and planned renewal). Concurrent calls share one request. */
  mint(reason: Extract<TokenEvent, { type: 'minted' }>['reason']): Promise<EphemeralToken> {
    this.minting ??= this.doMint(reason).finally(() => {
      this.minting = undefined;
    });
    return this.minting;
  }

  private async doMint(reason: Extract<TokenEvent, { type: 'minted' }>['reason']): Promise<EphemeralToken> {
    const now = this.clock.now();
    const constraints = this.constraints();
    const request: MintRequest = {
      uses: this.policy.uses,
      expireTime: new Date(now + this.policy.lifetimeMs).toISOString(),
      newSessionExpireTime: new Date(now + this.policy.newSessionWindowMs).toISOString(),
      constraints,
    };
    try {
      const wire = await this.minter.mint(request);
      this.onSecret(wire.name);
      const token = parseMintedToken(wire, request, this.clock.now());
      this.token = token;
      this.mintedFor = JSON.stringify(constraints);
      this.emitter.fire({ type: 'minted', status: this.status(), reason });
      return token;
    } catch (err) {
      const error = err instanceof MoonTalkError ? err : new MoonTalkError('tokenMint', `Minting a token failed: ${(err as Error).message}`, { cause: err });
      this.emitter.fire({ type: 'mintFailed', error });
      throw error;
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
