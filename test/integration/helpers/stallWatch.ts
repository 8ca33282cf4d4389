/**
 * Watches this process for stalls: a 5 ms interval that fires late means the process (client
 * and in-process emulator alike) was not running. Accelerated-clock tests use it to tell a
 * session bug from a loaded machine: at 300× a 200 ms stall is a minute of emulated time, long
 * enough to overstay any goAway, and only a stall can explain such an overstay.
 */
export interface StallWatch {
  /** How many stalls lasted at least `realMs`. */
  longerThan(realMs: number): number;
  /** The longest stall seen, in real ms. */
  readonly longestMs: number;
  stop(): void;
}

const TICK_MS = 5;
/** Shorter lateness is timer jitter, not a stall; it is not recorded (keeps the list short). */
const RECORD_FROM_MS = 20;

export function watchStalls(): StallWatch {
  const stalls: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - TICK_MS;
    if (late >= RECORD_FROM_MS) stalls.push(late);
    last = now;
  }, TICK_MS);
  timer.unref(); // never what keeps a test run alive
  return {
    longerThan: (realMs) => stalls.filter((s) => s >= realMs).length,
    get longestMs() {
      return stalls.reduce((a, b) => Math.max(a, b), 0);
    },
    stop: () => clearInterval(timer),
  };
}
