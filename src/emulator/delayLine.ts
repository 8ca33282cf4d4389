import type { Clock } from '../common/clock';
import type { Disposable } from '../common/disposable';

/**
 * Runs actions `delayMs` later on `clock`, strictly in the order they were
 * pushed, which is what `--latency-ms` needs: every frame is late, none overtakes
 * another. Each action has its own timer; when one fires, every ready action at
 * the head runs, so a timer firing early or late never reorders frames.
 * With `delayMs` 0 actions run at once.
 */
export class DelayLine implements Disposable {
  private readonly queue: Array<{ action: () => void; ready: boolean; timer: Disposable | undefined }> = [];
  private disposed = false;

  constructor(
    private readonly clock: Clock,
    private readonly delayMs: number,
  ) {}

  push(action: () => void): void {
    if (this.disposed) return;
    if (this.delayMs <= 0 && this.queue.length === 0) {
      action();
      return;
    }
    const item: { action: () => void; ready: boolean; timer: Disposable | undefined } = { action, ready: false, timer: undefined };
    this.queue.push(item);
    item.timer = this.clock.setTimeout(() => {
      item.ready = true;
      this.flush();
    }, this.delayMs);
  }

  /** Actions waiting to run. */
  get pending(): number {
    return this.queue.length;
  }

  private flush(): void {
    while (!this.disposed && this.queue.length > 0 && this.queue[0]!.ready) {
      const item = this.queue.shift()!;
      item.action();
    }
  }

  /** Drops every pending action and its timer. */
  dispose(): void {
    this.disposed = true;
    for (const item of this.queue) item.timer?.dispose();
    this.queue.length = 0;
  }
}
