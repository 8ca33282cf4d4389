/**
 * Which tools of `vscode.lm.tools` (extension tools and MCP servers' tools) Gemini is offered,
 * which ones ask the user before they run, and how their results are scheduled. Pure.
 *
 * Setting `moontalk.tools.languageModelTools`:
 * - `readOnlyAndAllowed` (default): tools tagged read-only, plus the user's allow-list.
 * - `all`: every tool; the ones that may change something ask first.
 * - `allowList`: only the allow-list (`moontalk.tools.languageModelToolsAllowed`).
 * - `none`: none.
 *
 * The public API says nothing else about a tool's effects: `LanguageModelToolInformation` has a
 * name, a description, an input schema and tags, and VS Code tags every MCP tool just `mcp`
 * (an MCP `readOnlyHint` annotation does not reach extensions). So a tool is read-only only when
 * its tags say so (`read-only`, `readonly`, `read_only`, any case): the extension that
 * contributes it vouches for that. Everything else may change something and asks first,
 * unless the user answered "Always allow" for it (which puts it on the allow-list).
 */

export type LmToolSelection = 'readOnlyAndAllowed' | 'all' | 'allowList' | 'none';
export const LM_TOOL_SELECTIONS: readonly LmToolSelection[] = ['readOnlyAndAllowed', 'all', 'allowList', 'none'];

/** What this module needs of a `vscode.LanguageModelToolInformation`. */
export interface LmToolInfo {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: object | undefined;
  readonly tags: readonly string[];
}

export interface LmToolPolicy {
  readonly selection: LmToolSelection;
  /** Tool names (as `vscode.lm.tools` gives them) that run without asking. */
  readonly allowed: readonly string[];
  /** Read-only tools ask too (`moontalk.tools.confirmReadOnly`). */
  readonly confirmReadOnly: boolean;
}

/** How a tool's result is handed to a model that runs tools in the background. */
export type ResultScheduling = 'SILENT' | 'WHEN_IDLE' | 'INTERRUPT';

export function isReadOnlyTool(tool: Pick<LmToolInfo, 'tags'>): boolean {
  return tool.tags.some((t) => t.toLowerCase().replace(/[-_\s]/g, '') === 'readonly');
}

/**
 * VS Code lists its chat's own internals in the registry too (`vscode_editFile_internal`,
 * `vscode_searchExtensions_internal`, seen in Code 1.139): they work only inside a chat request,
 * so they are never offered, whatever the setting.
 */
export function isChatInternal(tool: Pick<LmToolInfo, 'name'>): boolean {
  return tool.name.endsWith('_internal');
}

/** Whether Gemini is offered `tool`. */
export function isOffered(tool: LmToolInfo, policy: LmToolPolicy): boolean {
  if (isChatInternal(tool)) return false;
  switch (policy.selection) {
    case 'none':
      return false;
    case 'all':
      return true;
    case 'allowList':
      return policy.allowed.includes(tool.name);
    case 'readOnlyAndAllowed':
      return isReadOnlyTool(tool) || policy.allowed.includes(tool.name);
  }
}

/** Whether a call of `tool` asks the user first (decided per call, with the settings at that moment). */
export function needsConsent(tool: LmToolInfo, policy: Pick<LmToolPolicy, 'allowed' | 'confirmReadOnly'>): boolean {
  if (policy.allowed.includes(tool.name)) return false;
  return !isReadOnlyTool(tool) || policy.confirmReadOnly;
}

/** The allow-list after the user answered "Always allow" for `name` (unchanged if already on it). */
export function withAlwaysAllowed(allowed: readonly string[], name: string): string[] {
  return allowed.includes(name) ? [...allowed] : [...allowed, name];
}

/**
 * A tool's result is one the user waits for (they asked for it): it waits until the model is
 * idle, so it does not cut off a sentence. Tools tagged `background` report into the context
 * silently; the model mentions them when it is relevant.
 */
export function resultScheduling(tool: Pick<LmToolInfo, 'tags'>): ResultScheduling {
  return tool.tags.some((t) => t.toLowerCase() === 'background') ? 'SILENT' : 'WHEN_IDLE';
}
