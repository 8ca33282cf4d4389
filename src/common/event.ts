import type { Disposable } from './disposable';

/** A typed event, shaped like `vscode.Event<T>` so it bridges in one line. */
export type Event<T> = (listener: (e: T) => void) => Disposable;

/**
 * Emits typed events. Keep the emitter private and expose `.event`.
 * A throwing listener is reported to `onListenerError` and does not stop the others:
 * one broken UI subscriber must never break the session layer.
 */
export class Emitter<T> implements Disposable {
  private listeners: Array<(e: T) => void> = [];
  private disposed = false;

  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {}

  readonly event: Event<T> = (listener) => {
    if (this.disposed) return { dispose() {} };
    this.listeners = [...this.listeners, listener];
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  };

  fire(e: T): void {
    // Subscribing and unsubscribing replace the array (copy-on-write), so iterating the
    // current one is safe even when a listener unsubscribes, without a copy per event.
    for (const listener of this.listeners) {
      try {
        listener(e);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}

/** Resolves with the first event that matches, or rejects after `timeoutMs` of real time. */
export function waitForEvent<T>(event: Event<T>, predicate: (e: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`event not seen within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = event((e) => {
      if (!predicate(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}
