/**
 * Notices a visible panel whose webview never says `ready`.
 *
 * Why: a webview's iframe can hang before it runs any of our code. Seen here in
 * code-server (1 of 15 runs of test/extensionHost/commands.test.ts): a panel opened
 * right after another one was closed mid-load never ran its script, and the browser
 * console showed no error. VS Code's webview loader waits for its service worker to
 * take control before it loads content (microsoft/vscode#125993 is the loud form of
 * the same fragility). A fresh panel, with a fresh iframe, loads; so the panel
 * manager reopens a stuck panel once, and asks the user to reload the window if
 * that one hangs too.
 *
 * No `vscode` import: the timing is tested with a fake clock.
 */
import type { Clock } from '../common/clock';
import type { Disposable } from '../common/disposable';

/** From the HTML being set (or the panel being shown) to `ready`; a healthy load here takes 0.2 to 2 s. */
export const PANEL_LOAD_TIMEOUT_MS = 10_000;

export class PanelLoadWatchdog implements Disposable {
  private timer: Disposable | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: () => number,
    private readonly onStuck: () => void,
  ) {}

  /** True while a `ready` is awaited. */
  get isWaiting(): boolean {
    return this.timer !== undefined;
  }

  /** A document is loading (HTML set, or the panel shown again): wait for `ready`, unless already waiting. */
  expectReady(): void {
    if (this.timer) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.onStuck();
    }, this.timeoutMs());
  }

  /** `ready` arrived, or the panel was hidden (it has no document to wait for). */
  stop(): void {
    this.timer?.dispose();
    this.timer = undefined;
  }

  dispose(): void {
    this.stop();
  }
}
