/**
 * Owns the one AudioContext the panel uses for capture and playback. Created on
 * first need; browsers start it suspended without a user gesture, so the first
 * click or key press anywhere in the panel (Start Listening included) resumes it.
 * Worklet modules are loaded once per context (addModule is governed by
 * script-src; the URLs are asWebviewUri from data-worklets).
 */
import { toDisposable, type Disposable } from '../../src/common/disposable';
import type { WorkletUrls } from '../bootstrap';

export class AudioEngine implements Disposable {
  private context: AudioContext | null = null;
  private readonly modules = new Map<string, Promise<void>>();
  private readonly gestureListener: Disposable;
  private disposed = false;

  constructor(readonly urls: WorkletUrls, doc: Document = document) {
    const onGesture = () => void this.resume();
    doc.addEventListener('pointerdown', onGesture, true);
    doc.addEventListener('keydown', onGesture, true);
    this.gestureListener = toDisposable(() => {
      doc.removeEventListener('pointerdown', onGesture, true);
      doc.removeEventListener('keydown', onGesture, true);
    });
  }

  /** The context, created (possibly suspended) on first call. */
  get(): AudioContext {
    if (this.disposed) throw new Error('audio engine disposed');
    if (!this.context) this.context = new AudioContext({ latencyHint: 'interactive' });
    return this.context;
  }

  get existing(): AudioContext | null {
    return this.context;
  }

  /** Resumes a suspended context; call from user gestures. Never throws. */
  async resume(): Promise<void> {
    const ctx = this.context;
    if (ctx && ctx.state === 'suspended') {
      try {
        await ctx.resume();
      } catch (err) {
        console.warn('[panel] AudioContext resume failed', err);
      }
    }
  }

  /** Loads a worklet module once. */
  load(which: keyof WorkletUrls): Promise<void> {
    const ctx = this.get();
    let p = this.modules.get(which);
    if (!p) {
      p = ctx.audioWorklet.addModule(this.urls[which]);
      // A failed load may be retried later.
      p.catch(() => this.modules.delete(which));
      this.modules.set(which, p);
    }
    return p;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.gestureListener.dispose();
    void this.context?.close().catch(() => undefined);
    this.context = null;
  }
}
