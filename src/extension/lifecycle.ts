/**
 * The base class of every host object: it owns what it registers and disposes it
 * last-in first-out, once. Anything registered after disposal is disposed at once,
 * so a late async result (a panel, an emulator, a timer) can never leak.
 *
 * @example
 * class StatusBar extends Disposable {
 *   private readonly item = this._register(vscode.window.createStatusBarItem());
 * }
 */
import { DisposableStore, toDisposable, type Disposable as DisposableLike } from '../common/disposable';

export type { DisposableLike };

export abstract class Disposable implements DisposableLike {
  private readonly _disposables = new DisposableStore();

  /** True once dispose() ran; async work checks it before acting on a result. */
  protected get isDisposed(): boolean {
    return this._disposables.isDisposed;
  }

  /** Takes ownership of `item` (disposed with this object; at once if this object is already disposed). */
  protected _register<T extends DisposableLike>(item: T): T {
    return this._disposables.add(item);
  }

  /** Registers a plain cleanup function. */
  protected _onDispose(fn: () => void): void {
    this._disposables.add(toDisposable(fn));
  }

  dispose(): void {
    this._disposables.dispose();
  }
}
