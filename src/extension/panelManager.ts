/**
 * Keeps at most one Voice Chat panel: createOrShow reveals the existing one, a
 * closed panel disposes its host, and the serializer revives the panel after a
 * window reload (its state comes back through getState/setState and `init`).
 */
import * as vscode from 'vscode';
import { PANEL_VIEW_TYPE } from './constants';
import { Disposable } from './lifecycle';
import { panelResourceRoots } from './panelHtml';
import type { PanelHost } from './panelHost';

export class PanelManager extends Disposable {
  private host: PanelHost | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly createHost: (panel: vscode.WebviewPanel) => PanelHost,
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

  createOrShow(): PanelHost {
    if (this.host) {
      this.host.reveal();
      return this.host;
    }
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, vscode.l10n.t('MoonTalk Voice Chat'), column, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: panelResourceRoots(this.extensionUri),
    });
    return this.adopt(panel);
  }

  private adopt(panel: vscode.WebviewPanel): PanelHost {
    this.host?.dispose();
    const host = this.createHost(panel);
    this.host = host;
    host.onDidDispose(() => {
      if (this.host === host) this.host = undefined;
    });
    return host;
  }
}
