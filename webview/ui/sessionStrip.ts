/**
 * The chat view's one-line session strip (not a live region: the page's live region
 * already announces state changes): the state (a dot and a word), a countdown
 * only when one matters (a routine move to a new connection on its way, said calmly), and
 * the model. The full
 * session card lives behind Details. Countdowns run on the webview's own clock from
 * the host's time-left value, like the session card (sessionView.ts says why).
 */
import type { Disposable } from '../../src/common/disposable';
import type { SessionView } from '../../src/protocol/messages';
import { stateLabel } from '../../src/protocol/sessionState';
import { h, setText } from './dom';
import { formatSeconds } from './format';
import { t } from '../l10n';

export class SessionStrip implements Disposable {
  readonly element: HTMLElement;
  private readonly state = h('span', { class: 'mt-strip-state', 'data-testid': 'strip-state' });
  private readonly countdown = h('span', { class: 'mt-strip-countdown', hidden: true, 'data-testid': 'strip-countdown' });
  private readonly model = h('span', { class: 'mt-strip-model mt-muted', 'data-testid': 'strip-model' });
  private readonly dictating = h('span', { class: 'mt-strip-dictating', hidden: true, 'data-testid': 'strip-dictating', title: t('MoonTalk: Dictate is typing what you say where the cursor is. Escape in the editor stops it.') }, t('Dictating'));
  /** Local epoch ms when the goAway deadline passes, or null. */
  private deadline: number | null = null;

  constructor(private readonly now: () => number = Date.now) {
    this.element = h(
      'div',
      { class: 'mt-strip', role: 'group', 'aria-label': t('Session'), 'data-testid': 'session-strip' },
      h('span', { class: 'mt-dot', 'aria-hidden': 'true' }),
      this.state,
      this.countdown,
      this.dictating,
      this.model,
    );
  }

  update(session: SessionView): void {
    this.element.dataset.state = session.state;
    setText(this.state, stateLabel(session.state));
    this.state.title = session.detail;
    setText(this.model, session.model);
    this.model.title = t('Model: {0}', session.model);
    // The deadline is the host's wall-clock time, so it is read against the wall clock; the
    // countdown then runs on `now` (the page's own clock, injectable in tests).
    const left = session.goAwayTimeLeftMs ?? (session.goAwayDeadline !== null ? Math.max(0, session.goAwayDeadline - Date.now()) : null);
    this.deadline = left === null ? null : this.now() + left;
    this.tick();
  }

  /** Shows that dictation has the microphone (not the conversation). */
  setDictating(on: boolean): void {
    this.dictating.hidden = !on;
  }

  /** Advances the countdown; main calls this a few times a second. */
  tick(): void {
    if (this.deadline === null) {
      this.countdown.hidden = true;
      return;
    }
    this.countdown.hidden = false;
    const leftMs = Math.max(0, this.deadline - this.now());
    setText(this.countdown, t('new connection in {0}', formatSeconds(leftMs)));
    this.countdown.title = t('Reconnecting seamlessly: the service moves conversations to a new connection every few minutes, and MoonTalk keeps the conversation.');
  }

  dispose(): void {
    this.element.remove();
  }
}
