/**
 * Redacted debug JSON (from the host's `debug/info`, masked again here as defence
 * in depth), pretty-printed in a focusable <pre>, with Copy (the host copies its own
 * redacted text to the clipboard: `debug/copy`) and a counter of dropped messages.
 */
import type { HostChannel } from '../hostChannel';
import type { Disposable } from '../../src/common/disposable';
import { button } from './components';
import { h, setText } from './dom';
import { maskSecrets, prettyJson } from './maskSecrets';
import { shortcutHint } from '../shortcuts';
import { t } from '../l10n';

export class DebugView implements Disposable {
  readonly element: HTMLElement;
  private readonly pre = h('pre', { class: 'mt-debug-json', tabindex: 0, 'aria-label': t('Debug information (JSON, secrets redacted)'), 'data-testid': 'debug-json' });
  private readonly rejected = h('span', { class: 'mt-muted', 'data-testid': 'rejected-count' });

  constructor(host: HostChannel) {
    const copy = button(t('Copy'), { title: t('Copy the redacted debug JSON to the clipboard'), onClick: () => host.copyDebug() });
    const refresh = button('Refresh', { title: t('Ask the host for fresh state ({0})', shortcutHint('refresh')), onClick: () => host.refresh() });
    this.element = h('div', { class: 'mt-debug' }, h('div', { class: 'mt-row mt-toolbar' }, copy.element, refresh.element, this.rejected), this.pre);
    this.setJson(null);
    this.setRejected(0);
  }

  setJson(json: string | null): void {
    setText(this.pre, json ? maskSecrets(prettyJson(json)) : '{}');
  }

  setRejected(count: number, lastError?: string): void {
    setText(this.rejected, count === 0 ? t('No invalid messages') : count === 1 ? t('1 invalid message dropped') : t('{0} invalid messages dropped', count));
    this.rejected.title = lastError ?? '';
  }

  dispose(): void {
    this.element.remove();
  }
}
