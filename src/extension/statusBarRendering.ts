/**
 * The session status bar item's content, as data (src/extension/statusBarItem.ts puts
 * it on the item): icon and text per state, the ticking duration, the goAway
 * countdown, the tooltip with model, backend and counts.
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
  let text: string;
  let background: StatusBarRendering['background'];
  let ticking = false;
  switch (view.state) {
    case 'idle':
      text = `$(radio-tower) ${t('MoonTalk')}`;
      break;
    case 'closed':
      text = `$(debug-disconnect) ${t('MoonTalk: disconnected')}`;
      break;
    case 'connecting':
      text = `$(loading~spin) ${view.reconnectAttempt ? t('MoonTalk: connecting (attempt {0})', view.reconnectAttempt) : t('MoonTalk: connecting…')}`;
      break;
    case 'connected':
      text = listening ? `$(mic-filled) ${t('MoonTalk {0} listening', duration)}` : `$(radio-tower) ${t('MoonTalk {0}', duration)}`;
      // A resumed session (after a reload, a drop or a handoff) says so: the context was kept.
      if (view.resumed) text += ` · ${t('resumed')}`;
      ticking = true;
      break;
    case 'handingOff':
      if (view.goAwayDeadline !== null) {
        text = `$(sync~spin) ${t('MoonTalk: handing off in {0} s', secondsLeft(view.goAwayDeadline, now))}`;
        ticking = true;
      } else {
        text = `$(sync~spin) ${t('MoonTalk: handing off')}`;
      }
      background = 'warning';
      break;
    case 'reconnecting':
      text = `$(sync~spin) ${t('MoonTalk: reconnecting (attempt {0})', view.reconnectAttempt ?? 1)}`;
      background = 'warning';
      break;
    case 'failed':
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
    `${t('Backend')}: ${view.backend === 'emulator' ? t('offline emulator') : t('Gemini API')} (${view.authMode})`,
    `${t('Connections')}: ${view.connection} · ${t('handoffs')}: ${view.handoffs} · ${t('reconnects')}: ${view.reconnects}`,
  ];
  if (token.hasToken) lines.push(`${t('Token time left')}: ${formatElapsed(token.totalTimeLeft)}`);
  if (view.contextFill !== null) lines.push(`${t('Context fill')}: ${Math.round(view.contextFill * 100)} %`);
  if (view.errorMessage) lines.push('', view.errorMessage);
  lines.push('', t('Click for actions'));
  return { text, tooltip: lines.join('  \n'), background, ticking };
}
