/**
 * The webview's DOM-bound lifecycle helpers: listeners and intervals as disposables.
 * The shapes themselves (Disposable, DisposableStore, Emitter) are src/common's, which
 * the webview imports (they are browser-safe: see BROWSER_SAFE_COMMON).
 */
import { toDisposable, type Disposable } from '../src/common/disposable';

/** addEventListener that returns its removal. */
export function listen<E extends globalThis.Event = globalThis.Event>(target: EventTarget, type: string, handler: (event: E) => void, options?: AddEventListenerOptions): Disposable {
  const l = handler as unknown as EventListener;
  target.addEventListener(type, l, options);
  return toDisposable(() => target.removeEventListener(type, l, options));
}

export function interval(fn: () => void, ms: number): Disposable {
  const id = setInterval(fn, ms);
  return toDisposable(() => clearInterval(id));
}
