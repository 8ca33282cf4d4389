/**
 * Offers Gemini the tools VS Code gathers in `vscode.lm.tools` (tools contributed by extensions
 * through `languageModelTools`, and the tools of every MCP server the user configured) and
 * runs them with `vscode.lm.invokeTool`.
 *
 * The registry is read whenever a setup is built (each connect and each handoff): VS Code's
 * API has no event for a changed tool list (`lm.onDidChangeTools` is not in the API of 1.95 nor
 * of 1.139, only inside the extension host), so a tool that appears later (an MCP server that
 * finished starting) is declared at the next handoff, and the log says when the set changed.
 * Calls are checked against the declarations last built; a name the model made up, or a tool
 * that went away, gets an error the model can read.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../../common/logger';
import type { Settings } from '../../settings';
import type { CancelSignal } from '../toolCallCoordinator';
import { buildLmCatalog, type LmCatalog, type LmCatalogEntry, type LmFunctionDeclaration } from './lmToolCatalog';
import { needsConsent, withAlwaysAllowed, type LmToolInfo } from './lmToolPolicy';
import { toolResultText } from './toolResultText';

/** A validated call of a language-model tool. */
export interface LmToolCall {
  name: string;
  args: Record<string, unknown>;
  lm: LmCatalogEntry;
}

export function isLmToolCall(call: { name: string }): call is LmToolCall {
  return 'lm' in call;
}

const EMPTY: LmCatalog = { declarations: [], entries: new Map(), notes: [] };

export class LmToolService {
  private catalog: LmCatalog = EMPTY;
  private lastSignature = '';
  private readonly log: Logger;

  constructor(
    private readonly settings: Settings,
    logger: Logger,
    /** The tools in the registry; VS Code's `vscode.lm.tools` unless a test gives others. */
    private readonly registry: () => readonly LmToolInfo[] = () => vscode.lm?.tools ?? [],
  ) {
    this.log = logger.child('lm-tools');
  }

  /**
   * The declarations for the next setup, after the editor tools' names (`taken`); empty when
   * the setting offers none. Rebuilds the catalog calls are checked against.
   */
  declarations(taken: readonly string[], behavior: 'BLOCKING' | 'NON_BLOCKING' | undefined): LmFunctionDeclaration[] {
    const t = this.settings.current.tools;
    let tools: readonly LmToolInfo[];
    try {
      tools = t.languageModelTools === 'none' ? [] : this.registry();
    } catch (err) {
      this.log.warn(`could not read the language-model tool registry: ${String(err)}`);
      tools = [];
    }
    const catalog = buildLmCatalog(tools, {
      policy: { selection: t.languageModelTools, allowed: t.languageModelToolsAllowed, confirmReadOnly: t.confirmReadOnly },
      taken,
      behavior,
    });
    const signature = JSON.stringify([tools.map((x) => x.name), catalog.declarations.map((d) => d.name)]);
    if (signature !== this.lastSignature) {
      this.lastSignature = signature;
      this.log.info(
        `${tools.length} tool(s) in VS Code's registry; declaring ${catalog.declarations.length} to the model (${t.languageModelTools}): ${catalog.declarations.map((d) => d.name).join(', ') || 'none'}`,
      );
      for (const note of catalog.notes) this.log.info(note);
    }
    this.catalog = catalog;
    return catalog.declarations;
  }

  /** Forgets the declarations (tools were turned off): no call of them is accepted. */
  clear(): void {
    this.catalog = EMPTY;
  }

  /**
   * Whether the call asks the user first, under the settings as they are now: turning on
   * `confirmReadOnly`, or an "Always Allow", applies to the next call, not the next setup.
   */
  needsConsent(call: LmToolCall): boolean {
    const t = this.settings.current.tools;
    return needsConsent(call.lm.tool, { allowed: t.languageModelToolsAllowed, confirmReadOnly: t.confirmReadOnly });
  }

  /** The call, if `name` is one of the declared tools. */
  resolve(name: string | undefined, args: unknown): LmToolCall | { error: string } | undefined {
    const entry = name ? this.catalog.entries.get(name) : undefined;
    if (!entry) return undefined;
    if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) return { error: `Invalid arguments for ${name}: an object is expected.` };
    return { name: entry.functionName, args: (args ?? {}) as Record<string, unknown>, lm: entry };
  }

  /** Whether the tool is still in the registry (an MCP server may have stopped). */
  private stillRegistered(call: LmToolCall): boolean {
    try {
      return this.registry().some((t) => t.name === call.lm.tool.name);
    } catch {
      return false;
    }
  }

  /** Runs the tool; `signal` cancels it (the model withdrew the call, or the session ended). */
  async invoke(call: LmToolCall, signal: CancelSignal): Promise<string> {
    if (!this.stillRegistered(call)) throw new Error(`The tool ${call.lm.tool.name} is no longer available in VS Code (its extension or MCP server stopped).`);
    const cts = new vscode.CancellationTokenSource();
    const sub = signal.onCancel(() => cts.cancel());
    try {
      if (signal.cancelled) cts.cancel();
      this.log.info(`invoking ${call.lm.tool.name} as ${call.name}`);
      const result = await vscode.lm.invokeTool(call.lm.tool.name, { input: call.args, toolInvocationToken: undefined }, cts.token);
      return toolResultText(result.content);
    } finally {
      sub.dispose();
      cts.dispose();
    }
  }

  /** "Always allow": the tool is offered and runs without asking from now on. */
  async alwaysAllow(call: LmToolCall): Promise<void> {
    const allowed = withAlwaysAllowed(this.settings.current.tools.languageModelToolsAllowed, call.lm.tool.name);
    await vscode.workspace.getConfiguration('moontalk').update('tools.languageModelToolsAllowed', allowed, vscode.ConfigurationTarget.Global);
    this.log.info(`${call.lm.tool.name} added to moontalk.tools.languageModelToolsAllowed`);
  }
}
