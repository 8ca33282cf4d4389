/** A minimal manual clock for the broker's unit tests (time moves only on advance). */
import type { Clock } from '../../../src/common/clock';
import type { Disposable } from '../../../src/common/disposable';

export class FakeClock implements Clock {
  private timers: Array<{ at: number; callback: () => void; active: boolean }> = [];
  constructor(private time = Date.UTC(2025, 0, 1)) {}
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, delayMs: number): Disposable {
    const timer = { at: this.time + Math.max(0, delayMs), callback, active: true };
    this.timers.push(timer);
    return { dispose: () => void (timer.active = false) };
  }
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.active && t.at <= this.time).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((t) => !due.includes(t));
    for (const t of due) t.callback();
  }
}
