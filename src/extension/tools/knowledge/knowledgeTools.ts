/**
 * The vscode side of the knowledge tools: asks the language servers (through the
 * `vscode.execute…Provider` commands), the diagnostics, the Git extension and the task system,
 * and hands plain values to knowledgeFormat.ts. Errors are plain sentences for the model.
 */
import * as vscode from 'vscode';
import { systemClock } from '../../../common/clock';
import type { Disposable } from '../../../common/disposable';
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
  taskCommandLine,
  workspaceRelativePath,
  type LocationInput,
  type ProblemInput,
  type RootPath,
  type SymbolInput,
  type TaskInput,
} from './knowledgeFormat';
import type { KnowledgeCall, SymbolAt } from './knowledgeRegistry';
import { awaitTaskRun, type TaskRunSignal } from './taskRun';

/** How long a file just opened may take to get its first diagnostics from its language server. */
const FIRST_DIAGNOSTICS_WAIT_MS = 4_000;
/** How long a task may run before the tool answers with what it has ("still running"). */
const TASK_RUN_LIMIT_MS = 5 * 60_000;
/** A process task reports its exit code just before it ends; a custom execution never does. */
const PROCESS_EXIT_GRACE_MS = 200;
/** When a terminated task is still listed, it is terminated again (see runToEnd). */
const TERMINATE_RETRY_MS = [1_000, 2_500, 5_000];
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

/**
 * Runs `task` to its end (or the limit) and reports the problems that appeared meanwhile. The
 * task is terminated when `signal` is cancelled (the model withdrew the call, or the session
 * ended); at the limit it goes on and the model hears it is still running (taskRun.ts).
 */
async function runToEnd(task: vscode.Task, label: string, signal: TaskRunSignal): Promise<unknown> {
  const before = workspaceProblems();
  const started = Date.now();
  let execution: vscode.TaskExecution | undefined;
  const mine = (e: vscode.TaskExecution) => e === execution || (e.task.name === task.name && e.task.source === task.source);
  const end = await awaitTaskRun(
    {
      start: async () => {
        execution = await vscode.tasks.executeTask(task);
        return {
          // A terminate that comes right after the start can be lost (code-server 4.139: a shell
          // task cancelled as soon as it was listed ran on; terminated again later, it stopped).
          // So: terminate every execution of this task, and again while one is still listed,
          // a few times (bounded).
          terminate: () => {
            const stop = () => {
              for (const e of new Set([execution!, ...vscode.tasks.taskExecutions.filter(mine)])) e.terminate();
            };
            stop();
            for (const delayMs of TERMINATE_RETRY_MS) {
              systemClock.setTimeout(() => {
                if (vscode.tasks.taskExecutions.some(mine)) stop();
              }, delayMs);
            }
          },
        };
      },
      onEnd: (listener) => {
        let customEnd: Disposable | undefined;
        // A process task reports its exit code first; a custom execution only ends.
        const subs = [
          vscode.tasks.onDidEndTaskProcess((e) => mine(e.execution) && listener(e.exitCode)),
          vscode.tasks.onDidEndTask((e) => {
            if (mine(e.execution)) customEnd ??= systemClock.setTimeout(() => listener(undefined), PROCESS_EXIT_GRACE_MS);
          }),
        ];
        return { dispose: () => [...subs, ...(customEnd ? [customEnd] : [])].forEach((d) => d.dispose()) };
      },
      clock: systemClock,
      limitMs: TASK_RUN_LIMIT_MS,
    },
    signal,
  );
  if (end.kind === 'cancelled') throw new Error(`The task ${label} was stopped: the call was cancelled.`);
  if (end.kind === 'ended') await new Promise((r) => setTimeout(r, DIAGNOSTICS_SETTLE_MS));
  return formatRunOutcome({
    task: label,
    exitCode: end.kind === 'ended' ? end.exitCode : undefined,
    durationMs: Date.now() - started,
    timedOut: end.kind === 'stillRunning',
    produced: newProblems(before, workspaceProblems()),
  });
}

/**
 * The task a `run_task` / `run_tests` call runs, or why there is none. Picked before the
 * question, so the user sees which task and command they allow; the same task runs after Allow.
 */
export async function pickTaskFor(call: RunCall): Promise<vscode.Task | { error: string }> {
  const tasks = await workspaceTasks();
  const picked = call.name === 'run_task' ? pickTask(tasks, call.args.name) : pickTestTask(tasks);
  return 'error' in picked ? picked : picked.task;
}

/** Whether the call runs a task (and so has one picked before the question). */
export function isRunCall(call: { name: string }): call is RunCall {
  return call.name === 'run_task' || call.name === 'run_tests';
}

type RunCall = Extract<KnowledgeCall, { name: 'run_task' | 'run_tests' }>;

async function runTaskCall(call: RunCall, signal: TaskRunSignal, picked: vscode.Task | { error: string } | undefined): Promise<unknown> {
  const task = picked ?? (await pickTaskFor(call));
  if ('error' in task) throw new Error(task.error);
  return runToEnd(task, `${task.source}: ${task.name}`, signal);
}

/**
 * Runs a knowledge tool. `signal` stops a task run (`run_task`, `run_tests`); `picked` is the
 * task the user was shown in the question, or why none was found (pickTaskFor), else it is picked now.
 */
export async function executeKnowledgeTool(call: KnowledgeCall, signal: TaskRunSignal, picked?: vscode.Task | { error: string }): Promise<unknown> {
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
    case 'run_tests':
      return runTaskCall(call, signal, picked);
    default: {
      const never: never = call;
      throw new Error(`Unknown function ${String((never as { name: string }).name)}.`);
    }
  }
}

/** What the question shows of the task that will run: its name, where it comes from and its command. */
function taskDetail(task: vscode.Task): string {
  const command = taskCommandLine(task.execution);
  return [vscode.l10n.t('Task: {0}', `${task.source}: ${task.name}`), vscode.l10n.t('Command: {0}', command ?? vscode.l10n.t('(run by the {0} extension, no command line)', task.source))].join('\n');
}

/**
 * The question shown before a knowledge tool runs (always for run_task / run_tests, with the
 * task picked for them: `task`; without one the executor reports why there is none).
 */
export function describeKnowledgeCall(call: KnowledgeCall, task?: vscode.Task): { title: string; detail: string } {
  switch (call.name) {
    case 'run_task':
      return { title: vscode.l10n.t('Gemini wants to run the task {0}.', task?.name ?? call.args.name), detail: task ? taskDetail(task) : call.args.name };
    case 'run_tests':
      return task
        ? { title: vscode.l10n.t('Gemini wants to run the tests of this workspace: the task {0}.', task.name), detail: taskDetail(task) }
        : { title: vscode.l10n.t('Gemini wants to run the tests of this workspace (its test task).'), detail: 'run_tests' };
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
