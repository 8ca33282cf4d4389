/**
 * Context usage: the last reported total token count against the compression
 * trigger, as a meter (role="meter", aria-valuenow in percent).
 */
import type { Disposable } from '../../src/common/disposable';
import { contextUsage } from './format';
import { h, setFill, setText } from './dom';
import { t } from '../l10n';

export class ContextGauge implements Disposable {
  readonly element: HTMLElement;
  private readonly bar = h('div', { class: 'mt-bar-fill' });
  private readonly track: HTMLElement;
  private readonly label = h('span', { class: 'mt-gauge-text', 'data-testid': 'context-text' });
  private readonly note = h('span', { class: 'mt-muted' });

  constructor() {
    this.track = h('div', { class: 'mt-bar mt-gauge', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-label': t('Context usage against the compression trigger'), 'data-testid': 'context-gauge' }, this.bar);
    this.element = h('section', { class: 'mt-card mt-context', 'aria-labelledby': 'mt-context-title' }, h('h2', { id: 'mt-context-title' }, t('Context')), this.track, h('div', { class: 'mt-row' }, this.label, this.note));
  }

  update(lastUsageTotal: number | null, triggerTokens: number, compressionEnabled: boolean): void {
    const u = contextUsage(lastUsageTotal, triggerTokens);
    setFill(this.bar, u.fraction ?? 0);
    this.track.dataset.level = u.level;
    if (u.percent === null) {
      this.track.removeAttribute('aria-valuenow');
      this.track.setAttribute('aria-valuetext', t('No usage reported yet'));
    } else {
      this.track.setAttribute('aria-valuenow', String(Math.min(100, u.percent)));
      this.track.setAttribute('aria-valuetext', u.text);
    }
    setText(this.label, u.text);
    setText(this.note, compressionEnabled ? t('compresses at trigger') : t('compression off'));
  }

  dispose(): void {
    this.element.remove();
  }
}
