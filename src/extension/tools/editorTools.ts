/**
 * The vscode side of the editor tools: what each declared function does. Every path
 * goes through the workspace path policy first; errors are thrown as plain sentences,
 * which the coordinator sends to the model as `{error}`.
 */
import * as vscode from 'vscode';
import { isReallyInside, realRoots, resolveFolderPath, resolveRealWorkspacePath, type WorkspaceRoot } from './pathPolicy';
import type { KnowledgeCall } from './knowledge/knowledgeRegistry';
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

function folders(): readonly vscode.WorkspaceFolder[] {
  return vscode.workspace.workspaceFolders ?? [];
}

function fileRoots(): WorkspaceRoot[] {
  return folders().filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, fsPath: f.uri.fsPath }));
}

function slashes(p: string): string {
  return p.split('\\').join('/');
}

/**
 * The workspace file a tool names, checked against the workspace folders. Local folders
 * (`file:`) are checked with their symbolic links followed and the uri is the real file.
 * In a remote or virtual workspace (`vscode-remote:`, `vscode-vfs:`, …) the folders are
 * URIs the extension host cannot realpath: the path is checked as a posix path against the
 * folder's URI path and joined to the folder URI, so `vscode.workspace.fs` reads it through
 * the folder's own file system provider.
 */
export async function workspaceFile(path: string): Promise<{ uri: vscode.Uri; relative: string }> {
  const all = folders();
  if (all.length > 0 && all.every((f) => f.uri.scheme === 'file')) {
    const decision = await resolveRealWorkspacePath(path, fileRoots());
    if (!decision.ok) throw new Error(decision.error);
    return { uri: vscode.Uri.file(decision.fsPath), relative: slashes(decision.relative) };
  }
  const decision = resolveFolderPath(path, all.map((f) => ({ name: f.name, path: f.uri.path })));
  if (!decision.ok) throw new Error(decision.error);
  const folder = all[decision.folder]!;
  if (folder.uri.scheme === 'file') return workspaceFileIn(decision.relative, folder);
  return { uri: decision.segments.length > 0 ? vscode.Uri.joinPath(folder.uri, ...decision.segments) : folder.uri, relative: decision.relative };
}

/** A local folder of a mixed (local and remote) workspace: the real-path check of `relative` against that folder alone. */
async function workspaceFileIn(relative: string, folder: vscode.WorkspaceFolder): Promise<{ uri: vscode.Uri; relative: string }> {
  const decision = await resolveRealWorkspacePath(relative === '' ? '.' : relative, [{ name: folder.name, fsPath: folder.uri.fsPath }]);
  if (!decision.ok) throw new Error(decision.error);
  return { uri: vscode.Uri.file(decision.fsPath), relative: slashes(decision.relative) };
}

export async function openWorkspaceDocument(path: string): Promise<{ doc: vscode.TextDocument; relative: string }> {
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

/** Runs one of the editor's own tools (the knowledge tools run in knowledge/knowledgeTools.ts). */
export async function executeEditorTool(call: Exclude<ValidatedCall, KnowledgeCall>, target: EditTarget | undefined): Promise<unknown> {
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
  if (folders().length === 0) throw new Error('No folder is open in VS Code, so there is nothing to search.');
  const resolvedFolders = await realRoots(fileRoots());
  const needle = query.toLowerCase();
  const files = await vscode.workspace.findFiles('**/*', SEARCH_EXCLUDE, SEARCH_MAX_FILES);
  files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  const matches: Array<{ path: string; line: number; text: string }> = [];
  let truncated = false;
  outer: for (const uri of files) {
    // findFiles follows symbolic links (search.followSymlinks): never read through one that leaves
    // the workspace. Only local files have a real path to check; a remote or virtual folder's
    // provider serves only what is inside it.
    if (uri.scheme === 'file' && !(await isReallyInside(uri.fsPath, resolvedFolders))) continue;
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
