import type { Disposable } from './disposable';

/**
 * Time as the session layer sees it. Everything that waits goes through a Clock,
 * so tests use a fake one and soaks run hours of session time in seconds.
 */
export interface Clock {
  /** Milliseconds on this clock's time line (epoch-based for the system clock). */
  now(): number;
  /** Runs `callback` after `delayMs` of this clock's time; dispose to cancel. */
  setTimeout(callback: () => void, delayMs: number): Disposable;
}

export const systemClock: Clock = {
  // Epoch milliseconds with sub-millisecond precision: handoff gaps on loopback are
  // fractions of a millisecond, and Date.now() would round them to 0 or 1.
  now: () => performance.timeOrigin + performance.now(),
  setTimeout(callback, delayMs) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    return { dispose: () => clearTimeout(handle) };
  },
};

/**
 * A clock whose time runs `scale` times faster than the wall clock, starting at
 * the wall clock's now. Used by the emulator's `--clock-scale` and by soaks:
 * a 10-minute connection lifetime passes in 10/scale real minutes.
 */
export class ScaledClock implements Clock {
  private readonly startReal: number;
  private readonly startVirtual: number;

  constructor(
    readonly scale: number,
    private readonly base: Clock = systemClock,
  ) {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`clock scale must be a positive number, got ${scale}`);
    this.startReal = base.now();
    this.startVirtual = this.startReal;
  }

  now(): number {
    return this.startVirtual + (this.base.now() - this.startReal) * this.scale;
  }

  setTimeout(callback: () => void, delayMs: number): Disposable {
    return this.base.setTimeout(callback, Math.max(0, delayMs) / this.scale);
  }
}

/** Resolves after `delayMs` on `clock`. */
export function sleep(clock: Clock, delayMs: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, delayMs));
}
