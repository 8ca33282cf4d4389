/**
 * Exponential backoff with full jitter, as a value: `next()` returns the delay and
 * the backoff to use after it, and never mutates.
 *
 * delay(n) = random() × min(capMs, baseMs × 2^n)  ("full jitter", from the AWS
 * Architecture Blog article "Exponential Backoff And Jitter", 2015): spreads
 * reconnecting clients evenly instead of in synchronized waves.
 */
import type { Random } from './ports';

export interface BackoffOptions {
  /** First ceiling in ms. Default 500. */
  baseMs: number;
  /** Largest ceiling in ms. Default 30 000. */
  capMs: number;
  /** Attempts before giving up. Default 8. */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000, maxAttempts: 8 };

export function validateBackoff(options: BackoffOptions): string | undefined {
  if (!(options.baseMs > 0)) return 'reconnect.baseMs must be greater than 0';
  if (!(options.capMs >= options.baseMs)) return 'reconnect.capMs must be at least reconnect.baseMs';
  if (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1) return 'reconnect.maxAttempts must be a whole number ≥ 1';
  return undefined;
}

export class ExponentialBackoff {
  constructor(
    readonly options: BackoffOptions,
    private readonly random: Random,
    /** How many delays have been handed out so far. */
    readonly attempt = 0,
  ) {}

  get exhausted(): boolean {
    return this.attempt >= this.options.maxAttempts;
  }

  /** The ceiling for the next delay: min(cap, base × 2^attempt). */
  get ceilingMs(): number {
    // 2^attempt overflows to Infinity past ~1024; min() keeps it at the cap.
    return Math.min(this.options.capMs, this.options.baseMs * 2 ** this.attempt);
  }

  next(): { delayMs: number; backoff: ExponentialBackoff } {
    const r = Math.min(Math.max(this.random(), 0), 1);
    const delayMs = Math.floor(r * this.ceilingMs);
    return { delayMs, backoff: new ExponentialBackoff(this.options, this.random, this.attempt + 1) };
  }

  reset(): ExponentialBackoff {
    return this.attempt === 0 ? this : new ExponentialBackoff(this.options, this.random, 0);
  }
}
