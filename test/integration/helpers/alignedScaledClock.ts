import type { Clock } from '../../../src/common/clock';
import type { Disposable } from '../../../src/common/disposable';

/**
 * A scaled clock whose time line is fixed by a wall-clock origin, so two processes
 * built with the same (scale, originMs) read the same emulated time. (ScaledClock
 * starts at its own construction time: two of them made a second apart in two
 * processes disagree by about `scale` seconds, which breaks 30-minute token expiry.)
 */
export class AlignedScaledClock implements Clock {
  constructor(
    readonly scale: number,
    readonly originMs: number,
  ) {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`clock scale must be a positive number, got ${scale}`);
  }

  now(): number {
    return this.originMs + (performance.timeOrigin + performance.now() - this.originMs) * this.scale;
  }

  setTimeout(callback: () => void, delayMs: number): Disposable {
    const handle = setTimeout(callback, Math.max(0, delayMs) / this.scale);
    return { dispose: () => clearTimeout(handle) };
  }
}
