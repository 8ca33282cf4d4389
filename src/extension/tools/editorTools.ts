/**
 * The vscode side of the editor tools: what each declared function does. Every path
 * goes through the workspace path policy first; errors are thrown as plain sentences,
 * which the coordinator sends to the model as `{error}`.
 */
import * as vscode from 'vscode';
import { isReallyInside, realRoots, resolveRealWorkspacePath, type WorkspaceRoot } from './pathPolicy';
import type { ValidatedCall } from './toolRegistry';

/** Where an insert or replace applies: captured when the user is asked, so the preview and the edit agree. */
export interface EditTarget {
  uri: vscode.Uri;
  range: vscode.Range;
  /** Workspace-relative (or the file name) for messages. */
  label: string;
}

const SEARCH_EXCLUDE = '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**}';
const SEARCH_MAX_FILES = 2_000;
const SEARCH_MAX_FILE_BYTES = 512 * 1024;
const MAX_LINE_CHARS = 200;

function roots(): WorkspaceRoot[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, fsPath: f.uri.fsPath }));
}

function slashes(p: string): string {
  return p.split('\\').join('/');
}

/** The path checked against the workspace with its symbolic links followed; the uri is the real file. */
async function workspaceFile(path: string): Promise<{ uri: vscode.Uri; relative: string }> {
  const decision = await resolveRealWorkspacePath(path, roots());
  if (!decision.ok) throw new Error(decision.error);
  return { uri: vscode.Uri.file(decision.fsPath), relative: slashes(decision.relative) };
}

async function openWorkspaceDocument(path: string): Promise<{ doc: vscode.TextDocument; relative: string }> {
  const { uri, relative } = await workspaceFile(path);
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    throw new Error(`No such file in the workspace: ${relative}.`);
  }
  if (stat.type & vscode.FileType.Directory) throw new Error(`${relative} is a folder, not a file.`);
  const doc = await vscode.workspace.openTextDocument(uri);
  return { doc, relative };
}

/** The active editor's insertion point or selection, for insert_text and replace_selection. */
export function currentEditTarget(kind: 'insert' | 'replace'): EditTarget {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme !== 'moontalk-preview');
  if (!editor || editor.document.uri.scheme === 'moontalk-preview') throw new Error('No text editor is active, so there is nowhere to put the text. Ask the user to open a file and place the cursor.');
  const selection = editor.selection;
  if (kind === 'replace' && selection.isEmpty) throw new Error('Nothing is selected in the active editor, so there is nothing to replace. Ask the user to select the text first.');
  const range = kind === 'insert' ? new vscode.Range(selection.active, selection.active) : new vscode.Range(selection.start, selection.end);
  return { uri: editor.document.uri, range, label: slashes(vscode.workspace.asRelativePath(editor.document.uri, false)) };
}

export async function executeEditorTool(call: ValidatedCall, target: EditTarget | undefined): Promise<unknown> {
  switch (call.name) {
    case 'open_file': {
      const { doc, relative } = await openWorkspaceDocument(call.args.path);
      await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: true });
      return { opened: relative, languageId: doc.languageId, lineCount: doc.lineCount };
    }
    case 'reveal_line': {
      const { doc, relative } = await openWorkspaceDocument(call.args.path);
      if (call.args.line > doc.lineCount) throw new Error(`${relative} has only ${doc.lineCount} lines; line ${call.args.line} does not exist.`);
      const line = doc.lineAt(call.args.line - 1);
      const editor = await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: true, selection: line.range });
      editor.revealRange(line.range, vscode.TextEditorRevealType.InCenter);
      return { revealed: relative, line: call.args.line, text: line.text.slice(0, MAX_LINE_CHARS) };
    }
    case 'search_workspace':
      return searchWorkspace(call.args.query, call.args.maxResults);
    case 'insert_text':
    case 'replace_selection': {
      const where = target ?? currentEditTarget(call.name === 'insert_text' ? 'insert' : 'replace');
      const edit = new vscode.WorkspaceEdit();
      edit.replace(where.uri, where.range, call.args.text);
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code could not edit ${where.label} (it may be read-only or changed meanwhile).`);
      return {
        [call.name === 'insert_text' ? 'inserted' : 'replaced']: where.label,
        line: where.range.start.line + 1,
        characters: call.args.text.length,
      };
    }
    case 'run_command':
      await vscode.commands.executeCommand(call.args.command);
      return { ran: call.args.command };
    default: {
      const never: never = call;
      throw new Error(`Unknown function ${String((never as { name: string }).name)}.`);
    }
  }
}

async function searchWorkspace(query: string, maxResults: number): Promise<unknown> {
  const folders = roots();
  if (folders.length === 0) throw new Error('No folder is open in VS Code, so there is nothing to search.');
  const resolvedFolders = await realRoots(folders);
  const needle = query.toLowerCase();
  const files = await vscode.workspace.findFiles('**/*', SEARCH_EXCLUDE, SEARCH_MAX_FILES);
  files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  const matches: Array<{ path: string; line: number; text: string }> = [];
  let truncated = false;
  outer: for (const uri of files) {
    // findFiles follows symbolic links (search.followSymlinks): never read through one that leaves the workspace.
    if (uri.scheme !== 'file' || !(await isReallyInside(uri.fsPath, resolvedFolders))) continue;
    let bytes: Uint8Array;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > SEARCH_MAX_FILE_BYTES) continue;
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      continue;
    }
    if (bytes.subarray(0, 1024).includes(0)) continue; // binary
    const relative = slashes(vscode.workspace.asRelativePath(uri, false));
    const lines = new TextDecoder().decode(bytes).split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.toLowerCase().includes(needle)) continue;
      if (matches.length >= maxResults) {
        truncated = true;
        break outer;
      }
      matches.push({ path: relative, line: i + 1, text: lines[i]!.trim().slice(0, MAX_LINE_CHARS) });
    }
  }
  return { query, matches, truncated };
}
