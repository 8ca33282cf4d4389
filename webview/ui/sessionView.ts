/**
 * Session status and actions: state (with a busy ring while it changes), detail,
 * duration (ticking), model, backend, connection count, resumed badge, handoff and
 * reconnect counts, and the goAway countdown bar. Connect / Disconnect / Refresh.
 *
 * Countdowns run on the webview's own clock from the host's *time left* values
 * (not its epoch deadlines), so a remote host with a skewed clock (code-server)
 * still shows the right number of seconds.
 */
import type { SessionView as Session } from '../../src/protocol/messages';
import type { HostChannel } from '../hostChannel';
import type { Disposable } from '../../src/common/disposable';
import { badge, button, progressRing, type ButtonHandle } from './components';
import { h, setFill, setText } from './dom';
import { canConnect, formatElapsed, isTransitioning, stateLabel } from '../../src/protocol/sessionState';
import { countdown, formatSeconds } from './format';
import { shortcutHint } from '../shortcuts';
import { t } from '../l10n';

export class SessionPanel implements Disposable {
  readonly element: HTMLElement;
  readonly connectButton: ButtonHandle;
  readonly disconnectButton: ButtonHandle;
  private readonly stateEl = h('span', { class: 'mt-state', 'data-testid': 'session-state' });
  private readonly ring = progressRing(t('Working'));
  private readonly detail = h('p', { class: 'mt-detail', 'data-testid': 'session-detail' });
  private readonly duration = h('dd', { 'data-testid': 'session-duration' });
  private readonly model = h('dd', { 'data-testid': 'session-model' });
  private readonly backend = h('dd', { 'data-testid': 'session-backend' });
  private readonly connection = h('dd', { 'data-testid': 'session-connection' });
  private readonly handoffs = h('dd');
  private readonly resumedBadge = badge('resumed', t('This connection resumed the previous session (its context was kept)'));
  private readonly goAway: HTMLElement;
  private readonly goAwayText = h('span', { 'data-testid': 'goaway-text' });
  private readonly goAwayFill = h('div', { class: 'mt-bar-fill' });
  private readonly goAwayBar: HTMLElement;
  private readonly keyHint: HTMLElement;

  private session: Session | null = null;
  /** Local epoch ms when the goAway deadline passes, and the countdown's full length. */
  private goAwayLocalDeadline: number | null = null;
  private goAwayTotalMs = 0;
  private startLocal: number | null = null;

  constructor(host: HostChannel, private readonly now: () => number = Date.now) {
    this.connectButton = button(t('Connect'), { appearance: 'primary', title: t('Connect to Gemini Live ({0})', shortcutHint('connect')), onClick: () => host.connect() });
    this.disconnectButton = button(t('Disconnect'), { title: t('Close the session ({0})', shortcutHint('disconnect')), onClick: () => host.disconnect() });
    const refresh = button(t('Refresh'), { title: t('Ask the host for fresh state ({0})', shortcutHint('refresh')), onClick: () => host.refresh() });
    const setKey = button(t('Set API Key'), { appearance: 'primary', title: t('Store a Gemini API key in VS Code secret storage'), onClick: () => host.setApiKey() });
    this.keyHint = h('p', { class: 'mt-hint', hidden: true, 'data-testid': 'api-key-hint' }, t('No Gemini API key is set. '), setKey.element);
    this.ring.hidden = true;
    this.goAwayBar = h('div', { class: 'mt-bar mt-countdown', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-label': t('Time left before the server closes this connection') }, this.goAwayFill);
    this.goAway = h('div', { class: 'mt-goaway', hidden: true, 'data-testid': 'goaway' }, h('div', { class: 'mt-row' }, h('span', {}, t('New connection in')), this.goAwayText), this.goAwayBar);
    this.resumedBadge.hidden = true;

    this.element = h(
      'section',
      { class: 'mt-card mt-session', 'aria-labelledby': 'mt-session-title' },
      h('div', { class: 'mt-row mt-session-head' }, h('h2', { id: 'mt-session-title', class: 'mt-visually-hidden' }, t('Session')), h('span', { class: 'mt-dot', 'aria-hidden': 'true' }), this.stateEl, this.ring, this.resumedBadge),
      this.detail,
      h('div', { class: 'mt-row mt-toolbar' }, this.connectButton.element, this.disconnectButton.element, refresh.element),
      this.keyHint,
      h(
        'dl',
        { class: 'mt-facts' },
        h('dt', {}, t('Duration')), this.duration,
        h('dt', {}, t('Model')), this.model,
        h('dt', {}, t('Backend')), this.backend,
        h('dt', {}, t('Connection')), this.connection,
        h('dt', {}, t('Handoffs')), this.handoffs,
      ),
      this.goAway,
    );
  }

  update(session: Session, hasApiKey: boolean): void {
    const prev = this.session;
    this.session = session;
    this.element.dataset.state = session.state;
    setText(this.stateEl, stateLabel(session.state));
    this.ring.hidden = !isTransitioning(session.state);
    setText(this.detail, session.detail);
    this.detail.hidden = session.detail.length === 0;
    setText(this.model, session.model || '—');
    setText(this.backend, t('{0} · {1}', session.backend === 'emulator' ? t('Offline demo') : t('Gemini'), session.authMode === 'key' ? t('API key') : session.authMode === 'token' ? t('ephemeral token') : t('token broker')));
    this.backend.title = session.baseUrl;
    setText(this.connection, session.connection > 0 ? session.reconnectAttempt ? t('#{0} (attempt {1})', session.connection, session.reconnectAttempt) : `#${session.connection}` : '—');
    const handoffs = session.handoffs === 1 ? t('1 handoff') : t('{0} handoffs', session.handoffs);
    const reconnects = session.reconnects === 1 ? t('1 reconnect') : t('{0} reconnects', session.reconnects);
    const counts = t('{0}, {1}', handoffs, reconnects);
    setText(this.handoffs, session.lastHandoffGapMs !== null ? t('{0}, last gap {1} ms', counts, Math.round(session.lastHandoffGapMs)) : counts);
    this.resumedBadge.hidden = !session.resumed;

    this.connectButton.setDisabled(!canConnect(session.state));
    this.disconnectButton.setDisabled(canConnect(session.state));
    this.keyHint.hidden = hasApiKey || session.authMode !== 'key' || session.backend !== 'gemini';

    const now = this.now();
    // Duration: anchor to the local clock when the start time first appears.
    if (session.startTime === null) this.startLocal = null;
    else if (prev?.startTime !== session.startTime) this.startLocal = now - Math.max(0, Date.now() - session.startTime);

    if (session.goAwayTimeLeftMs !== null || session.goAwayDeadline !== null) {
      const left = session.goAwayTimeLeftMs ?? Math.max(0, (session.goAwayDeadline ?? 0) - Date.now());
      const isNew = this.goAwayLocalDeadline === null || prev?.goAwayDeadline !== session.goAwayDeadline;
      this.goAwayLocalDeadline = now + left;
      if (isNew) this.goAwayTotalMs = left;
      else this.goAwayTotalMs = Math.max(this.goAwayTotalMs, left);
    } else {
      this.goAwayLocalDeadline = null;
    }
    this.tick();
  }

  /** Advances the duration and countdown displays; main calls this a few times a second. */
  tick(): void {
    const now = this.now();
    setText(this.duration, this.startLocal === null ? '—' : formatElapsed(now - this.startLocal));
    if (this.goAwayLocalDeadline === null) {
      this.goAway.hidden = true;
      return;
    }
    const c = countdown(now, this.goAwayLocalDeadline, this.goAwayTotalMs);
    this.goAway.hidden = false;
    // The host's detail is a snapshot; while handing off, keep its seconds in step with the bar.
    if (this.session?.state === 'handingOff') setText(this.detail, t('Reconnecting seamlessly in {0}; the conversation is kept', formatSeconds(c.leftMs)));
    setText(this.goAwayText, c.text);
    setFill(this.goAwayFill, c.fraction);
    this.goAwayBar.setAttribute('aria-valuenow', String(Math.round(c.fraction * 100)));
    this.goAwayBar.setAttribute('aria-valuetext', `${formatSeconds(c.leftMs)} left`);
  }

  dispose(): void {
    this.element.remove();
  }
}
