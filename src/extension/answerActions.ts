/**
 * What the buttons and links of an answer in the panel do on the host: Copy writes the
 * clipboard, Insert at Cursor edits the text editor the user was last in, a link opens
 * in the browser (http/https only).
 *
 * @remarks
 * While the Voice Chat panel (a webview editor) has focus, `activeTextEditor` is
 * undefined: the editor the user means is the one they were in before clicking the
 * panel. So this remembers the last active text editor and uses it while it is still
 * visible; with none, Insert says so and changes nothing. The clipboard goes through
 * `vscode.env.clipboard`, which works in desktop VS Code and in code-server alike
 * (the webview's `navigator.clipboard` depends on the iframe's permissions there).
 */
import * as vscode from 'vscode';
import { isWebUrl } from '../protocol/messages';
import { Disposable } from './lifecycle';

export type InsertResult = { readonly kind: 'inserted'; readonly editor: vscode.TextEditor } | { readonly kind: 'noEditor' } | { readonly kind: 'failed' };

export class AnswerActions extends Disposable {
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;

  constructor() {
    super();
    this._register(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) this.lastEditor = editor;
      }),
    );
  }

  /** The editor Insert at Cursor writes into: the active one, else the last active one that is still visible. */
  targetEditor(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active) return active;
    const last = this.lastEditor;
    if (last && !last.document.isClosed && vscode.window.visibleTextEditors.includes(last)) return last;
    return undefined;
  }

  /** Replaces the target editor's selection with `code` and reveals it without taking focus from the panel. */
  async insert(code: string): Promise<InsertResult> {
    const editor = this.targetEditor();
    if (!editor) return { kind: 'noEditor' };
    const selection = editor.selection;
    // A read-only document (an output channel, a diff's left side) refuses the edit: false or a throw.
    const ok = await editor.edit((edit) => edit.replace(selection, code)).then(
      (applied) => applied,
      () => false,
    );
    if (!ok) return { kind: 'failed' };
    editor.revealRange(new vscode.Range(selection.start, selection.start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return { kind: 'inserted', editor };
  }

  async copy(text: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
  }

  /** Opens an http/https URL in the browser (VS Code asks about untrusted domains); false for anything else. */
  async openLink(url: string): Promise<boolean> {
    if (!isWebUrl(url)) return false;
    return vscode.env.openExternal(vscode.Uri.parse(url, true));
  }
}
