/**
 * Keeps at most one Voice Chat panel: createOrShow reveals the existing one, a
 * closed panel disposes its host, and the serializer revives the panel after a
 * window reload (its state comes back through getState/setState and `init`).
 * A panel whose webview hangs while loading is reopened once, in its column; if
 * the reopened one hangs too, the user is asked to reload the window
 * (panelLoadWatchdog.ts says why).
 */
import * as vscode from 'vscode';
import type { Logger } from '../common/logger';
import { PANEL_VIEW_TYPE } from './constants';
import { Disposable } from './lifecycle';
import { panelResourceRoots } from './panelHtml';
import type { PanelHost } from './panelHost';
import { panelDidNotLoad, type UserMessage } from './userMessages';

export interface PanelManagerDeps {
  logger: Logger;
  /** Shows a notification (showUserMessage). */
  tellUser: (message: UserMessage) => void;
}

export class PanelManager extends Disposable {
  private host: PanelHost | undefined;
  /** The open panel is the automatic reopening of a stuck one. */
  private reopenedAfterHang = false;
  private reopenCount = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly createHost: (panel: vscode.WebviewPanel) => PanelHost,
    private readonly deps: PanelManagerDeps,
  ) {
    super();
    this._register(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
          this.adopt(panel);
        },
      }),
    );
    // The panel belongs to the workbench: closing the window restores it later, so it is
    // not disposed with the extension; only its host (listeners) is.
    this._onDispose(() => this.host?.dispose());
  }

  get isOpen(): boolean {
    return this.host !== undefined;
  }

  /** The open panel's host (tests). */
  get current(): PanelHost | undefined {
    return this.host;
  }

  /** Stuck panels reopened by this manager so far (tests). */
  get reopenedPanels(): number {
    return this.reopenCount;
  }

  createOrShow(): PanelHost {
    if (this.host) {
      this.host.reveal();
      return this.host;
    }
    this.reopenedAfterHang = false;
    return this.adopt(this.createPanel(vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active, false));
  }

  private createPanel(column: vscode.ViewColumn, preserveFocus: boolean): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      vscode.l10n.t('MoonTalk Voice Chat'),
      { viewColumn: column, preserveFocus },
      {
        enableScripts: true,
        retainContextWhenHidden: false,
        localResourceRoots: panelResourceRoots(this.extensionUri),
      },
    );
  }

  private adopt(panel: vscode.WebviewPanel): PanelHost {
    this.host?.dispose();
    const host = this.createHost(panel);
    this.host = host;
    host.onDidDispose(() => {
      if (this.host === host) this.host = undefined;
    });
    host.onDidGetStuck(() => this.recoverFromHang(host));
    return host;
  }

  /** Everything the panel shows lives in the host, so a new panel loses nothing. */
  private recoverFromHang(host: PanelHost): void {
    if (this.host !== host) return;
    if (this.reopenedAfterHang) {
      this.deps.logger.error('the reopened panel did not load either; asking for a window reload');
      this.deps.tellUser(panelDidNotLoad(vscode.l10n.t));
      return;
    }
    this.reopenedAfterHang = true;
    this.reopenCount++;
    this.deps.logger.warn('reopening the panel whose webview did not load');
    const column = host.panel.viewColumn ?? vscode.ViewColumn.Active;
    host.panel.dispose();
    this.adopt(this.createPanel(column, true));
  }
}
