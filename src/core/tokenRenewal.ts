/**
 * Keeps a token-mode conversation alive past its token's `expireTime`: shortly before
 * the token in use expires, mint a new one and hand the session off to it at a turn
 * boundary (the same warm-standby handoff as for goAway), so the conversation never
 * notices. Failures retry with backoff and are reported before the deadline, not after.
 */
import type { Clock } from '../common/clock';
import { DisposableStore, type Disposable } from '../common/disposable';
import { Emitter, type Event } from '../common/event';
import { MoonTalkError, errorMessage } from '../common/errors';
import type { Logger } from '../common/logger';
import { ExponentialBackoff, type BackoffOptions } from './backoff';
import type { LiveSession } from './liveSession';
import type { Random } from './ports';
import type { EphemeralToken, TokenCredentials, TokenStatus } from './tokens';

export interface RenewalPolicy {
  /** Start renewing this long before the token in use expires. Default 120 000 (2 min). */
  leadMs: number;
  /** Retries of a failed mint; they stop at the token's expiry. */
  retry: BackoffOptions;
}

export const DEFAULT_RENEWAL_POLICY: RenewalPolicy = {
  leadMs: 120_000,
  retry: { baseMs: 1_000, capMs: 15_000, maxAttempts: 1_000 },
};

export type RenewalEvent =
  | { type: 'expiringSoon'; timeLeftMs: number }
  | { type: 'renewed'; status: TokenStatus }
  | { type: 'renewalFailed'; error: MoonTalkError; willRetry: boolean; timeLeftMs: number }
  | { type: 'expired' };

export class TokenRenewal implements Disposable {
  private readonly emitter: Emitter<RenewalEvent>;
  readonly onDidChange: Event<RenewalEvent>;
  private readonly subs = new DisposableStore();
  /** The token the live connection was opened with, and the timer that renews it. */
  private watched: { token: EphemeralToken; timer: Disposable } | undefined;
  private renewing = false;

  constructor(
    private readonly session: LiveSession,
    private readonly tokens: TokenCredentials,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly logger: Logger,
    private readonly policy: RenewalPolicy = DEFAULT_RENEWAL_POLICY,
  ) {
    this.emitter = new Emitter((err) => this.logger.error(`a token renewal listener threw: ${errorMessage(err)}`));
    this.onDidChange = this.emitter.event;
    this.subs.add(
      session.onDidEmit((e) => {
        if (e.type === 'connected') this.watch();
        else if (e.type === 'closed' || (e.type === 'error' && e.fatal)) this.unwatch();
      }),
    );
  }

  /** The connection in use was opened with the current token: renew it before it expires. */
  private watch(): void {
    const token = this.tokens.current;
    if (!token || this.watched?.token === token) return;
    this.unwatch();
    const dueIn = token.expiresAt - this.policy.leadMs - this.clock.now();
    const timer = this.clock.setTimeout(() => void this.renew(token), Math.max(0, dueIn));
    this.watched = { token, timer };
  }

  private unwatch(): void {
    this.watched?.timer.dispose();
    this.watched = undefined;
  }

  private async renew(token: EphemeralToken): Promise<void> {
    if (this.renewing || this.watched?.token !== token) return;
    this.renewing = true;
    let backoff = new ExponentialBackoff(this.policy.retry, this.random);
    this.emitter.fire({ type: 'expiringSoon', timeLeftMs: Math.max(0, token.expiresAt - this.clock.now()) });
    try {
      for (;;) {
        try {
          await this.tokens.mint('renewal');
          this.emitter.fire({ type: 'renewed', status: this.tokens.status() });
          // The deadline is the old token's expiry: the handoff must not wait for a turn past it.
          this.session.refresh('tokenRenewal', token.expiresAt);
          return;
        } catch (err) {
          const error = err instanceof MoonTalkError ? err : new MoonTalkError('tokenMint', errorMessage(err), { cause: err });
          const { delayMs, backoff: next } = backoff.next();
          backoff = next;
          const timeLeftMs = token.expiresAt - this.clock.now();
          const willRetry = timeLeftMs - delayMs > 0 && !backoff.exhausted && this.watched?.token === token;
          this.logger.warn(`token renewal failed (${error.message}); ${willRetry ? `retrying in ${Math.round(delayMs)} ms` : 'giving up'}`);
          this.emitter.fire({ type: 'renewalFailed', error, willRetry, timeLeftMs: Math.max(0, timeLeftMs) });
          if (!willRetry) {
            if (timeLeftMs <= 0) this.emitter.fire({ type: 'expired' });
            return;
          }
          // The wait is owned by `subs` (so dispose cancels it) and leaves it once it has fired.
          await new Promise<void>((resolve) => {
            const wait = this.subs.add(
              this.clock.setTimeout(() => {
                this.subs.delete(wait);
                resolve();
              }, delayMs),
            );
          });
        }
      }
    } finally {
      this.renewing = false;
    }
  }

  dispose(): void {
    this.unwatch();
    this.subs.dispose();
    this.emitter.dispose();
  }
}
