/**
 * The session indicator: one status bar item, always true to the session state
 * (idle, connecting, connected with a ticking duration, listening, the goAway
 * countdown "handing off in 42 s", reconnecting (attempt n), error). It ticks once
 * a second only while something on it counts; the interval is disposed otherwise.
 * Click: a quick pick of the actions that fit the state.
 */
import * as vscode from 'vscode';
import { Commands } from './constants';
import { Disposable } from './lifecycle';
import type { ListeningController } from './listeningController';
import { sessionActions, type ActionContext } from './sessionActions';
import type { SessionController } from './sessionController';
import { renderStatusBar, type StatusBarRendering } from './statusBarRendering';

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

  private lastBackground: StatusBarRendering['background'];

  /** The background shown now: warning or error colour, or none (tests). */
  get background(): StatusBarRendering['background'] {
    return this.lastBackground;
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
    const r = renderStatusBar(this.session.sessionView, this.session.tokenView, this.listening.isListening, this.now(), vscode.l10n.t);
    this.item.text = r.text;
    const tooltip = new vscode.MarkdownString(r.tooltip, true);
    tooltip.isTrusted = false;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: r.text.replace(/\$\([^)]*\)\s*/g, ''), role: 'button' };
    this.lastBackground = r.background;
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
