/**
 * Ephemeral token status: validity, the new-session window and total time left
 * (ticking, with bars), uses left, masked name, and Create / Renew.
 */
import type { TokenView } from '../../src/protocol/messages';
import type { HostChannel } from '../hostChannel';
import { tokenState } from '../panelState';
import type { Disposable } from '../../src/common/disposable';
import { badge, button, type ButtonHandle } from './components';
import { h, setFill, setText } from './dom';
import { countdown } from './format';
import { t } from '../l10n';

interface Window {
  readonly text: HTMLElement;
  readonly fill: HTMLElement;
  readonly bar: HTMLElement;
  deadline: number;
  total: number;
}

export class TokenPanel implements Disposable {
  readonly element: HTMLElement;
  private readonly status = badge(t('No token'));
  private readonly name = h('dd', { 'data-testid': 'token-name' });
  private readonly uses = h('dd', { 'data-testid': 'token-uses' });
  private readonly expires = h('dd');
  private readonly newSession: Window;
  private readonly total: Window;
  private readonly action: ButtonHandle;
  private readonly note = h('p', { class: 'mt-muted' });
  private token: TokenView | null = null;

  constructor(host: HostChannel, private readonly now: () => number = Date.now) {
    this.action = button(t('Create Token'), { appearance: 'primary', title: t('Mint a new ephemeral token'), onClick: () => host.createToken() });
    this.newSession = this.makeWindow(t('Time left to start a new session with this token'), 'token-new-session-left');
    this.total = this.makeWindow(t('Time left before this token expires'), 'token-total-left');
    this.status.dataset.testid = 'token-status';
    this.element = h(
      'div',
      { class: 'mt-token', 'data-testid': 'token-view' },
      h('div', { class: 'mt-row' }, this.status, this.action.element),
      h(
        'dl',
        { class: 'mt-facts' },
        h('dt', {}, t('New sessions')), h('dd', {}, this.newSession.text, this.newSession.bar),
        h('dt', {}, t('Total')), h('dd', {}, this.total.text, this.total.bar),
        h('dt', {}, t('Uses left')), this.uses,
        h('dt', {}, t('Name')), this.name,
        h('dt', {}, t('Expires')), this.expires,
      ),
      this.note,
    );
  }

  private makeWindow(label: string, testId: string): Window {
    const fill = h('div', { class: 'mt-bar-fill' });
    const bar = h('div', { class: 'mt-bar mt-bar-thin', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-label': label }, fill);
    return { text: h('span', { 'data-testid': testId }), fill, bar, deadline: 0, total: 0 };
  }

  update(token: TokenView, useEphemeralTokens: boolean): void {
    const prev = this.token;
    this.token = token;
    const now = this.now();
    const sameToken = prev !== null && prev.name === token.name && prev.expiresAt === token.expiresAt;
    for (const [w, left] of [[this.newSession, token.newSessionTimeLeft], [this.total, token.totalTimeLeft]] as const) {
      w.deadline = now + left;
      w.total = sameToken ? Math.max(w.total, left) : left;
    }
    const state = tokenState(token);
    this.element.dataset.state = state;
    setText(this.status, { none: t('No token'), expired: t('Expired'), valid: t('Valid'), 'resume-only': t('Resume only') }[state]);
    this.status.title = state === 'resume-only' ? t('Too late to start new sessions; open sessions can still resume until the token expires') : '';
    setText(this.name, token.name ?? '—');
    setText(this.uses, token.uses === null ? (token.hasToken ? 'unlimited' : '—') : String(token.uses));
    setText(this.expires, token.expiresAt ?? '—');
    this.action.setLabel(token.hasToken ? t('Renew Token') : t('Create Token'));
    setText(this.note, useEphemeralTokens ? '' : t('Ephemeral tokens are off in Settings; the session uses the API key.'));
    this.tick();
  }

  tick(): void {
    if (!this.token) return;
    const now = this.now();
    for (const w of [this.newSession, this.total]) {
      const c = countdown(now, w.deadline, w.total);
      setText(w.text, this.token.hasToken ? c.text : '—');
      setFill(w.fill, this.token.hasToken ? c.fraction : 0);
      w.bar.setAttribute('aria-valuenow', String(Math.round(c.fraction * 100)));
      w.bar.setAttribute('aria-valuetext', `${c.text} left`);
    }
  }

  dispose(): void {
    this.element.remove();
  }
}
