/**
 * Disposables and a typed emitter for the webview (STYLE.md §4-5). The webview may
 * not import src/common, so this is the browser's small copy of the same shapes.
 */

export interface Disposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** Disposes what it holds in LIFO order; safe to dispose twice; late additions are disposed at once. */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    while (this.items.length > 0) {
      try {
        this.items.pop()!.dispose();
      } catch (err) {
        console.warn('[panel] dispose failed', err);
      }
    }
  }
}

export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  };

  fire(value: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch (err) {
        // One throwing listener must not starve the others.
        console.error('[panel] listener failed', err);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}

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
