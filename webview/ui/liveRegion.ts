/**
 * A visually hidden aria-live="polite" region. State changes are announced here
 * (errors go through the role="alert" banner instead, which is assertive).
 */
import type { Disposable } from '../../src/common/disposable';
import { h } from './dom';

export class LiveRegion implements Disposable {
  readonly element = h('div', { class: 'mt-visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-testid': 'live-region' });
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = '';

  /** Announces `text`. Repeating the same text re-announces it. */
  announce(text: string): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (text === this.last) {
      // Clear first so assistive tech notices a change, then set again.
      this.element.textContent = '';
      this.timer = setTimeout(() => (this.element.textContent = text), 50);
    } else {
      this.element.textContent = text;
    }
    this.last = text;
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.element.remove();
  }
}
