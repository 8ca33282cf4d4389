/**
 * The editor's knowledge as tools: what the language servers, the Git extension and the task
 * system know about the workspace. Declarations, kinds and argument checks; pure (the vscode
 * executors are in knowledgeTools.ts). toolRegistry.ts adds these to the editor tools.
 *
 * All read-only (no question unless `moontalk.tools.confirmReadOnly`) except `run_task` and
 * `run_tests`, which run programs and so always ask first.
 */
import * as v from 'valibot';

export type KnowledgeToolName =
  | 'get_diagnostics'
  | 'document_symbols'
  | 'workspace_symbols'
  | 'find_definition'
  | 'find_references'
  | 'hover_info'
  | 'git_diff'
  | 'list_tasks'
  | 'run_task'
  | 'run_tests';

/** A symbol named on a line: the model says "parseArgs on line 12", not a column. */
export type SymbolAt = {
  path: string;
  line: number;
  symbol: string;
};

export type KnowledgeCall =
  | { name: 'get_diagnostics'; args: { path?: string } }
  | { name: 'document_symbols'; args: { path: string } }
  | { name: 'workspace_symbols'; args: { query: string } }
  | { name: 'find_definition'; args: SymbolAt }
  | { name: 'find_references'; args: SymbolAt }
  | { name: 'hover_info'; args: SymbolAt }
  | { name: 'git_diff'; args: { path?: string } }
  | { name: 'list_tasks'; args: Record<string, never> }
  | { name: 'run_task'; args: { name: string } }
  | { name: 'run_tests'; args: Record<string, never> };

export const KNOWLEDGE_TOOL_KINDS: Record<KnowledgeToolName, 'read' | 'change'> = {
  get_diagnostics: 'read',
  document_symbols: 'read',
  workspace_symbols: 'read',
  find_definition: 'read',
  find_references: 'read',
  hover_info: 'read',
  git_diff: 'read',
  list_tasks: 'read',
  run_task: 'change',
  run_tests: 'change',
};

export function isKnowledgeToolName(name: string): name is KnowledgeToolName {
  return Object.hasOwn(KNOWLEDGE_TOOL_KINDS, name);
}

export function isKnowledgeCall(call: { name: string }): call is KnowledgeCall {
  return isKnowledgeToolName(call.name);
}

const path = v.pipe(v.string('path must be text'), v.trim(), v.minLength(1, 'path must not be empty'), v.maxLength(1_000, 'path is too long'));
const line = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number))], 'line must be a whole number'),
  v.integer('line must be a whole number'),
  v.minValue(1, 'line must be at least 1'),
  v.maxValue(10_000_000, 'line must be at most 10000000'),
);
const symbolAt = v.object({
  path,
  line,
  symbol: v.pipe(v.string('symbol must be text'), v.trim(), v.minLength(1, 'symbol must not be empty'), v.maxLength(200, 'symbol is too long')),
});
const none = v.pipe(
  v.object({}),
  v.transform(() => ({}) as Record<string, never>),
);

export const KNOWLEDGE_SCHEMAS = {
  get_diagnostics: v.object({ path: v.optional(path) }),
  document_symbols: v.object({ path }),
  workspace_symbols: v.object({ query: v.pipe(v.string('query must be text'), v.trim(), v.maxLength(200, 'query is too long')) }),
  find_definition: symbolAt,
  find_references: symbolAt,
  hover_info: symbolAt,
  git_diff: v.object({ path: v.optional(path) }),
  list_tasks: none,
  run_task: v.object({ name: v.pipe(v.string('name must be text'), v.trim(), v.minLength(1, 'name must not be empty'), v.maxLength(300, 'name is too long')) }),
  run_tests: none,
} satisfies Record<KnowledgeToolName, v.GenericSchema>;

const SYMBOL_AT_PARAMETERS = {
  type: 'OBJECT',
  properties: {
    path: { type: 'STRING', description: 'Workspace-relative path of the file where the symbol appears' },
    line: { type: 'INTEGER', description: '1-based line number where the symbol appears' },
    symbol: { type: 'STRING', description: 'The identifier as written on that line, e.g. parseArgs' },
  },
  required: ['path', 'line', 'symbol'],
};

/** The declarations, in the wire's JSON-schema-like form (behavior is added by toolRegistry). */
export const KNOWLEDGE_DECLARATIONS = [
  {
    name: 'get_diagnostics',
    description: 'The problems (errors, warnings) the editor reports for one file, or for the whole workspace when no path is given. Use it for "what is wrong in this file".',
    parameters: { type: 'OBJECT', properties: { path: { type: 'STRING', description: 'Workspace-relative path; omit for every open problem of the workspace' } } },
  },
  {
    name: 'document_symbols',
    description: 'The outline of a file: its classes, functions, variables with their lines.',
    parameters: { type: 'OBJECT', properties: { path: { type: 'STRING', description: 'Workspace-relative path' } }, required: ['path'] },
  },
  {
    name: 'workspace_symbols',
    description: 'Find classes, functions and other symbols by name across the workspace.',
    parameters: { type: 'OBJECT', properties: { query: { type: 'STRING', description: 'Part of the symbol name' } }, required: ['query'] },
  },
  { name: 'find_definition', description: 'Where a symbol is defined, from the language server.', parameters: SYMBOL_AT_PARAMETERS },
  { name: 'find_references', description: 'Every place a symbol is used, from the language server.', parameters: SYMBOL_AT_PARAMETERS },
  { name: 'hover_info', description: 'The type and documentation the editor shows when hovering a symbol.', parameters: SYMBOL_AT_PARAMETERS },
  {
    name: 'git_diff',
    description: 'The uncommitted changes of the git repository: staged, unstaged and untracked files and the diff text.',
    parameters: { type: 'OBJECT', properties: { path: { type: 'STRING', description: 'Optional workspace-relative path: only this file\'s diff' } } },
  },
  // No `parameters` at all for functions without arguments: the service refuses an OBJECT
  // schema with empty `properties` ("should be non-empty for OBJECT type").
  { name: 'list_tasks', description: 'The tasks the user can run in this workspace (build, test, npm scripts, tasks.json).' },
  {
    name: 'run_task',
    description: 'Run a task by name. The user must confirm. Reports whether it succeeded and the problems it produced.',
    parameters: { type: 'OBJECT', properties: { name: { type: 'STRING', description: 'The task name as list_tasks gives it' } }, required: ['name'] },
  },
  {
    name: 'run_tests',
    description: 'Run the workspace\'s test task. The user must confirm. Reports whether the tests passed and the problems they produced.',
  },
] as const;
