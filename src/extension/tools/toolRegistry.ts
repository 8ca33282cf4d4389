/**
 * The editor functions Gemini may call, as declared in the setup, and the checks
 * every call's arguments pass before anything runs. Pure: the vscode executors are
 * in editorTools.ts.
 *
 * The set is small on purpose. Read-only tools (open a file, reveal a line, search)
 * may run without asking (setting `moontalk.tools.confirmReadOnly`); tools that change
 * anything (insert or replace text, run a command) always ask first.
 */
import * as v from 'valibot';
import type { SetupOptions } from '../../core/messages';
import { modelProfile, type ToolBehavior } from '../../core/models';
import { KNOWLEDGE_DECLARATIONS, KNOWLEDGE_SCHEMAS, KNOWLEDGE_TOOL_KINDS, type KnowledgeCall, type KnowledgeToolName } from './knowledge/knowledgeRegistry';

export type ToolName = 'open_file' | 'reveal_line' | 'search_workspace' | 'insert_text' | 'replace_selection' | 'run_command' | KnowledgeToolName;
export type ToolKind = 'read' | 'change';

/** A call whose name and arguments passed validation. */
export type ValidatedCall =
  | { name: 'open_file'; args: { path: string } }
  | { name: 'reveal_line'; args: { path: string; line: number } }
  | { name: 'search_workspace'; args: { query: string; maxResults: number } }
  | { name: 'insert_text'; args: { text: string } }
  | { name: 'replace_selection'; args: { text: string } }
  | { name: 'run_command'; args: { command: string } }
  | KnowledgeCall;

export const MAX_TOOL_TEXT_CHARS = 20_000;
export const DEFAULT_SEARCH_RESULTS = 20;
export const MAX_SEARCH_RESULTS = 50;

/** The harmless commands `run_command` may run unless the user changes `moontalk.tools.allowedCommands`. */
export const DEFAULT_ALLOWED_COMMANDS: readonly string[] = [
  'workbench.action.files.save',
  'editor.action.formatDocument',
  'editor.action.organizeImports',
  'workbench.action.splitEditor',
  'workbench.action.togglePanel',
];

const TOOL_KINDS: Record<ToolName, ToolKind> = {
  open_file: 'read',
  reveal_line: 'read',
  search_workspace: 'read',
  insert_text: 'change',
  replace_selection: 'change',
  run_command: 'change',
  ...KNOWLEDGE_TOOL_KINDS,
};

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(TOOL_KINDS, name);
}

export function toolKind(name: ToolName): ToolKind {
  return TOOL_KINDS[name];
}

const path = v.pipe(v.string('path must be text'), v.trim(), v.minLength(1, 'path must not be empty'), v.maxLength(1_000, 'path is too long'));
const text = v.pipe(v.string('text must be text'), v.maxLength(MAX_TOOL_TEXT_CHARS, `text is longer than ${MAX_TOOL_TEXT_CHARS} characters`));
/** Gemini sends integers as numbers, sometimes as numeric strings (int64 convention). */
const integer = (field: string, min: number, max: number) =>
  v.pipe(
    v.union([v.number(), v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number))], `${field} must be a whole number`),
    v.integer(`${field} must be a whole number`),
    v.minValue(min, `${field} must be at least ${min}`),
    v.maxValue(max, `${field} must be at most ${max}`),
  );

const SCHEMAS = {
  open_file: v.object({ path }),
  reveal_line: v.object({ path, line: integer('line', 1, 10_000_000) }),
  search_workspace: v.object({
    query: v.pipe(v.string('query must be text'), v.trim(), v.minLength(1, 'query must not be empty'), v.maxLength(200, 'query is too long')),
    maxResults: v.optional(integer('maxResults', 1, MAX_SEARCH_RESULTS), DEFAULT_SEARCH_RESULTS),
  }),
  insert_text: v.object({ text: v.pipe(text, v.minLength(1, 'text must not be empty')) }),
  replace_selection: v.object({ text }),
  run_command: v.object({ command: v.pipe(v.string('command must be text'), v.trim(), v.minLength(1, 'command must not be empty'), v.maxLength(200)) }),
  ...KNOWLEDGE_SCHEMAS,
} satisfies Record<ToolName, v.GenericSchema>;

/**
 * Checks a call from the model. Returns the typed call, or an error text for the
 * model that names the problem (it can correct itself and call again).
 */
export function validateToolCall(name: string | undefined, args: unknown, allowedCommands: readonly string[]): ValidatedCall | { error: string } {
  if (!name || !isToolName(name)) return { error: `Unknown function ${JSON.stringify(name ?? '')}. Available: ${Object.keys(TOOL_KINDS).join(', ')}.` };
  const result = v.safeParse(SCHEMAS[name], args ?? {});
  if (!result.success) {
    const issue = result.issues[0];
    const field = issue ? v.getDotPath(issue) : undefined;
    return { error: `Invalid arguments for ${name}${field ? ` (${field})` : ''}: ${issue?.message ?? 'invalid'}.` };
  }
  const call = { name, args: result.output } as ValidatedCall;
  if (call.name === 'run_command' && !allowedCommands.includes(call.args.command)) {
    return { error: `The command ${call.args.command} is not in the user's allow-list (moontalk.tools.allowedCommands). Allowed: ${allowedCommands.join(', ') || 'none'}.` };
  }
  return call;
}

/**
 * How the editor tools run on `model` (the table of models): in the background where the model
 * can (NON_BLOCKING, the 3.8 default), so the conversation goes on while a question waits for
 * the user's Allow; results are scheduled WHEN_IDLE (toolService.ts). A goAway while a call is
 * pending holds the switch until shortly before its deadline, so an answer given in time goes
 * on the call's own connection; one given later reaches the model as content (the core).
 * Models without background calls take no `behavior` at all (their calls block the turn).
 */
export function editorToolBehavior(model: string): ToolBehavior | undefined {
  return modelProfile(model).supportsNonBlockingTools ? 'NON_BLOCKING' : undefined;
}

/** The declarations for the `setup` frame, in the wire's JSON-schema-like form (as the recorded fixture shows). */
export function toolDeclarations(allowedCommands: readonly string[], model: string): NonNullable<SetupOptions['tools']> {
  const functionDeclarations = [
    {
      name: 'open_file',
      description: 'Open a file of the user\'s workspace in the editor. Paths are relative to the workspace folder.',
      parameters: { type: 'OBJECT', properties: { path: { type: 'STRING', description: 'Workspace-relative path, e.g. src/main.ts' } }, required: ['path'] },
    },
    {
      name: 'reveal_line',
      description: 'Open a workspace file and scroll to a line, selecting it.',
      parameters: {
        type: 'OBJECT',
        properties: { path: { type: 'STRING', description: 'Workspace-relative path' }, line: { type: 'INTEGER', description: '1-based line number' } },
        required: ['path', 'line'],
      },
    },
    {
      name: 'search_workspace',
      description: 'Search the text of the workspace files (case-insensitive). Returns matching lines with their paths and line numbers.',
      parameters: {
        type: 'OBJECT',
        properties: { query: { type: 'STRING', description: 'Text to look for' }, maxResults: { type: 'INTEGER', description: `At most this many matches (1-${MAX_SEARCH_RESULTS}, default ${DEFAULT_SEARCH_RESULTS})` } },
        required: ['query'],
      },
    },
    {
      name: 'insert_text',
      description: 'Insert text at the cursor of the active editor. The user sees a preview and must confirm.',
      parameters: { type: 'OBJECT', properties: { text: { type: 'STRING', description: 'The text to insert' } }, required: ['text'] },
    },
    {
      name: 'replace_selection',
      description: 'Replace the selected text of the active editor. The user sees a preview and must confirm.',
      parameters: { type: 'OBJECT', properties: { text: { type: 'STRING', description: 'The replacement text' } }, required: ['text'] },
    },
    {
      name: 'run_command',
      description: `Run a VS Code command from the user's allow-list. The user must confirm. Allowed: ${allowedCommands.join(', ') || 'none'}.`,
      parameters: { type: 'OBJECT', properties: { command: { type: 'STRING', description: 'The command id', ...(allowedCommands.length > 0 ? { enum: [...allowedCommands] } : {}) } }, required: ['command'] },
    },
    ...KNOWLEDGE_DECLARATIONS,
  ];
  const behavior = editorToolBehavior(model);
  const declared = behavior ? functionDeclarations.map((d) => ({ ...d, behavior })) : functionDeclarations;
  // The SDK types `type` as its `Type` enum, whose values are exactly these strings.
  return [{ functionDeclarations: declared }] as unknown as NonNullable<SetupOptions['tools']>;
}
