/**
 * The session status bar item's content, as data (src/extension/statusBarItem.ts puts
 * it on the item): icon and text per state, the ticking duration, "offline demo" on the
 * emulator, the tooltip with model, backend and counts.
 *
 * Colour means "you need to act": a routine goAway handoff (every ~10 minutes) and a first
 * reconnect stay plain; the warning colour comes only when reconnecting keeps failing, the
 * error colour when the session stopped.
 */
import type { SessionView, TokenView } from '../protocol/messages';
import { formatElapsed, secondsLeft } from '../protocol/sessionState';
import type { Localize } from './localize';

export interface StatusBarRendering {
  text: string;
  tooltip: string;
  background: 'warning' | 'error' | undefined;
  /** True while the text changes by itself (a duration or a countdown). */
  ticking: boolean;
}

/**
 * What the item shows for a view at `now`: text, Markdown tooltip, background and
 * whether it ticks. No vscode: the localize function comes in as `t`, so the
 * SessionStatusBar and the unit tests share this one rendering.
 */
export function renderStatusBar(view: SessionView, token: TokenView, listening: boolean, now: number, t: Localize): StatusBarRendering {
  const duration = view.startTime !== null ? formatElapsed(now - view.startTime) : '';
  // The emulator answers "You said: …": say so wherever the state shows, or a first run looks like Gemini.
  const demo = view.backend === 'emulator' ? ` · ${t('offline demo')}` : '';
  let text: string;
  let background: StatusBarRendering['background'];
  let ticking = false;
  switch (view.state) {
    case 'idle':
      text = `$(radio-tower) ${t('MoonTalk')}${demo}`;
      break;
    case 'closed':
      text = `$(debug-disconnect) ${t('MoonTalk: disconnected')}`;
      break;
    case 'connecting':
      text = `$(loading~spin) ${view.reconnectAttempt ? t('MoonTalk: connecting (attempt {0})', view.reconnectAttempt) : t('MoonTalk: connecting…')}`;
      break;
    case 'connected':
      text = (listening ? `$(mic-filled) ${t('MoonTalk {0} listening', duration)}` : `$(radio-tower) ${t('MoonTalk {0}', duration)}`) + demo;
      // A resumed session (after a reload, a drop or a handoff) says so: the context was kept.
      if (view.resumed) text += ` · ${t('resumed')}`;
      ticking = true;
      break;
    case 'handingOff':
      // Routine: the service ends every connection after about 10 minutes and the session
      // moves to a new one with its context. Nothing for the user to do, so no colour and no
      // countdown: the duration goes on ticking, with a small note (the tooltip has the details).
      text = `$(sync~spin) ${t('MoonTalk {0}', duration)}${demo} · ${t('reconnecting seamlessly')}`;
      ticking = true;
      break;
    case 'reconnecting':
      text = `$(sync~spin) ${t('MoonTalk: reconnecting (attempt {0})', view.reconnectAttempt ?? 1)}`;
      // One retry after a drop is routine too; colour only once it keeps failing (the network may need a look).
      background = (view.reconnectAttempt ?? 1) >= RECONNECT_ATTEMPTS_BEFORE_WARNING ? 'warning' : undefined;
      break;
    case 'failed':
      // Stopped: the user has to act (the error's message offers the fix).
      text = `$(error) ${t('MoonTalk: error')}`;
      background = 'error';
      break;
    default: {
      const never: never = view.state;
      text = String(never);
    }
  }
  const lines = [
    `**${t('MoonTalk Live')}**: ${view.detail}`,
    '',
    `${t('Model')}: ${view.model}`,
    `${t('Backend')}: ${view.backend === 'emulator' ? t('offline demo (a local emulator that echoes what you say; set an API key to use Gemini)') : t('Gemini API')} (${view.authMode})`,
    `${t('Connections')}: ${view.connection} · ${t('handoffs')}: ${view.handoffs} · ${t('reconnects')}: ${view.reconnects}`,
  ];
  if (view.state === 'handingOff' && view.goAwayDeadline !== null) lines.splice(1, 0, '', t('Moving to a new connection within {0} s; the conversation is kept.', secondsLeft(view.goAwayDeadline, now)));
  if (token.hasToken) lines.push(`${t('Token time left')}: ${formatElapsed(token.totalTimeLeft)}`);
  if (view.contextFill !== null) lines.push(`${t('Context fill')}: ${Math.round(view.contextFill * 100)} %`);
  if (view.errorMessage) lines.push('', view.errorMessage);
  lines.push('', t('Click for actions'));
  return { text, tooltip: lines.join('  \n'), background, ticking };
}

/** Reconnect attempts that stay calm; from this one on the item turns amber. */
export const RECONNECT_ATTEMPTS_BEFORE_WARNING = 3;
