/**
 * Gives Gemini the editor as tools: the declarations for the setup, one
 * ToolCallCoordinator per Live client, and the user's confirmations.
 *
 * Confirmations are shown in every MoonTalk page (the chat view in the side bar, the editor
 * panel; surfaceHub.ts) when one of them is visible and ready (Allow / Deny), else in a modal
 * dialog. Inserts and replacements open a diff preview first (the document beside a virtual
 * copy with the change), closed again once the user answered.
 *
 * @remarks
 * A modal cannot be closed by an extension: when the model cancels a call while its
 * modal is open, the answer that follows is ignored (nothing runs). The question in the
 * pages is removed at once.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/logger';
import type { FunctionResponse } from '../../core/messages';
import type { ToolConfirmation } from '../../protocol/messages';
import { Disposable } from '../lifecycle';
import type { Settings } from '../settings';
import { currentEditTarget, executeEditorTool, type EditTarget } from './editorTools';
import { isLmToolCall, LmToolService, type LmToolCall } from './lmTools/lmToolService';
import { googleSearchTools } from './googleSearchTool';
import { isKnowledgeCall } from './knowledge/knowledgeRegistry';
import { describeKnowledgeCall, executeKnowledgeTool, isRunCall, pickTaskFor } from './knowledge/knowledgeTools';
import { CancelSignal, ToolCallCoordinator } from './toolCallCoordinator';
import { toolCallRefusal } from './toolGate';
import { editorToolBehavior, toolDeclarations, toolKind, validateToolCall, type ValidatedCall } from './toolRegistry';

/** A call of an editor tool or of a tool in VS Code's language-model tool registry. */
export type AnyCall = ValidatedCall | LmToolCall;

const PREVIEW_SCHEME = 'moontalk-preview';
const MAX_DETAIL_CHARS = 4_000;

interface Pending {
  request: ToolConfirmation;
  resolve(allow: boolean, always?: boolean): void;
}

export interface ToolSessionPorts {
  liveConnection(): number | undefined;
  send(response: FunctionResponse): void;
}

export class ToolService extends Disposable {
  private readonly pending = new Map<string, Pending>();
  private readonly confirmEmitter = this._register(new vscode.EventEmitter<ToolConfirmation[]>());
  /** The open questions changed (the MoonTalk pages show them). */
  readonly onDidChangeConfirmations: vscode.Event<ToolConfirmation[]> = this.confirmEmitter.event;
  private readonly previews = new Map<string, string>();
  private readonly previewChanged = this._register(new vscode.EventEmitter<vscode.Uri>());
  /** Edit targets captured when asking, by call object. */
  private readonly targets = new WeakMap<ValidatedCall, EditTarget>();
  /** The task a run_task / run_tests call was asked about, by call object: the one that runs. */
  private readonly tasks = new WeakMap<ValidatedCall, vscode.Task | { error: string }>();
  private previewSeq = 0;
  private readonly log: Logger;
  /** Tools of other extensions and MCP servers (vscode.lm.tools). */
  readonly lmTools: LmToolService;

  constructor(
    private readonly settings: Settings,
    logger: Logger,
    /** True when a MoonTalk page (chat view or editor panel) is visible and ready to show a question. */
    private readonly pageAvailable: () => boolean,
  ) {
    super();
    this.log = logger.child('tools');
    this.lmTools = new LmToolService(settings, this.log);
    this._register(
      vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, {
        onDidChange: this.previewChanged.event,
        provideTextDocumentContent: (uri) => this.previews.get(uri.toString()) ?? '',
      }),
    );
    this._onDispose(() => {
      for (const p of this.pending.values()) p.resolve(false);
      this.pending.clear();
    });
  }

  /**
   * The setup's tools: the editor functions and then the tools of VS Code's registry the
   * settings offer (unless tools are off; the registry is read again at every setup, so a
   * handoff declares tools that appeared since), and Google Search (where allowed and the model
   * supports it; it touches no workspace, so Restricted Mode keeps it). Undefined when there
   * are none.
   */
  declarations(): ReturnType<typeof toolDeclarations> | undefined {
    const { tools: t, model } = this.settings.current;
    const search = googleSearchTools(model, t.googleSearch);
    if (!t.enabled) {
      // The language-model tools declared at an earlier setup are forgotten, so their calls are unknown names.
      this.lmTools.clear();
      return search.length > 0 ? search : undefined;
    }
    const editor = toolDeclarations(t.allowedCommands, model);
    const taken = editor.flatMap((tool) => ('functionDeclarations' in tool ? (tool.functionDeclarations ?? []) : [])).map((d) => d.name ?? '');
    const lm = this.lmTools.declarations(taken, editorToolBehavior(model));
    // Same wire form as the editor tools' (the SDK types `type` as an enum of these strings).
    const functions = lm.length > 0 ? ([...editor, { functionDeclarations: lm }] as unknown as ReturnType<typeof toolDeclarations>) : editor;
    return [...functions, ...search];
  }

  /** A coordinator for one Live client; dispose it with the client. */
  createCoordinator(session: ToolSessionPorts): ToolCallCoordinator<AnyCall> {
    // Where the editor tools run in the background, a result is one the user is waiting for:
    // WHEN_IDLE lets the model finish its sentence, then speak about it (INTERRUPT would cut it
    // off; SILENT would leave the user without an answer).
    const background = editorToolBehavior(this.settings.current.model) === 'NON_BLOCKING';
    // A language-model tool's result is scheduled as its policy says (lmToolPolicy.ts).
    const lmCall = (name: string) => this.lmTools.resolve(name, {}) as LmToolCall | undefined;
    return new ToolCallCoordinator<AnyCall>({
      liveConnection: () => session.liveConnection(),
      send: (r) => session.send(background ? { ...r, scheduling: (lmCall(r.name ?? '')?.lm?.scheduling ?? 'WHEN_IDLE') as never } : r),
      validate: (name, args) => {
        // Refused before any question: nothing would run after the user's Allow anyway.
        const refusal = this.refusal();
        if (refusal) return { error: refusal };
        return this.lmTools.resolve(name, args) ?? validateToolCall(name, args, this.settings.current.tools.allowedCommands);
      },
      // Read at call time, as for the editor tools: turning on confirmReadOnly applies to the next call.
      needsConfirmation: (call) => (isLmToolCall(call) ? this.lmTools.needsConsent(call) : toolKind(call.name) === 'change' || this.settings.current.tools.confirmReadOnly),
      confirm: (call, callId, signal) => (isLmToolCall(call) ? this.confirmLmTool(call, callId, signal) : this.confirm(call, callId, signal)),
      execute: (call, signal) => {
        // Checked again after the question: the user may have turned tools off, or the
        // workspace may have lost its trust, while it was open.
        const refusal = this.refusal();
        if (refusal) throw new Error(refusal);
        if (isLmToolCall(call)) return this.lmTools.invoke(call, signal);
        return isKnowledgeCall(call) ? executeKnowledgeTool(call, signal, this.tasks.get(call)) : executeEditorTool(call, this.targets.get(call));
      },
      allowedCommands: () => this.settings.current.tools.allowedCommands,
      lateAnswersReachTheModel: background,
      log: this.log,
    });
  }

  /** Why no tool may run now (tools off, untrusted workspace), else undefined. */
  private refusal(): string | undefined {
    return toolCallRefusal({ toolsEnabled: this.settings.current.tools.enabled, workspaceTrusted: vscode.workspace.isTrusted });
  }

  /** Questions waiting for the user, oldest first. */
  confirmations(): ToolConfirmation[] {
    return [...this.pending.values()].map((p) => p.request);
  }

  /**
   * The user answered (a page's Allow / Always Allow / Deny, or a test). `always` puts a
   * language-model tool on the allow-list. Returns false for an unknown id.
   */
  answer(id: string, allow: boolean, always = false): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    p.resolve(allow, always);
    return true;
  }

  private async confirm(call: ValidatedCall, callId: string, signal: CancelSignal): Promise<boolean> {
    let target: EditTarget | undefined;
    if (call.name === 'insert_text' || call.name === 'replace_selection') {
      // No editor or no selection: no question, the executor reports why.
      try {
        target = currentEditTarget(call.name === 'insert_text' ? 'insert' : 'replace');
      } catch {
        return true;
      }
      this.targets.set(call, target);
    }
    let task: vscode.Task | undefined;
    if (isRunCall(call)) {
      // The question names the task and its command, so it is picked first; what runs is this
      // pick. No such task: no question, the executor reports why (it does not pick again, so
      // a task that appears meanwhile cannot run unasked).
      const picked = await pickTaskFor(call).catch((err: unknown) => ({ error: `Could not read the tasks of this workspace: ${errorMessage(err)}` }));
      this.tasks.set(call, picked);
      if ('error' in picked) return true;
      task = picked;
    }
    const id = callId || `call-${++this.previewSeq}`;
    const request = this.describe(id, call, target, task);
    const preview = target ? await this.openPreview(call, target).catch((err: unknown) => this.log.warn(`could not open the preview: ${String(err)}`)) : undefined;
    try {
      return (await this.ask(request, signal)).allow;
    } finally {
      if (preview) await this.closePreview(preview);
    }
  }

  /** Asks before a tool of another extension or an MCP server runs; "Always Allow" remembers the answer. */
  private async confirmLmTool(call: LmToolCall, callId: string, signal: CancelSignal): Promise<boolean> {
    const args = JSON.stringify(call.args, null, 2);
    const request: ToolConfirmation = {
      id: callId || `call-${++this.previewSeq}`,
      tool: call.name.slice(0, 100),
      title: vscode.l10n.t('Gemini wants to run the tool {0}.', call.lm.tool.name),
      detail: `${args.length <= MAX_DETAIL_CHARS ? args : `${args.slice(0, MAX_DETAIL_CHARS)}\n…`}\n\n${call.lm.tool.description.slice(0, 500)}`,
      alwaysAllow: true,
    };
    const { allow, always } = await this.ask(request, signal);
    if (always) await this.lmTools.alwaysAllow(call).catch((err: unknown) => this.log.warn(`could not save the allow-list: ${String(err)}`));
    return allow;
  }

  /**
   * Puts `request` to the user: in the MoonTalk pages when one is visible and ready, else in a
   * modal (with Always Allow when the request offers it). Settles false when `signal` is cancelled.
   */
  private ask(request: ToolConfirmation, signal: CancelSignal): Promise<{ allow: boolean; always: boolean }> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (allow: boolean, always = false) => {
        if (settled) return;
        settled = true;
        sub.dispose();
        this.pending.delete(request.id);
        this.confirmEmitter.fire(this.confirmations());
        const granted = allow && !signal.cancelled;
        resolve({ allow: granted, always: granted && always });
      };
      const sub = signal.onCancel(() => settle(false));
      this.pending.set(request.id, { request, resolve: settle });
      this.confirmEmitter.fire(this.confirmations());
      if (!this.pageAvailable()) {
        const allow = vscode.l10n.t('Allow');
        const alwaysAllow = vscode.l10n.t('Always Allow');
        const buttons = request.alwaysAllow ? [allow, alwaysAllow] : [allow];
        void vscode.window.showWarningMessage(request.title, { modal: true, detail: request.detail }, ...buttons).then((picked) => settle(picked === allow || picked === alwaysAllow, picked === alwaysAllow));
      }
    });
  }

  private describe(id: string, call: ValidatedCall, target: EditTarget | undefined, task: vscode.Task | undefined): ToolConfirmation {
    const clip = (s: string) => (s.length <= MAX_DETAIL_CHARS ? s : `${s.slice(0, MAX_DETAIL_CHARS)}\n…`);
    let title: string;
    let detail: string;
    switch (call.name) {
      case 'insert_text':
        title = vscode.l10n.t('Gemini wants to insert text into {0} at line {1}.', target?.label ?? '?', (target?.range.start.line ?? 0) + 1);
        detail = clip(call.args.text);
        break;
      case 'replace_selection':
        title = vscode.l10n.t('Gemini wants to replace the selection in {0} (lines {1}–{2}).', target?.label ?? '?', (target?.range.start.line ?? 0) + 1, (target?.range.end.line ?? 0) + 1);
        detail = clip(call.args.text);
        break;
      case 'run_command':
        title = vscode.l10n.t('Gemini wants to run the command {0}.', call.args.command);
        detail = call.args.command;
        break;
      case 'open_file':
        title = vscode.l10n.t('Gemini wants to open {0}.', call.args.path);
        detail = call.args.path;
        break;
      case 'reveal_line':
        title = vscode.l10n.t('Gemini wants to show line {0} of {1}.', call.args.line, call.args.path);
        detail = call.args.path;
        break;
      case 'search_workspace':
        title = vscode.l10n.t('Gemini wants to search the workspace for "{0}".', call.args.query);
        detail = call.args.query;
        break;
      default:
        ({ title, detail } = describeKnowledgeCall(call, task));
    }
    return { id, tool: call.name, title, detail };
  }

  /** Opens a diff of the document against a virtual copy with the change applied. */
  private async openPreview(call: ValidatedCall, target: EditTarget): Promise<vscode.Uri> {
    const doc = await vscode.workspace.openTextDocument(target.uri);
    const text = (call.args as { text: string }).text;
    const proposed = doc.getText(new vscode.Range(doc.positionAt(0), target.range.start)) + text + doc.getText(new vscode.Range(target.range.end, doc.positionAt(doc.getText().length)));
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${++this.previewSeq}/${target.label.split('/').pop() ?? 'preview'}` });
    this.previews.set(uri.toString(), proposed);
    // Not a preview tab: a preview would replace the user's own (preview) tab of the document,
    // which would then be gone when the diff closes. In the document's group, so the panel stays visible.
    const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === target.uri.toString())?.viewColumn;
    await vscode.commands.executeCommand('vscode.diff', target.uri, uri, vscode.l10n.t('{0} ↔ proposed by Gemini', target.label), { preview: false, preserveFocus: true, viewColumn: column });
    return uri;
  }

  private async closePreview(uri: vscode.Uri): Promise<void> {
    this.previews.delete(uri.toString());
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === uri.toString());
    if (tabs.length > 0) await Promise.resolve(vscode.window.tabGroups.close(tabs)).catch(() => undefined);
  }
}
