/**
 * The webview's half of the `ready` → `init` handshake, DOM-free so it tests in Node.
 *
 * `ready` is sent again after 1, 2, 4, 8 and 16 s until `init` arrives (31 s in all).
 * A `ready` that does not reach the host (one CI run saw a panel whose host never
 * heard `ready` within 20 s; the cause was not pinned down) would otherwise leave the
 * panel without its state for good. The host answers every `ready` with the full
 * state, so a repeat costs one redundant `init` at most.
 */

/** Schedules `callback` after `delayMs`; returns a cancel function. */
export type Schedule = (callback: () => void, delayMs: number) => () => void;

export const READY_RESEND_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 16_000];

export class ReadyHandshake {
  private cancelResend: (() => void) | undefined;
  private answered = false;
  private stopped = false;
  private sent = 0;

  constructor(
    private readonly sendReady: () => void,
    private readonly schedule: Schedule,
    private readonly delaysMs: readonly number[] = READY_RESEND_DELAYS_MS,
  ) {}

  /** True once the host answered with `init`. */
  get isAnswered(): boolean {
    return this.answered;
  }

  /** Sends the first `ready` (once; later calls do nothing). */
  start(): void {
    if (this.sent === 0) this.send(0);
  }

  /** The host's `init` arrived: no more repeats. */
  answer(): void {
    this.answered = true;
    this.cancel();
  }

  dispose(): void {
    this.stopped = true;
    this.cancel();
  }

  private send(attempt: number): void {
    this.cancelResend = undefined;
    if (this.answered || this.stopped) return;
    this.sent++;
    this.sendReady();
    const delay = this.delaysMs[attempt];
    if (delay !== undefined) this.cancelResend = this.schedule(() => this.send(attempt + 1), delay);
  }

  private cancel(): void {
    this.cancelResend?.();
    this.cancelResend = undefined;
  }
}
