/**
 * A Clock whose time moves only when a test says so. Timers run in due-time order
 * (ties in the order they were scheduled); a timer scheduled by a callback during
 * `advance` runs too if it falls inside the window. Every loop is bounded, so a
 * timer that reschedules itself forever fails the test instead of hanging it.
 */
import type { Clock } from '../../src/common/clock';
import type { Disposable } from '../../src/common/disposable';

interface FakeTimer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/** 2025-01-01T00:00:00Z: epoch-based like the system clock, so ISO dates in tokens make sense. */
export const FAKE_EPOCH = Date.UTC(2025, 0, 1);

export class FakeClock implements Clock {
  private current: number;
  private timers: FakeTimer[] = [];
  private nextId = 1;
  /** How many callbacks have run, over the clock's life. */
  firedCount = 0;

  constructor(
    start = FAKE_EPOCH,
    /** Most callbacks one `advance`/`runAll` may run before it throws. */
    private readonly maxCallbacksPerCall = 10_000,
  ) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): Disposable {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const timer: FakeTimer = { id: this.nextId++, due: this.current + delay, callback };
    this.timers.push(timer);
    return {
      dispose: () => {
        this.timers = this.timers.filter((t) => t !== timer);
      },
    };
  }

  /** Timers scheduled and neither run nor disposed. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Delay until the next timer is due, or undefined when none is pending. */
  get nextDueInMs(): number | undefined {
    const next = this.peek();
    return next === undefined ? undefined : next.due - this.current;
  }

  /**
   * Moves time forward by `ms`, running every timer due in the window in time order.
   * Time stands at each timer's due time while its callback runs.
   */
  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`advance(${ms}): need a finite ms ≥ 0`);
    const target = this.current + ms;
    let ran = 0;
    for (;;) {
      const next = this.peek();
      if (!next || next.due > target) break;
      if (++ran > this.maxCallbacksPerCall) throw new Error(`FakeClock.advance(${ms}): more than ${this.maxCallbacksPerCall} callbacks; a timer loop?`);
      this.fire(next);
    }
    this.current = target;
  }

  /** Runs timers (jumping time to each) until none is pending; throws past `limit` callbacks. */
  runAll(limit = 1_000): void {
    let ran = 0;
    for (;;) {
      const next = this.peek();
      if (!next) return;
      if (++ran > limit) throw new Error(`FakeClock.runAll: more than ${limit} callbacks; a timer loop?`);
      this.fire(next);
    }
  }

  private peek(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) {
      if (!best || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t;
    }
    return best;
  }

  private fire(timer: FakeTimer): void {
    this.timers = this.timers.filter((t) => t !== timer);
    this.current = Math.max(this.current, timer.due);
    this.firedCount++;
    timer.callback();
  }
}

/**
 * Lets every pending promise continuation run (setImmediate comes after the whole
 * microtask queue). The session core awaits credentials and opens, so tests call
 * this after anything that starts async work.
 */
export async function flushMicrotasks(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** `advance` in steps, flushing promise continuations after each timer window, for flows that mix timers and awaits. */
export async function advanceAndFlush(clock: FakeClock, ms: number, stepMs = ms): Promise<void> {
  let left = ms;
  await flushMicrotasks();
  while (left > 0) {
    const step = Math.min(stepMs, left);
    clock.advance(step);
    left -= step;
    await flushMicrotasks();
  }
}
