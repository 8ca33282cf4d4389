/**
 * Per-client token bucket on an injected Clock: `ratePerMinute` requests may come at
 * once (the burst), then one more every `60 / ratePerMinute` seconds.
 *
 * @remarks Buckets exist only for clients in the credentials file (the caller limits
 * after authentication), so the map is bounded by the number of clients.
 */
import type { Clock } from '../common/clock';

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private ratePerMinute: number,
  ) {
    this.setRate(ratePerMinute);
  }

  /** Changes the rate (after the credentials file is reloaded); buckets keep their level, capped. */
  setRate(ratePerMinute: number): void {
    if (!(ratePerMinute > 0) || !Number.isFinite(ratePerMinute)) throw new RangeError(`ratePerMinute must be positive, got ${ratePerMinute}`);
    this.ratePerMinute = ratePerMinute;
    for (const b of this.buckets.values()) b.tokens = Math.min(b.tokens, ratePerMinute);
  }

  /** Takes one request from `clientId`'s bucket, or says how long until one is free. */
  take(clientId: string): RateDecision {
    const now = this.clock.now();
    const perMs = this.ratePerMinute / 60_000;
    const bucket = this.buckets.get(clientId) ?? { tokens: this.ratePerMinute, at: now };
    bucket.tokens = Math.min(this.ratePerMinute, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(clientId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / perMs) };
  }

  /** Forgets clients no longer in the credentials file. */
  retain(clientIds: ReadonlySet<string>): void {
    for (const id of [...this.buckets.keys()]) if (!clientIds.has(id)) this.buckets.delete(id);
  }
}
