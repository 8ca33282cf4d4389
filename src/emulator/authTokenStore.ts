import { randomBytes } from 'node:crypto';
import type { Clock } from '../common/clock';
import type { SetupRequest } from './clientMessage';
import { parseInt64 } from './protoDuration';
import { withModelsPrefix } from './modelProfiles';

/**
 * Ephemeral tokens (`POST /v1alpha/auth_tokens`) and the rules the Live
 * endpoint applies to them (LIVE-PROTOCOL.md "Ephemeral tokens"):
 * - `uses` new sessions (0 = unlimited); resuming with a handle is not a use;
 * - no new session after `newSessionExpireTime`;
 * - nothing at all after `expireTime` (open sessions are closed then);
 * - `bidiGenerateContentSetup` locks the model and the fields it gives.
 */

export interface AuthToken {
  /** `auth_tokens/<id>`. */
  readonly name: string;
  readonly expireTimeMs: number;
  readonly newSessionExpireTimeMs: number;
  /** New sessions allowed; 0 = unlimited. */
  readonly uses: number;
  usesConsumed: number;
  /** The locked setup (`bidiGenerateContentSetup`), if any. */
  readonly lockedSetup: Record<string, unknown> | undefined;
  /** As sent (`fieldMask`); recorded, not enforced beyond the locked fields. */
  readonly fieldMask: string | undefined;
}

export const DEFAULT_TOKEN_EXPIRE_MS = 30 * 60_000;
export const DEFAULT_NEW_SESSION_EXPIRE_MS = 60_000;
export const MAX_TOKEN_AHEAD_MS = 20 * 3_600_000;

export type MintResult = { ok: true; token: AuthToken } | { ok: false; message: string };

/** The JSON the endpoint answers for a minted token. */
export function tokenResponseBody(token: AuthToken): Record<string, unknown> {
  return {
    name: token.name,
    expireTime: new Date(token.expireTimeMs).toISOString(),
    newSessionExpireTime: new Date(token.newSessionExpireTimeMs).toISOString(),
    uses: token.uses,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class AuthTokenStore {
  private readonly tokens = new Map<string, AuthToken>();

  constructor(
    private readonly clock: Clock,
    private readonly newId: () => string = () => randomBytes(32).toString('base64url'),
  ) {}

  /** Validates a request body (already JSON-parsed) and mints a token. */
  mint(body: unknown): MintResult {
    if (body === undefined || body === null) body = {};
    if (!isObject(body)) return { ok: false, message: 'Invalid JSON payload received. Expected an object.' };
    const now = this.clock.now();
    const expire = this.readTime(body, 'expireTime', now + DEFAULT_TOKEN_EXPIRE_MS, now);
    if (typeof expire === 'string') return { ok: false, message: expire };
    const newSession = this.readTime(body, 'newSessionExpireTime', now + DEFAULT_NEW_SESSION_EXPIRE_MS, now);
    if (typeof newSession === 'string') return { ok: false, message: newSession };
    let uses = 1;
    if (body['uses'] !== undefined) {
      const n = parseInt64(body['uses']);
      if (n === undefined) return { ok: false, message: 'uses must be a non-negative integer.' };
      uses = n;
    }
    let lockedSetup: Record<string, unknown> | undefined;
    const setup = body['bidiGenerateContentSetup'];
    if (setup !== undefined) {
      if (!isObject(setup)) return { ok: false, message: 'bidiGenerateContentSetup must be an object.' };
      if (setup['model'] !== undefined && typeof setup['model'] !== 'string') return { ok: false, message: 'bidiGenerateContentSetup.model must be a string.' };
      lockedSetup = setup;
    }
    const fieldMask = typeof body['fieldMask'] === 'string' ? body['fieldMask'] : undefined;
    const token: AuthToken = {
      name: `auth_tokens/${this.newId()}`,
      expireTimeMs: expire,
      newSessionExpireTimeMs: newSession,
      uses,
      usesConsumed: 0,
      lockedSetup,
      fieldMask,
    };
    this.tokens.set(token.name, token);
    return { ok: true, token };
  }

  get(name: string): AuthToken | undefined {
    return this.tokens.get(name);
  }

  all(): AuthToken[] {
    return [...this.tokens.values()];
  }

  /** Forgets tokens whose `expireTime` has passed (nothing can use them any more); returns how many. */
  evictExpired(): number {
    const now = this.clock.now();
    let n = 0;
    for (const [name, token] of this.tokens) {
      if (now >= token.expireTimeMs) {
        this.tokens.delete(name);
        n++;
      }
    }
    return n;
  }

  /** True once the token's `expireTime` has passed. */
  isExpired(token: AuthToken): boolean {
    return this.clock.now() >= token.expireTimeMs;
  }

  /**
   * Whether `setup` may run with `token`; returns the refusal reason (close 1008) or undefined.
   * `resuming`: the setup carries a handle, which is not a use.
   */
  checkSetup(token: AuthToken, setup: SetupRequest, resuming: boolean): string | undefined {
    const now = this.clock.now();
    if (now >= token.expireTimeMs) return 'Ephemeral token expired.';
    const constraint = checkTokenConstraints(token.lockedSetup, setup);
    if (constraint) return `Setup does not match the token constraints: ${constraint}.`;
    if (!resuming) {
      if (now >= token.newSessionExpireTimeMs) return 'Ephemeral token cannot start new sessions: newSessionExpireTime passed.';
      if (token.uses > 0 && token.usesConsumed >= token.uses) return 'Ephemeral token has no uses left.';
    }
    return undefined;
  }

  /** Counts a new session against the token. */
  consumeUse(token: AuthToken): void {
    token.usesConsumed++;
  }

  private readTime(body: Record<string, unknown>, field: string, fallback: number, now: number): number | string {
    const raw = body[field];
    if (raw === undefined) return fallback;
    if (typeof raw !== 'string') return `${field} must be an RFC 3339 timestamp string.`;
    const ms = Date.parse(raw);
    if (Number.isNaN(ms)) return `${field} is not a valid RFC 3339 timestamp.`;
    if (ms <= now) return `${field} must be in the future.`;
    if (ms > now + MAX_TOKEN_AHEAD_MS) return `${field} must be at most 20 hours ahead.`;
    return ms;
  }
}

/**
 * Compares a setup with a token's locked setup. Only fields the lock gives are
 * checked: the model; `generationConfig.responseModalities` (absent in the
 * setup means the default `["AUDIO"]`); `sessionResumption` presence;
 * `contextWindowCompression` values. Returns what differs, or undefined.
 */
export function checkTokenConstraints(locked: Record<string, unknown> | undefined, setup: SetupRequest): string | undefined {
  if (!locked) return undefined;
  const lockedModel = locked['model'];
  if (typeof lockedModel === 'string' && withModelsPrefix(lockedModel) !== setup.model) return 'model';
  const gc = locked['generationConfig'];
  if (isObject(gc) && Array.isArray(gc['responseModalities'])) {
    const want = (gc['responseModalities'] as unknown[]).map(String);
    const got = setup.responseModalities ?? ['AUDIO'];
    if (want.length !== got.length || want.some((m, i) => m !== got[i])) return 'generationConfig.responseModalities';
  }
  if ('sessionResumption' in locked && locked['sessionResumption'] !== undefined && setup.sessionResumption === undefined) {
    return 'sessionResumption';
  }
  const cwc = locked['contextWindowCompression'];
  if (isObject(cwc)) {
    if (!setup.compression) return 'contextWindowCompression';
    const trigger = cwc['triggerTokens'] === undefined ? undefined : parseInt64(cwc['triggerTokens']);
    const sw = cwc['slidingWindow'];
    const target = isObject(sw) && sw['targetTokens'] !== undefined ? parseInt64(sw['targetTokens']) : undefined;
    if (trigger !== setup.compression.triggerTokens || target !== setup.compression.targetTokens) return 'contextWindowCompression';
  }
  return undefined;
}
