/**
 * The vscode side of the knowledge tools: asks the language servers (through the
 * `vscode.execute…Provider` commands), the diagnostics, the Git extension and the task system,
 * and hands plain values to knowledgeFormat.ts. Errors are plain sentences for the model.
 */
import * as vscode from 'vscode';
import { openWorkspaceDocument, workspaceFile } from '../editorTools';
import { GIT_STATUS_UNTRACKED, gitApi, gitStatusName, type GitChange } from './gitApi';
import {
  formatGitDiff,
  formatLocations,
  formatProblems,
  formatRunOutcome,
  formatSymbols,
  formatTasks,
  hoverText,
  newProblems,
  pickTask,
  pickTestTask,
  symbolColumn,
  workspaceRelativePath,
  type LocationInput,
  type ProblemInput,
  type RootPath,
  type SymbolInput,
  type TaskInput,
} from './knowledgeFormat';
import type { KnowledgeCall, SymbolAt } from './knowledgeRegistry';

/** How long a file just opened may take to get its first diagnostics from its language server. */
const FIRST_DIAGNOSTICS_WAIT_MS = 4_000;
/** How long a task may run before the tool answers with what it has ("still running"). */
const TASK_RUN_LIMIT_MS = 5 * 60_000;
/** After a task ends: problem matchers and language servers report a moment later. */
const DIAGNOSTICS_SETTLE_MS = 1_500;
/** Files whose line text is read for locations (each read opens a document). */
const MAX_FILES_READ_FOR_LOCATIONS = 10;

/** Folder URIs as `scheme://authority/path`, so remote and local folders compare apart. */
function uriKey(uri: vscode.Uri): string {
  return `${uri.scheme}://${uri.authority}${uri.path}`;
}

function rootPaths(): RootPath[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, path: uriKey(f.uri) }));
}

function relative(uri: vscode.Uri, roots = rootPaths()): string {
  return workspaceRelativePath(uriKey(uri), roots);
}

function insideWorkspace(path: string): boolean {
  return !path.startsWith('<outside the workspace>');
}

function problemInputs(uri: vscode.Uri, diagnostics: readonly vscode.Diagnostic[], roots: RootPath[]): ProblemInput[] {
  const path = relative(uri, roots);
  return diagnostics.map((d) => ({
    path,
    severity: d.severity,
    line: d.range.start.line,
    character: d.range.start.character,
    message: d.message,
    ...(d.source ? { source: d.source } : {}),
    ...(d.code !== undefined ? { code: typeof d.code === 'object' ? d.code.value : d.code } : {}),
  }));
}

/** Every diagnostic of a workspace file, as plain values. */
function workspaceProblems(): ProblemInput[] {
  const roots = rootPaths();
  return vscode.languages
    .getDiagnostics()
    .flatMap(([uri, diagnostics]) => problemInputs(uri, diagnostics, roots))
    .filter((p) => insideWorkspace(p.path));
}

/** Resolves when `uri` has diagnostics, or after `ms` (a clean file never gets any). */
function firstDiagnostics(uri: vscode.Uri, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && vscode.languages.getDiagnostics(uri).length > 0) done();
    });
    const timer = setTimeout(done, ms);
    if (vscode.languages.getDiagnostics(uri).length > 0) done();
  });
}

async function diagnostics(path: string | undefined): Promise<unknown> {
  if (path === undefined) {
    const result = formatProblems(workspaceProblems());
    const total = Object.values(result.counts).reduce((a, b) => a + b, 0);
    return { scope: 'workspace', ...result, ...(total === 0 ? { note: 'No problems are reported in the open workspace. Files never opened may not have been checked yet.' } : {}) };
  }
  const wasOpen = await workspaceFile(path).then(({ uri }) => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()));
  const { doc, relative: rel } = await openWorkspaceDocument(path);
  // A file the language server has not seen yet gets its diagnostics a moment after it opens.
  if (!wasOpen) await firstDiagnostics(doc.uri, FIRST_DIAGNOSTICS_WAIT_MS);
  const result = formatProblems(problemInputs(doc.uri, vscode.languages.getDiagnostics(doc.uri), rootPaths()));
  const total = Object.values(result.counts).reduce((a, b) => a + b, 0);
  const clean = wasOpen ? `No problems are reported for ${rel}.` : `No problems are reported for ${rel} yet (its language server may still be checking it; ask again in a moment if some were expected).`;
  return { scope: rel, ...result, ...(total === 0 ? { note: clean } : {}) };
}

/** The position of `symbol` on its line, or an error naming what the line holds. */
async function symbolPosition(at: SymbolAt): Promise<{ doc: vscode.TextDocument; position: vscode.Position; relative: string }> {
  const { doc, relative: rel } = await openWorkspaceDocument(at.path);
  if (at.line > doc.lineCount) throw new Error(`${rel} has only ${doc.lineCount} lines; line ${at.line} does not exist.`);
  const text = doc.lineAt(at.line - 1).text;
  const column = symbolColumn(text, at.symbol);
  if (column === undefined) throw new Error(`${at.symbol} does not appear on line ${at.line} of ${rel}; that line reads: ${text.trim().slice(0, 200)}`);
  return { doc, position: new vscode.Position(at.line - 1, column), relative: rel };
}

async function locationInputs(locations: ReadonlyArray<vscode.Location | vscode.LocationLink>): Promise<LocationInput[]> {
  const roots = rootPaths();
  const texts = new Map<string, vscode.TextDocument | undefined>();
  const out: LocationInput[] = [];
  for (const l of locations) {
    const uri = 'targetUri' in l ? l.targetUri : l.uri;
    const range = 'targetUri' in l ? (l.targetSelectionRange ?? l.targetRange) : l.range;
    const path = relative(uri, roots);
    const key = uri.toString();
    if (!texts.has(key) && insideWorkspace(path)) {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      texts.set(key, open ?? (texts.size < MAX_FILES_READ_FOR_LOCATIONS ? await Promise.resolve(vscode.workspace.openTextDocument(uri)).catch(() => undefined) : undefined));
    }
    const doc = texts.get(key);
    out.push({ path, line: range.start.line, character: range.start.character, ...(doc && range.start.line < doc.lineCount ? { lineText: doc.lineAt(range.start.line).text } : {}) });
  }
  return out;
}

function flattenDocumentSymbols(symbols: readonly vscode.DocumentSymbol[], path: string, container: string | undefined, out: SymbolInput[]): void {
  for (const s of symbols) {
    out.push({ name: s.name, kind: s.kind, path, line: s.selectionRange.start.line, ...(container ? { container } : {}) });
    flattenDocumentSymbols(s.children, path, s.name, out);
  }
}

async function documentSymbols(path: string): Promise<unknown> {
  const { doc, relative: rel } = await openWorkspaceDocument(path);
  const found = (await vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation> | undefined>('vscode.executeDocumentSymbolProvider', doc.uri)) ?? [];
  const inputs: SymbolInput[] = [];
  for (const s of found) {
    if ('children' in s) flattenDocumentSymbols([s], rel, undefined, inputs);
    else inputs.push({ name: s.name, kind: s.kind, path: rel, line: s.location.range.start.line, ...(s.containerName ? { container: s.containerName } : {}) });
  }
  if (inputs.length === 0) return { path: rel, symbols: [], total: 0, note: `No symbols: no language extension describes ${doc.languageId} files, or ${rel} defines none.` };
  return { path: rel, ...formatSymbols(inputs, undefined, false) };
}

async function workspaceSymbols(query: string): Promise<unknown> {
  const roots = rootPaths();
  const found = (await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', query)) ?? [];
  const inputs = found
    .map((s) => ({ name: s.name, kind: s.kind, path: relative(s.location.uri, roots), line: s.location.range.start.line, ...(s.containerName ? { container: s.containerName } : {}) }))
    .filter((s) => insideWorkspace(s.path));
  return { query, ...formatSymbols(inputs), ...(inputs.length === 0 ? { note: `No symbol matches "${query}" (language servers index files once they have started).` } : {}) };
}

async function definitionOrReferences(kind: 'definition' | 'references', at: SymbolAt): Promise<unknown> {
  const { doc, position, relative: rel } = await symbolPosition(at);
  const found =
    kind === 'definition'
      ? ((await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink> | undefined>('vscode.executeDefinitionProvider', doc.uri, position)) ?? [])
      : ((await vscode.commands.executeCommand<vscode.Location[] | undefined>('vscode.executeReferenceProvider', doc.uri, position)) ?? []);
  const result = formatLocations(await locationInputs(found));
  const none = result.total === 0 ? { note: `The ${doc.languageId} language server found no ${kind} for ${at.symbol} at ${rel}:${at.line}.` } : {};
  return { symbol: at.symbol, at: `${rel}:${at.line}`, [kind]: result.locations, total: result.total, ...(result.note ? { note: result.note } : none) };
}

async function hover(at: SymbolAt): Promise<unknown> {
  const { doc, position, relative: rel } = await symbolPosition(at);
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[] | undefined>('vscode.executeHoverProvider', doc.uri, position)) ?? [];
  const contents = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)));
  const text = hoverText(contents);
  if (text.text === '') return { symbol: at.symbol, at: `${rel}:${at.line}`, text: '', note: `The editor shows nothing when hovering ${at.symbol} there.` };
  return { symbol: at.symbol, at: `${rel}:${at.line}`, ...text };
}

async function gitDiff(path: string | undefined): Promise<unknown> {
  const api = await gitApi();
  if ('unavailable' in api) return { repository: null, note: api.unavailable };
  const target = path !== undefined ? await workspaceFile(path) : undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const repo = target ? api.getRepository(target.uri) : ((folder && api.getRepository(folder)) ?? api.repositories[0] ?? null);
  if (!repo) return { repository: null, note: target ? `${target.relative} is not in a git repository that VS Code has open.` : 'There is no git repository in this workspace (or the Git extension has not found it).' };
  const roots = rootPaths();
  const withPath = (c: GitChange) => ({ path: relative(c.uri, roots), status: gitStatusName(c.status) });
  const only = (list: readonly GitChange[]) => (target ? list.filter((c) => c.uri.toString() === target.uri.toString()) : list);
  const untrackedList = repo.state.untrackedChanges ?? [];
  const working = repo.state.workingTreeChanges.filter((c) => c.status !== GIT_STATUS_UNTRACKED);
  const untracked = [...untrackedList, ...repo.state.workingTreeChanges.filter((c) => c.status === GIT_STATUS_UNTRACKED)];
  // One file: the working tree against HEAD (staged and unstaged together). The repository:
  // staged (index against HEAD), then unstaged (working tree against the index), no overlap.
  const diff = target ? await repo.diffWithHEAD(target.uri.fsPath) : [await repo.diff(true), await repo.diff(false)].filter((d) => d.trim() !== '').join('\n');
  return formatGitDiff({
    repository: relative(repo.rootUri, roots),
    branch: repo.state.HEAD?.name,
    staged: only(repo.state.indexChanges).map(withPath),
    unstaged: only(working).map(withPath),
    untracked: only(untracked).map(withPath),
    diff,
  });
}

type NamedTask = TaskInput & { task: vscode.Task };

async function workspaceTasks(): Promise<NamedTask[]> {
  const tasks = await vscode.tasks.fetchTasks();
  return tasks.map((task) => ({
    task,
    name: task.name,
    source: task.source,
    ...(task.group ? { group: task.group.id, isDefault: task.group.isDefault === true } : {}),
    ...(task.detail ? { detail: task.detail } : {}),
  }));
}

/** Runs `task` to its end (or the limit) and reports the problems that appeared meanwhile. */
async function runToEnd(task: vscode.Task, label: string): Promise<unknown> {
  const before = workspaceProblems();
  const started = Date.now();
  const subs: vscode.Disposable[] = [];
  let execution: vscode.TaskExecution | undefined;
  const mine = (e: vscode.TaskExecution) => e === execution || (e.task.name === task.name && e.task.source === task.source);
  const ended = new Promise<{ exitCode: number | undefined; timedOut: boolean }>((resolve) => {
    const timer = setTimeout(() => resolve({ exitCode: undefined, timedOut: true }), TASK_RUN_LIMIT_MS);
    subs.push({ dispose: () => clearTimeout(timer) });
    // A process task reports its exit code first; a custom execution only ends.
    subs.push(vscode.tasks.onDidEndTaskProcess((e) => mine(e.execution) && resolve({ exitCode: e.exitCode, timedOut: false })));
    subs.push(vscode.tasks.onDidEndTask((e) => mine(e.execution) && setTimeout(() => resolve({ exitCode: undefined, timedOut: false }), 200)));
  });
  try {
    execution = await vscode.tasks.executeTask(task);
    const end = await ended;
    if (!end.timedOut) await new Promise((r) => setTimeout(r, DIAGNOSTICS_SETTLE_MS));
    return formatRunOutcome({ task: label, exitCode: end.exitCode, durationMs: Date.now() - started, timedOut: end.timedOut, produced: newProblems(before, workspaceProblems()) });
  } finally {
    for (const s of subs) s.dispose();
  }
}

async function runTask(name: string): Promise<unknown> {
  const picked = pickTask(await workspaceTasks(), name);
  if ('error' in picked) throw new Error(picked.error);
  return runToEnd(picked.task, `${picked.source}: ${picked.name}`);
}

async function runTests(): Promise<unknown> {
  const picked = pickTestTask(await workspaceTasks());
  if ('error' in picked) throw new Error(picked.error);
  return runToEnd(picked.task, `${picked.source}: ${picked.name}`);
}

export async function executeKnowledgeTool(call: KnowledgeCall): Promise<unknown> {
  switch (call.name) {
    case 'get_diagnostics':
      return diagnostics(call.args.path);
    case 'document_symbols':
      return documentSymbols(call.args.path);
    case 'workspace_symbols':
      return workspaceSymbols(call.args.query);
    case 'find_definition':
      return definitionOrReferences('definition', call.args);
    case 'find_references':
      return definitionOrReferences('references', call.args);
    case 'hover_info':
      return hover(call.args);
    case 'git_diff':
      return gitDiff(call.args.path);
    case 'list_tasks':
      return formatTasks(await workspaceTasks());
    case 'run_task':
      return runTask(call.args.name);
    case 'run_tests':
      return runTests();
    default: {
      const never: never = call;
      throw new Error(`Unknown function ${String((never as { name: string }).name)}.`);
    }
  }
}

/** The question shown before a knowledge tool runs (always for run_task / run_tests). */
export function describeKnowledgeCall(call: KnowledgeCall): { title: string; detail: string } {
  switch (call.name) {
    case 'run_task':
      return { title: vscode.l10n.t('Gemini wants to run the task {0}.', call.args.name), detail: call.args.name };
    case 'run_tests':
      return { title: vscode.l10n.t('Gemini wants to run the tests of this workspace (its test task).'), detail: 'run_tests' };
    case 'get_diagnostics':
      return { title: vscode.l10n.t('Gemini wants to read the problems of {0}.', call.args.path ?? vscode.l10n.t('the workspace')), detail: call.args.path ?? '' };
    case 'git_diff':
      return { title: vscode.l10n.t('Gemini wants to read the uncommitted changes (git diff).'), detail: call.args.path ?? '' };
    case 'list_tasks':
      return { title: vscode.l10n.t('Gemini wants to list the tasks of this workspace.'), detail: '' };
    case 'workspace_symbols':
      return { title: vscode.l10n.t('Gemini wants to look up symbols named "{0}".', call.args.query), detail: call.args.query };
    case 'document_symbols':
      return { title: vscode.l10n.t('Gemini wants to read the outline of {0}.', call.args.path), detail: call.args.path };
    case 'find_definition':
    case 'find_references':
    case 'hover_info':
      return { title: vscode.l10n.t('Gemini wants to look up {0} at {1}:{2}.', call.args.symbol, call.args.path, call.args.line), detail: call.name };
    default: {
      const never: never = call;
      return { title: String(never), detail: '' };
    }
  }
}
