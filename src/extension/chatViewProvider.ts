/**
 * The MoonTalk chat view: a WebviewView in MoonTalk's Activity Bar container (users can
 * drag it to the Secondary Side Bar). VS Code creates its webview the first time the view
 * is shown and disposes it when the view is closed or moved; each webview gets a
 * SurfaceHost, like the editor panel, so both show one conversation.
 *
 * Its context is retained while hidden (the user switches the side bar to Explorer):
 * an answer keeps playing and the microphone keeps listening, where a reloaded page
 * would cut the voice mid-word. That is one webview, a few MB; the editor panel does not
 * retain its context, and the surface hub replays an answer to whichever page comes up.
 */
import * as vscode from 'vscode';
import type { Logger } from '../common/logger';
import { CHAT_VIEW_ID } from './constants';
import { Disposable } from './lifecycle';
import { viewSurface, type SurfaceHost } from './panelHost';

/** The view keeps its page while hidden (see the module comment). */
export const CHAT_VIEW_RETAINS_CONTEXT = true;

export class ChatViewProvider extends Disposable implements vscode.WebviewViewProvider {
  private host: SurfaceHost | undefined;
  private view: vscode.WebviewView | undefined;
  private readonly resolveEmitter = this._register(new vscode.EventEmitter<SurfaceHost>());
  /** VS Code made the view's webview; fires with its host before the page loads (tests). */
  readonly onDidResolve: vscode.Event<SurfaceHost> = this.resolveEmitter.event;

  constructor(
    private readonly createHost: (surface: ReturnType<typeof viewSurface>) => SurfaceHost,
    private readonly logger: Logger,
  ) {
    super();
    this._register(vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, this, { webviewOptions: { retainContextWhenHidden: CHAT_VIEW_RETAINS_CONTEXT } }));
    this._onDispose(() => this.host?.dispose());
  }

  /** The view's host while its webview exists (tests). */
  get current(): SurfaceHost | undefined {
    return this.host;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.host?.dispose();
    this.view = view;
    const host = this.createHost(viewSurface(view, CHAT_VIEW_RETAINS_CONTEXT));
    this.host = host;
    host.onDidDispose(() => {
      if (this.host === host) {
        this.host = undefined;
        this.view = undefined;
      }
    });
    this.logger.debug('chat view resolved');
    this.resolveEmitter.fire(host);
  }

  /** Shows the chat view; `preserveFocus` leaves the keyboard where it is (an answer arriving, Start Listening). */
  async show(preserveFocus: boolean): Promise<void> {
    if (this.view) {
      this.view.show(preserveFocus);
      return;
    }
    // Not resolved yet: the view's generated focus command opens it (and resolves it); it takes focusOptions.
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`, { preserveFocus });
  }
}
