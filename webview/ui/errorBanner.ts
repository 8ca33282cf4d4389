/**
 * The error area: role="alert" (announced assertively), the message, and the action
 * it names as a button — Set API Key, Show Logs, Retry — plus Dismiss.
 */
import type { ToWebview } from '../../src/protocol/messages';
import type { HostChannel } from '../hostChannel';
import type { Disposable } from '../../src/common/disposable';
import { button, type ButtonHandle } from './components';
import { h, setText } from './dom';
import { t } from '../l10n';

export type ErrorAction = NonNullable<Extract<ToWebview, { type: 'error' }>['action']>;

export class ErrorBanner implements Disposable {
  readonly element: HTMLElement;
  private readonly message = h('p', { class: 'mt-error-message', 'data-testid': 'error-message' });
  private readonly actions: Record<ErrorAction, ButtonHandle>;
  private readonly logs: ButtonHandle;
  private shown: string | null = null;

  constructor(host: HostChannel) {
    this.actions = {
      setApiKey: button(t('Set API Key'), { appearance: 'primary', onClick: () => host.setApiKey(), title: t('Store a Gemini API key in VS Code secret storage') }),
      retry: button(t('Retry'), { appearance: 'primary', onClick: () => host.connect(), title: t('Connect again') }),
      showLogs: button(t('Show Logs'), { onClick: () => host.showLogs(), title: t('Open the MoonTalk Live output channel') }),
    };
    this.logs = button(t('Show Logs'), { onClick: () => host.showLogs(), title: t('Open the MoonTalk Live output channel') });
    const dismiss = button(t('Dismiss'), { onClick: () => this.hide(), title: t('Hide this message (Escape)') });
    this.element = h(
      'div',
      { class: 'mt-error', role: 'alert', 'data-testid': 'error-banner', hidden: true },
      h('span', { class: 'mt-error-icon', 'aria-hidden': 'true' }, '⚠'),
      this.message,
      h('div', { class: 'mt-error-actions' }, this.actions.setApiKey.element, this.actions.retry.element, this.actions.showLogs.element, this.logs.element, dismiss.element),
    );
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.hide();
    });
  }

  /** The message currently shown, or null. */
  get current(): string | null {
    return this.shown;
  }

  show(message: string, action?: ErrorAction): void {
    this.shown = message;
    setText(this.message, message);
    for (const [key, b] of Object.entries(this.actions) as [ErrorAction, ButtonHandle][]) b.element.hidden = key !== action;
    // Show Logs is always offered; once, not twice.
    this.logs.element.hidden = action === 'showLogs';
    this.element.hidden = false;
  }

  hide(): void {
    this.shown = null;
    this.element.hidden = true;
    setText(this.message, '');
  }

  dispose(): void {
    this.element.remove();
  }
}
