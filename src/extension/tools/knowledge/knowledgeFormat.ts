/**
 * The pure half of the editor's knowledge tools: how diagnostics, symbols, locations, hover
 * text, diffs and tasks are put into a tool result. No vscode import: the executors
 * (knowledgeTools.ts) turn vscode objects into the plain shapes here.
 *
 * Every result is bounded (a spoken answer needs little, and the model's context is not a
 * dump) and says how much was left out, so the model can tell the user and ask for a
 * narrower call. Paths are relative to the workspace ({@link workspaceRelativePath}).
 */

/** `vscode.SymbolKind` by value (0 = File … 25 = TypeParameter), as people say them. */
const SYMBOL_KIND_NAMES = [
  'file',
  'module',
  'namespace',
  'package',
  'class',
  'method',
  'property',
  'field',
  'constructor',
  'enum',
  'interface',
  'function',
  'variable',
  'constant',
  'string',
  'number',
  'boolean',
  'array',
  'object',
  'key',
  'null',
  'enum member',
  'struct',
  'event',
  'operator',
  'type parameter',
] as const;

export function symbolKindName(kind: number): string {
  return SYMBOL_KIND_NAMES[kind] ?? 'symbol';
}

/** `vscode.DiagnosticSeverity` by value (0 = Error … 3 = Hint). */
export type SeverityName = 'error' | 'warning' | 'information' | 'hint';
const SEVERITY_NAMES: readonly SeverityName[] = ['error', 'warning', 'information', 'hint'];

export function severityName(severity: number): SeverityName {
  return SEVERITY_NAMES[severity] ?? 'information';
}

/** A workspace folder as a path: the URI path of a remote folder, the file path of a local one. */
export interface RootPath {
  name: string;
  /** Posix form (`/home/me/proj`, `/c:/proj`), or `scheme://authority/path` to keep remote folders apart. */
  path: string;
}

/**
 * `target` (a URI path, posix) relative to the workspace: `src/a.ts` in a single folder,
 * `api/src/a.ts` (the folder's name first) in a multi-root workspace, and for a file outside
 * every folder (a library's declaration file) its name after `<outside the workspace>/`:
 * never the user's absolute paths.
 */
export function workspaceRelativePath(target: string, roots: readonly RootPath[]): string {
  for (const root of roots) {
    const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
    const sameCase = caseInsensitivePaths(root.path);
    const t = sameCase ? target.toLowerCase() : target;
    const b = sameCase ? base.toLowerCase() : base;
    if (t === b.slice(0, -1)) return roots.length > 1 ? root.name : '.';
    if (t.startsWith(b)) {
      const rel = target.slice(base.length);
      return roots.length > 1 ? `${root.name}/${rel}` : rel;
    }
  }
  return `<outside the workspace>/${target.split('/').pop() ?? target}`;
}

/** Windows drive paths (`/c:/…`, `file:///c:/…`) compare without case, as the file system does. */
function caseInsensitivePaths(path: string): boolean {
  return /^(?:[a-z][\w+.-]*:\/\/[^/]*)?\/[a-z]:/i.test(path);
}

/** The first `max` items and what was left out. */
export interface Bounded<T> {
  items: T[];
  total: number;
  omitted: number;
}

export function bounded<T>(items: readonly T[], max: number): Bounded<T> {
  const kept = items.slice(0, Math.max(0, max));
  return { items: kept, total: items.length, omitted: items.length - kept.length };
}

/** Text cut to `maxChars` at a line end where one is near, with a note of what was cut. */
export function clipText(text: string, maxChars: number): { text: string; omittedChars: number } {
  if (text.length <= maxChars) return { text, omittedChars: 0 };
  let end = text.lastIndexOf('\n', maxChars);
  if (end < maxChars * 0.8) end = maxChars;
  return { text: text.slice(0, end), omittedChars: text.length - end };
}

/** A sentence for the model when a list or text was cut; undefined when nothing was. */
export function omissionNote(omitted: number, unit: string, hint: string): string | undefined {
  return omitted > 0 ? `${omitted} more ${unit} not shown; ${hint}` : undefined;
}

// ------------------------------------------------------------------ diagnostics

export interface ProblemInput {
  path: string;
  severity: number;
  /** 0-based, as vscode ranges are. */
  line: number;
  character: number;
  message: string;
  source?: string;
  code?: string | number;
}

export interface Problem {
  path: string;
  /** 1-based, as editors show them and people say them. */
  line: number;
  column: number;
  severity: SeverityName;
  message: string;
  source?: string;
  code?: string | number;
}

export const MAX_PROBLEMS = 50;
const MAX_MESSAGE_CHARS = 500;

export function toProblem(p: ProblemInput): Problem {
  const message = p.message.length <= MAX_MESSAGE_CHARS ? p.message : `${p.message.slice(0, MAX_MESSAGE_CHARS)}…`;
  return {
    path: p.path,
    line: p.line + 1,
    column: p.character + 1,
    severity: severityName(p.severity),
    message,
    ...(p.source ? { source: p.source } : {}),
    ...(p.code !== undefined && p.code !== '' ? { code: p.code } : {}),
  };
}

/** Errors first, then by path and position: what to fix first comes first. */
export function compareProblems(a: Problem, b: Problem): number {
  return SEVERITY_NAMES.indexOf(a.severity) - SEVERITY_NAMES.indexOf(b.severity) || a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column;
}

export interface ProblemsResult {
  counts: Record<SeverityName, number>;
  problems: Problem[];
  omitted?: number;
  note?: string;
}

/** The problems as a tool result: counted by severity, sorted, bounded. */
export function formatProblems(inputs: readonly ProblemInput[], max = MAX_PROBLEMS): ProblemsResult {
  const problems = inputs.map(toProblem).sort(compareProblems);
  const counts: Record<SeverityName, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const p of problems) counts[p.severity]++;
  const b = bounded(problems, max);
  const note = omissionNote(b.omitted, 'problems', 'ask for one file to see its problems.');
  return { counts, problems: b.items, ...(note ? { omitted: b.omitted, note } : {}) };
}

function problemKey(p: ProblemInput): string {
  return `${p.path}\u0000${p.severity}\u0000${p.line}\u0000${p.message}`;
}

/**
 * The problems in `after` that were not in `before` (a task's or a test run's own), matched by
 * path, severity, line and message; a problem that was there already is not "produced".
 */
export function newProblems(before: readonly ProblemInput[], after: readonly ProblemInput[]): ProblemInput[] {
  const seen = new Map<string, number>();
  for (const p of before) seen.set(problemKey(p), (seen.get(problemKey(p)) ?? 0) + 1);
  const out: ProblemInput[] = [];
  for (const p of after) {
    const k = problemKey(p);
    const n = seen.get(k) ?? 0;
    if (n > 0) seen.set(k, n - 1);
    else out.push(p);
  }
  return out;
}

// ------------------------------------------------------------------ symbols and locations

export interface SymbolInput {
  name: string;
  kind: number;
  path: string;
  /** 0-based. */
  line: number;
  container?: string;
  /** Nesting depth for document symbols (0 = top level). */
  depth?: number;
}

export interface SymbolEntry {
  name: string;
  kind: string;
  path: string;
  line: number;
  container?: string;
}

export const MAX_SYMBOLS = 100;

export function formatSymbols(inputs: readonly SymbolInput[], max = MAX_SYMBOLS, withPath = true): { symbols: Array<SymbolEntry | Omit<SymbolEntry, 'path'>>; total: number; omitted?: number; note?: string } {
  const b = bounded(inputs, max);
  const symbols = b.items.map((s) => {
    const entry = { name: s.name, kind: symbolKindName(s.kind), line: s.line + 1, ...(s.container ? { container: s.container } : {}) };
    return withPath ? { ...entry, path: s.path } : entry;
  });
  const note = omissionNote(b.omitted, 'symbols', 'ask with a narrower query.');
  return { symbols, total: b.total, ...(note ? { omitted: b.omitted, note } : {}) };
}

export interface LocationInput {
  path: string;
  /** 0-based. */
  line: number;
  character: number;
  /** The text of that line, when the document could be read. */
  lineText?: string;
}

export const MAX_LOCATIONS = 50;
const MAX_LINE_CHARS = 200;

export function formatLocations(inputs: readonly LocationInput[], max = MAX_LOCATIONS): { locations: Array<{ path: string; line: number; column: number; text?: string }>; total: number; omitted?: number; note?: string } {
  const sorted = [...inputs].sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.character - b.character);
  const b = bounded(sorted, max);
  const locations = b.items.map((l) => ({
    path: l.path,
    line: l.line + 1,
    column: l.character + 1,
    ...(l.lineText !== undefined ? { text: l.lineText.trim().slice(0, MAX_LINE_CHARS) } : {}),
  }));
  const note = omissionNote(b.omitted, 'locations', 'they are sorted by path; ask about one file.');
  return { locations, total: b.total, ...(note ? { omitted: b.omitted, note } : {}) };
}

/**
 * Where `symbol` starts on `lineText` (0-based), as a whole word: the model names a symbol and a
 * line ("references of parseArgs on line 12"), never a column. `occurrence` picks a later one.
 */
export function symbolColumn(lineText: string, symbol: string, occurrence = 1): number | undefined {
  if (symbol === '') return undefined;
  const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_$]/u.test(c);
  let from = 0;
  let seen = 0;
  for (;;) {
    const at = lineText.indexOf(symbol, from);
    if (at < 0) return undefined;
    const wordStart = !isWord(symbol[0]) || !isWord(lineText[at - 1]);
    const wordEnd = !isWord(symbol.at(-1)) || !isWord(lineText[at + symbol.length]);
    if (wordStart && wordEnd && ++seen === occurrence) return at;
    from = at + 1;
  }
}

// ------------------------------------------------------------------ hover

export const MAX_HOVER_CHARS = 4_000;

/** Hover contents (markdown or plain strings) as one text, without code fences' noise, bounded. */
export function hoverText(contents: readonly string[], maxChars = MAX_HOVER_CHARS): { text: string; omittedChars?: number } {
  const joined = contents
    .map((c) => c.replace(/^```[\w-]*\n?/gm, '').replace(/\n?```$/gm, '').trim())
    .filter((c) => c !== '')
    .join('\n\n');
  const clipped = clipText(joined, maxChars);
  return clipped.omittedChars > 0 ? { text: clipped.text, omittedChars: clipped.omittedChars } : { text: clipped.text };
}

// ------------------------------------------------------------------ git

export const MAX_DIFF_CHARS = 12_000;

export interface ChangeInput {
  path: string;
  /** The Git extension's `Status` name (MODIFIED, INDEX_ADDED, UNTRACKED, …). */
  status: string;
}

/** A working tree diff as a tool result: the changed files by kind and the diff text, bounded. */
export function formatGitDiff(input: { repository: string; branch?: string; staged: readonly ChangeInput[]; unstaged: readonly ChangeInput[]; untracked: readonly ChangeInput[]; diff: string }, maxChars = MAX_DIFF_CHARS) {
  const clipped = clipText(input.diff, maxChars);
  const files = (list: readonly ChangeInput[]) => bounded(list.map((c) => `${c.path} (${c.status.toLowerCase().replace(/_/g, ' ')})`), MAX_LOCATIONS);
  const staged = files(input.staged);
  const unstaged = files(input.unstaged);
  const untracked = bounded(input.untracked.map((c) => c.path), MAX_LOCATIONS);
  const omittedFiles = staged.omitted + unstaged.omitted + untracked.omitted;
  const clean = input.staged.length + input.unstaged.length + input.untracked.length === 0;
  const notes = [
    clean ? 'The working tree is clean: no changes since the last commit.' : undefined,
    clipped.omittedChars > 0 ? `The diff was cut: ${clipped.omittedChars} more characters not shown; ask for the diff of one file.` : undefined,
    omitExtra(omittedFiles),
  ].filter((n): n is string => n !== undefined);
  return {
    repository: input.repository,
    ...(input.branch ? { branch: input.branch } : {}),
    staged: staged.items,
    unstaged: unstaged.items,
    untracked: untracked.items,
    diff: clipped.text,
    ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
  };
}

function omitExtra(omittedFiles: number): string | undefined {
  return omittedFiles > 0 ? `${omittedFiles} more changed files not listed.` : undefined;
}

// ------------------------------------------------------------------ tasks

export interface TaskInput {
  name: string;
  source: string;
  group?: string;
  detail?: string;
  isDefault?: boolean;
}

export const MAX_TASKS = 50;

export function formatTasks(tasks: readonly TaskInput[], max = MAX_TASKS) {
  const b = bounded(
    [...tasks].sort((a, b) => a.name.localeCompare(b.name)),
    max,
  );
  const list = b.items.map((t) => ({
    name: t.name,
    source: t.source,
    ...(t.group ? { group: t.group } : {}),
    ...(t.isDefault ? { default: true } : {}),
    ...(t.detail ? { detail: t.detail.slice(0, MAX_LINE_CHARS) } : {}),
  }));
  const note = b.total === 0 ? 'This workspace defines no tasks (tasks.json, npm scripts, …).' : omissionNote(b.omitted, 'tasks', 'ask for one by name.');
  return { tasks: list, total: b.total, ...(note ? { note } : {}) };
}

/**
 * The task `name` names: exactly, else without case, else `source: name` as the task picker
 * shows it. Ambiguity is an error that lists the candidates.
 */
export function pickTask<T extends TaskInput>(tasks: readonly T[], name: string): T | { error: string } {
  const wanted = name.trim();
  const exact = tasks.filter((t) => t.name === wanted);
  const loose = exact.length > 0 ? exact : tasks.filter((t) => t.name.toLowerCase() === wanted.toLowerCase() || `${t.source}: ${t.name}`.toLowerCase() === wanted.toLowerCase());
  if (loose.length === 1) return loose[0]!;
  const names = tasks.map((t) => `${t.source}: ${t.name}`);
  if (loose.length > 1) return { error: `Several tasks are called ${wanted}: ${loose.map((t) => `${t.source}: ${t.name}`).join(', ')}. Name one as "source: name".` };
  return { error: `No task is called ${wanted}. Tasks: ${names.slice(0, MAX_TASKS).join(', ') || 'none'}.` };
}

/** The test task: the default of the test group, else the only one in it. */
export function pickTestTask<T extends TaskInput>(tasks: readonly T[]): T | { error: string } {
  const tests = tasks.filter((t) => t.group === 'test');
  const chosen = tests.find((t) => t.isDefault) ?? (tests.length === 1 ? tests[0] : undefined);
  if (chosen) return chosen;
  if (tests.length > 1) return { error: `Several test tasks and none is the default: ${tests.map((t) => `${t.source}: ${t.name}`).join(', ')}. Run one with run_task.` };
  return { error: `This workspace has no test task (a task in the "test" group, such as an npm "test" script). Tasks: ${tasks.map((t) => `${t.source}: ${t.name}`).slice(0, MAX_TASKS).join(', ') || 'none'}.` };
}

/** Longest command line a question shows (a generated command can be huge). */
export const MAX_COMMAND_LINE_CHARS = 1_000;

/**
 * The command line of a task's execution, as the user would type it, for the question before it
 * runs: a shell execution's command line or command and arguments, a process and its
 * arguments. Undefined for a custom execution (an extension runs it; there is no command).
 * Takes the execution as a plain object (`vscode.Task.execution`).
 */
export function taskCommandLine(execution: object | undefined): string | undefined {
  if (!execution) return undefined;
  const e = execution as { commandLine?: unknown; command?: unknown; process?: unknown; args?: unknown };
  const text = (part: unknown) => (typeof part === 'string' ? part : typeof part === 'object' && part !== null && typeof (part as { value?: unknown }).value === 'string' ? (part as { value: string }).value : undefined);
  const quoted = (arg: string) => (arg === '' || /\s/.test(arg) ? JSON.stringify(arg) : arg);
  let line: string | undefined;
  if (typeof e.commandLine === 'string' && e.commandLine.trim() !== '') line = e.commandLine;
  else {
    const program = text(e.command) ?? text(e.process);
    if (program === undefined) return undefined;
    const args = Array.isArray(e.args) ? e.args.map(text).filter((a): a is string => a !== undefined) : [];
    line = [quoted(program), ...args.map(quoted)].join(' ');
  }
  return line.length <= MAX_COMMAND_LINE_CHARS ? line : `${line.slice(0, MAX_COMMAND_LINE_CHARS)}…`;
}

/** How a run ended, with the problems it produced, as the model hears it. */
export function formatRunOutcome(input: { task: string; exitCode: number | undefined; durationMs: number; timedOut: boolean; produced: readonly ProblemInput[] }) {
  const produced = formatProblems(input.produced);
  const outcome = input.timedOut ? 'still running' : input.exitCode === undefined ? 'finished' : input.exitCode === 0 ? 'succeeded' : 'failed';
  return {
    task: input.task,
    outcome,
    ...(input.exitCode !== undefined ? { exitCode: input.exitCode } : {}),
    seconds: Math.round(input.durationMs / 100) / 10,
    newProblems: produced.counts,
    problems: produced.problems,
    // Not an end: the task was left running (it is not stopped), so say so and promise no exit code.
    ...(input.timedOut
      ? { note: `The task is still running after ${Math.round(input.durationMs / 60_000)} minutes; it was not stopped and goes on in its terminal. Its end is not reported; only the problems so far are listed.` }
      : produced.note
        ? { note: produced.note }
        : {}),
  };
}
