/**
 * The session indicator: one status bar item, always true to the session state
 * (idle, connecting, connected with a ticking duration, listening, the goAway
 * countdown "handing off in 42 s", reconnecting (attempt n), error). It ticks once
 * a second only while something on it counts; the interval is disposed otherwise.
 * Click: a quick pick of the actions that fit the state.
 */
import * as vscode from 'vscode';
import type { SessionView, TokenView } from '../protocol/messages';
import { Commands } from './constants';
import { Disposable } from './lifecycle';
import type { ListeningController } from './listeningController';
import { sessionActions, type ActionContext } from './sessionActions';
import type { SessionController } from './sessionController';
import { formatDuration, secondsLeft } from './sessionView';

export interface StatusBarRendering {
  text: string;
  tooltip: string;
  background: 'warning' | 'error' | undefined;
  /** True while the text changes by itself (a duration or a countdown). */
  ticking: boolean;
}

/** What the item shows for a view at `now`. Pure, for tests. */
export function renderStatusBar(view: SessionView, token: TokenView, listening: boolean, now: number): StatusBarRendering {
  const duration = view.startTime !== null ? formatDuration(now - view.startTime) : '';
  let text: string;
  let background: StatusBarRendering['background'];
  let ticking = false;
  switch (view.state) {
    case 'idle':
      text = `$(radio-tower) ${vscode.l10n.t('MoonTalk')}`;
      break;
    case 'closed':
      text = `$(debug-disconnect) ${vscode.l10n.t('MoonTalk: disconnected')}`;
      break;
    case 'connecting':
      text = `$(loading~spin) ${view.reconnectAttempt ? vscode.l10n.t('MoonTalk: connecting (attempt {0})', view.reconnectAttempt) : vscode.l10n.t('MoonTalk: connecting…')}`;
      break;
    case 'connected':
      text = listening ? `$(mic-filled) ${vscode.l10n.t('MoonTalk {0} listening', duration)}` : `$(radio-tower) ${vscode.l10n.t('MoonTalk {0}', duration)}`;
      // A resumed session (after a reload, a drop or a handoff) says so: the context was kept.
      if (view.resumed) text += ` · ${vscode.l10n.t('resumed')}`;
      ticking = true;
      break;
    case 'handingOff':
      if (view.goAwayDeadline !== null) {
        text = `$(sync~spin) ${vscode.l10n.t('MoonTalk: handing off in {0} s', secondsLeft(view.goAwayDeadline, now))}`;
        ticking = true;
      } else {
        text = `$(sync~spin) ${vscode.l10n.t('MoonTalk: handing off')}`;
      }
      background = 'warning';
      break;
    case 'reconnecting':
      text = `$(sync~spin) ${vscode.l10n.t('MoonTalk: reconnecting (attempt {0})', view.reconnectAttempt ?? 1)}`;
      background = 'warning';
      break;
    case 'failed':
      text = `$(error) ${vscode.l10n.t('MoonTalk: error')}`;
      background = 'error';
      break;
    default: {
      const never: never = view.state;
      text = String(never);
    }
  }
  const lines = [
    `**${vscode.l10n.t('MoonTalk Live')}**: ${view.detail}`,
    '',
    `${vscode.l10n.t('Model')}: ${view.model}`,
    `${vscode.l10n.t('Backend')}: ${view.backend === 'emulator' ? vscode.l10n.t('offline emulator') : vscode.l10n.t('Gemini API')} (${view.authMode})`,
    `${vscode.l10n.t('Connections')}: ${view.connection} · ${vscode.l10n.t('handoffs')}: ${view.handoffs} · ${vscode.l10n.t('reconnects')}: ${view.reconnects}`,
  ];
  if (token.hasToken) lines.push(`${vscode.l10n.t('Token time left')}: ${formatDuration(token.totalTimeLeft)}`);
  if (view.contextFill !== null) lines.push(`${vscode.l10n.t('Context fill')}: ${Math.round(view.contextFill * 100)} %`);
  if (view.errorMessage) lines.push('', view.errorMessage);
  lines.push('', vscode.l10n.t('Click for actions'));
  return { text, tooltip: lines.join('  \n'), background, ticking };
}

export class SessionStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private ticker: vscode.Disposable | undefined;
  private lastText = '';
  private readonly renderEmitter = this._register(new vscode.EventEmitter<string>());
  /** Fires with the new text whenever it changes (tests, e2e helpers). */
  readonly onDidRender: vscode.Event<string> = this.renderEmitter.event;

  constructor(
    private readonly session: SessionController,
    private readonly listening: ListeningController,
    private readonly actionContext: () => ActionContext,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('moontalk.session', vscode.StatusBarAlignment.Left, 100));
    this.item.name = vscode.l10n.t('MoonTalk Live Session');
    this.item.command = Commands.showSessionActions;
    this._register(session.onDidChangeSession(() => this.render()));
    this._register(session.onDidChangeToken(() => this.render()));
    this._register(listening.onDidChange(() => this.render()));
    this._onDispose(() => this.stopTicking());
    this.render();
    this.item.show();
  }

  /** The text shown now (tests read it; e2e reads `.statusbar-item`). */
  get text(): string {
    return this.item.text;
  }

  /** The status bar click: a quick pick of the actions that fit the state. */
  async showActions(): Promise<void> {
    const picked = await vscode.window.showQuickPick(sessionActions(this.actionContext()), {
      title: vscode.l10n.t('MoonTalk Live: {0}', this.session.sessionView.detail),
      placeHolder: vscode.l10n.t('Choose an action'),
    });
    if (picked) await vscode.commands.executeCommand(picked.command);
  }

  private render(): void {
    if (this.isDisposed) return;
    const r = renderStatusBar(this.session.sessionView, this.session.tokenView, this.listening.isListening, this.now());
    this.item.text = r.text;
    const tooltip = new vscode.MarkdownString(r.tooltip, true);
    tooltip.isTrusted = false;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: r.text.replace(/\$\([^)]*\)\s*/g, ''), role: 'button' };
    this.item.backgroundColor =
      r.background === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : r.background === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    if (r.ticking) this.startTicking();
    else this.stopTicking();
    if (r.text !== this.lastText) {
      this.lastText = r.text;
      this.renderEmitter.fire(r.text);
    }
  }

  private startTicking(): void {
    if (this.ticker) return;
    const handle = setInterval(() => this.render(), 1_000);
    this.ticker = { dispose: () => clearInterval(handle) };
  }

  private stopTicking(): void {
    this.ticker?.dispose();
    this.ticker = undefined;
  }
}
