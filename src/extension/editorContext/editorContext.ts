/**
 * Ask About Selection / Ask About This File: reads the active editor (the selection
 * or the whole file, bounded), optionally its errors and warnings for that range,
 * asks for an optional question, and sends it all as one user turn
 * (contextMessage.ts formats it).
 */
import * as vscode from 'vscode';
import type { SessionController } from '../sessionController';
import type { Settings } from '../settings';
import { formatContextMessage, type ContextDiagnostic, type ContextMessage } from './contextMessage';

export type ContextScope = 'selection' | 'file';

/** Builds the context message for `editor` (exported for tests; no UI). */
export function contextFromEditor(editor: vscode.TextEditor, scope: ContextScope, question: string | undefined, settings: Settings['current']): ContextMessage {
  const doc = editor.document;
  const selection = editor.selection;
  const range = scope === 'selection' && !selection.isEmpty ? new vscode.Range(selection.start, selection.end) : new vscode.Range(doc.positionAt(0), doc.lineAt(Math.max(0, doc.lineCount - 1)).range.end);
  // A selection ending at column 0 of a line does not include that line.
  const endLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line : range.end.line + 1;
  const diagnostics: ContextDiagnostic[] = settings.context.includeDiagnostics
    ? vscode.languages
        .getDiagnostics(doc.uri)
        .filter((d) => (d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning) && d.range.intersection(range) !== undefined)
        .map((d) => ({ line: d.range.start.line + 1, severity: d.severity === vscode.DiagnosticSeverity.Error ? 'error' : 'warning', message: d.message }))
    : [];
  const path = doc.isUntitled ? doc.fileName : vscode.workspace.asRelativePath(doc.uri, false).split('\\').join('/');
  return formatContextMessage(
    { path, languageId: doc.languageId, text: doc.getText(range), startLine: range.start.line + 1, endLine, wholeFile: scope === 'file' || selection.isEmpty, question, diagnostics },
    settings.context.maxChars,
  );
}

export class EditorContext {
  constructor(
    private readonly session: SessionController,
    private readonly settings: Settings,
  ) {}

  /**
   * Sends the selection (or, with `scope: 'file'` or no selection, the file). `question`
   * skips the input box (tests, other commands); undefined asks, and Escape cancels.
   */
  async ask(scope: ContextScope, question?: string): Promise<ContextMessage | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a file first: MoonTalk sends the active editor as context.'));
      return undefined;
    }
    let q = question;
    if (q === undefined) {
      q = await vscode.window.showInputBox({
        title: scope === 'selection' ? vscode.l10n.t('Ask Gemini about the selection') : vscode.l10n.t('Ask Gemini about this file'),
        prompt: vscode.l10n.t('Your question (optional). Press Enter to send, Escape to cancel.'),
        ignoreFocusOut: true,
      });
      if (q === undefined) return undefined;
    }
    const context = contextFromEditor(editor, scope, q, this.settings.current);
    await this.session.sendContext(context.message, context.summary);
    return context;
  }
}
