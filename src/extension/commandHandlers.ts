/**
 * Registers every `moontalk.*` command. Handlers are thin: they call the owner of
 * the state and turn failures into user text (userMessages.ts); none throws into
 * VS Code. Commands that make no sense in a state are hidden by `when` clauses.
 */
import * as vscode from 'vscode';
import type { Redactor } from '../common/redact';
import type { ApiKeySetup } from './apiKeySetup';
import { Commands, SettingKeys, type CommandId } from './constants';
import type { ContextKeySync } from './contextKeys';
import type { EditorContext } from './editorContext/editorContext';
import { formatTimestamp } from './history/historyMarkdown';
import type { HistoryStore } from './history/historyStore';
import { Disposable } from './lifecycle';
import type { ListeningController } from './listeningController';
import type { ModelChooser } from './models/modelChooser';
import type { LogChannel } from './logChannel';
import type { PanelManager } from './panelManager';
import type { Secrets } from './secrets';
import type { SessionController } from './sessionController';
import { formatDuration } from './sessionView';
import type { Settings } from './settings';
import type { SessionStatusBar } from './statusBarItem';
import { showUserMessage } from './showUserMessage';
import { describeError } from './userMessages';

export interface CommandDeps {
  session: SessionController;
  listening: ListeningController;
  panels: PanelManager;
  settings: Settings;
  secrets: Secrets;
  apiKeySetup: ApiKeySetup;
  contextKeys: ContextKeySync;
  statusBar: SessionStatusBar;
  log: LogChannel;
  redactor: Redactor;
  history: HistoryStore;
  editorContext: EditorContext;
  models: ModelChooser;
  /** Open Voice Chat: focuses the chat view (chatViewProvider.ts). */
  showChatView: () => Promise<void>;
  /** MoonTalk: Choose Microphone (src/extension/audio/chooseMicrophone.ts). */
  chooseMicrophone: () => Promise<void>;
  /** MoonTalk: Choose Voice (src/extension/audio/chooseVoice.ts). */
  chooseVoice: () => Promise<void>;
  /** MoonTalk: Dictate / Stop Dictation (src/extension/dictation/dictationController.ts). */
  dictation: { start(): Promise<void>; stop(): Promise<void> };
}

export class CommandHandlers extends Disposable {
  constructor(private readonly deps: CommandDeps) {
    super();
    const { session, listening, panels, log, statusBar, apiKeySetup } = deps;
    const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
      [Commands.openPanel]: () => deps.showChatView(),
      [Commands.openInEditor]: () => panels.createOrShow(),
      [Commands.connect]: () => session.connect(),
      [Commands.disconnect]: async () => {
        listening.stop();
        await session.disconnect();
      },
      [Commands.refreshSession]: () => session.refresh(),
      [Commands.startListening]: () => listening.start(),
      [Commands.stopListening]: () => listening.stop(),
      [Commands.toggleListening]: () => listening.toggle(),
      [Commands.setApiKey]: () => apiKeySetup.run(),
      [Commands.clearApiKey]: () => this.clearApiKey(),
      [Commands.useTokenBroker]: () => this.useTokenBroker(),
      [Commands.createEphemeralToken]: () => this.createToken(),
      [Commands.showTokenStatus]: () => this.showTokenStatus(),
      [Commands.toggleCompression]: () =>
        this.toggle(SettingKeys.compressionEnabled, deps.settings.current.compression.enabled, vscode.l10n.t('Context compression'), vscode.l10n.t('It applies at the next handoff, which starts now if connected.')),
      [Commands.toggleResumption]: () =>
        this.toggle(SettingKeys.resumptionEnabled, deps.settings.current.resumption, vscode.l10n.t('Session resumption'), vscode.l10n.t('It applies at the next connect.')),
      [Commands.toggleEphemeralTokens]: () =>
        this.toggle(SettingKeys.tokensEnabled, deps.settings.current.tokens.enabled, vscode.l10n.t('Ephemeral tokens'), vscode.l10n.t('It applies at the next connect.')),
      // A backend argument comes from a quick fix ("Use Gemini", "Switch to Offline Demo"); the palette passes none.
      [Commands.switchBackend]: (backend?: unknown) => this.switchBackend(backend === 'emulator' || backend === 'gemini' ? backend : undefined),
      // A model id argument comes from a quick fix ("Switch to Gemini 3.8 Live"); the palette passes none.
      [Commands.chooseModel]: (id?: unknown) => deps.models.choose(typeof id === 'string' && id.trim() !== '' ? id.trim() : undefined),
      [Commands.copyDebugInfo]: () => this.copyDebugInfo(),
      [Commands.showLogs]: () => log.show(),
      [Commands.chooseMicrophone]: () => deps.chooseMicrophone(),
      [Commands.stopSpeaking]: () => session.stopSpeaking(),
      [Commands.chooseVoice]: () => deps.chooseVoice(),
      [Commands.dictate]: () => deps.dictation.start(),
      [Commands.stopDictation]: () => deps.dictation.stop(),
      [Commands.showSessionActions]: () => statusBar.showActions(),
      [Commands.showHistory]: () => this.showHistory(),
      [Commands.exportConversation]: (id?: unknown, target?: unknown) => this.exportConversation(typeof id === 'string' ? id : undefined, target instanceof vscode.Uri ? target : undefined),
      [Commands.clearHistory]: () => this.clearHistory(),
      [Commands.askAboutSelection]: (question?: unknown) => deps.editorContext.ask('selection', typeof question === 'string' ? question : undefined),
      [Commands.askAboutFile]: (question?: unknown) => deps.editorContext.ask('file', typeof question === 'string' ? question : undefined),
    };
    for (const [id, handler] of Object.entries(handlers)) {
      // Arguments come from callers that know them (the panel, tests); the palette passes none.
      this._register(vscode.commands.registerCommand(id, (...args: unknown[]) => this.run(id, () => handler(...args))));
    }
  }

  /** Runs a handler; a failure becomes a message, never an exception in VS Code's command service. */
  private async run(id: string, handler: () => unknown): Promise<unknown> {
    try {
      return await handler();
    } catch (err) {
      this.deps.log.error(`${id} failed: ${(err as Error)?.message ?? String(err)}`);
      void showUserMessage(describeError(err, this.deps.redactor, vscode.l10n.t));
      return undefined;
    }
  }

  private async clearApiKey(): Promise<void> {
    const clear = vscode.l10n.t('Clear Key');
    const picked = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove the Gemini API key from VS Code secret storage? The current connection stays open; the next connect needs a key.'),
      { modal: true },
      clear,
    );
    if (picked !== clear) return;
    await this.deps.secrets.deleteApiKey();
    void vscode.window.showInformationMessage(vscode.l10n.t('The API key was removed from secret storage.'));
  }

  private async useTokenBroker(): Promise<void> {
    const { settings, secrets } = this.deps;
    const current = settings.current.tokens.brokerUrl;
    if (current) {
      const change = vscode.l10n.t('Change Broker');
      const stop = vscode.l10n.t('Stop Using the Broker');
      const picked = await vscode.window.showQuickPick([change, stop], { title: vscode.l10n.t('Team token broker: {0}', current) });
      if (picked === stop) {
        await settings.set(SettingKeys.tokensBrokerUrl, undefined);
        await secrets.deleteBrokerCredential();
        void vscode.window.showInformationMessage(vscode.l10n.t('MoonTalk no longer uses the team token broker. It applies at the next connect.'));
        return;
      }
      if (picked !== change) return;
    }
    const url = await vscode.window.showInputBox({
      title: vscode.l10n.t('Team Token Broker (1/2)'),
      prompt: vscode.l10n.t('The broker URL your team gave you (https; plain http only to this machine).'),
      value: current ?? 'https://',
      ignoreFocusOut: true,
      validateInput: (value) => {
        try {
          const u = new URL(value.trim());
          return u.protocol === 'https:' || u.protocol === 'http:' ? undefined : vscode.l10n.t('Use an https URL.');
        } catch {
          return vscode.l10n.t('Enter a URL such as https://broker.example.com.');
        }
      },
    });
    if (!url) return;
    const credential = await vscode.window.showInputBox({
      title: vscode.l10n.t('Team Token Broker (2/2)'),
      prompt: vscode.l10n.t('Your client credential for the broker. It is kept in VS Code secret storage only.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? vscode.l10n.t('Enter the credential, or press Escape to cancel.') : undefined),
    });
    if (!credential) return;
    await secrets.storeBrokerCredential(credential.trim());
    await settings.set(SettingKeys.tokensBrokerUrl, url.trim());
    if (!settings.current.tokens.enabled) await settings.set(SettingKeys.tokensEnabled, true);
    const switchNow = vscode.l10n.t('Use Gemini API');
    const picked =
      settings.current.backend === 'emulator'
        ? await vscode.window.showInformationMessage(vscode.l10n.t('The broker is set. It is used with the Gemini API backend; the emulator is selected now.'), switchNow)
        : await vscode.window.showInformationMessage(vscode.l10n.t('The broker is set. It applies at the next connect.'));
    if (picked === switchNow) await settings.set(SettingKeys.backend, 'gemini');
  }

  private async createToken(): Promise<void> {
    const status = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Creating an ephemeral token…') },
      () => this.deps.session.createToken(),
    );
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Created {0}: valid for {1}, new sessions within {2}, {3}. The next new session uses it.',
        status.name ?? 'auth_tokens/…',
        formatDuration(status.totalTimeLeft),
        formatDuration(status.newSessionTimeLeft),
        status.uses === null ? vscode.l10n.t('unlimited uses') : vscode.l10n.t('{0} use(s) left', status.uses),
      ),
    );
  }

  private async showTokenStatus(): Promise<void> {
    const status = this.deps.session.tokenStatus();
    if (!status?.hasToken) {
      const create = vscode.l10n.t('Create Ephemeral Token');
      const picked = await vscode.window.showInformationMessage(vscode.l10n.t('No ephemeral token yet: one is minted when the session connects.'), create);
      if (picked === create) await vscode.commands.executeCommand(Commands.createEphemeralToken);
      return;
    }
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Token {0}: {1} left, {2}; new sessions {3}.',
        status.name ?? 'auth_tokens/…',
        formatDuration(status.totalTimeLeft),
        status.uses === null ? vscode.l10n.t('unlimited uses') : vscode.l10n.t('{0} use(s) left', status.uses),
        status.canStartNewSession ? vscode.l10n.t('can start for {0}', formatDuration(status.newSessionTimeLeft)) : vscode.l10n.t('need a fresh token'),
      ),
    );
  }

  private async toggle(key: (typeof SettingKeys)[keyof typeof SettingKeys], current: boolean, what: string, when: string): Promise<void> {
    await this.deps.settings.set(key, !current);
    void vscode.window.showInformationMessage(!current ? vscode.l10n.t('{0} is on. {1}', what, when) : vscode.l10n.t('{0} is off. {1}', what, when));
  }

  private async switchBackend(chosen?: 'emulator' | 'gemini'): Promise<void> {
    const { settings, contextKeys } = this.deps;
    if (chosen) {
      if (chosen !== settings.current.backend) await settings.set(SettingKeys.backend, chosen);
      void vscode.window.showInformationMessage(
        chosen === 'emulator' ? vscode.l10n.t('MoonTalk now uses the offline demo; it applies at the next connect.') : vscode.l10n.t('MoonTalk now uses Gemini; it applies at the next connect.'),
      );
      return;
    }
    const items: Array<vscode.QuickPickItem & { backend: 'emulator' | 'gemini' }> = [
      { backend: 'emulator', label: `$(beaker) ${vscode.l10n.t('Offline demo')}`, detail: vscode.l10n.t('A local emulator of the Live API in this window: it echoes what you say. No key, no network, no cost.') },
      { backend: 'gemini', label: `$(cloud) ${vscode.l10n.t('Gemini API')}`, detail: vscode.l10n.t('The real service; needs an API key or a team token broker.') },
    ];
    for (const item of items) if (item.backend === settings.current.backend) item.description = vscode.l10n.t('current');
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('MoonTalk backend'), placeHolder: vscode.l10n.t('It applies at the next connect.') });
    if (!picked || picked.backend === settings.current.backend) return;
    await settings.set(SettingKeys.backend, picked.backend);
    if (picked.backend === 'gemini' && !contextKeys.apiKeyStored && !settings.current.tokens.brokerUrl) {
      const set = vscode.l10n.t('Set API Key');
      const answer = await vscode.window.showInformationMessage(vscode.l10n.t('The Gemini API needs a key. Set one now?'), set);
      if (answer === set) await vscode.commands.executeCommand(Commands.setApiKey);
    }
  }

  /** Picks a conversation, newest first; undefined when there is none or the user cancelled. */
  private async pickConversation(title: string): Promise<string | undefined> {
    const { history } = this.deps;
    await history.ready();
    const list = history.list();
    if (list.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No conversations yet in this workspace.'));
      return undefined;
    }
    const current = history.currentOrLatest()?.id;
    const items = list.map((c) => ({
      id: c.id,
      label: c.title,
      description: c.id === current ? vscode.l10n.t('current') : undefined,
      detail: vscode.l10n.t('{0} · {1} entries', formatTimestamp(c.startedAt), c.entryCount),
    }));
    return (await vscode.window.showQuickPick(items, { title, matchOnDetail: true }))?.id;
  }

  private async showHistory(): Promise<void> {
    const id = await this.pickConversation(vscode.l10n.t('MoonTalk conversation history'));
    const markdown = id && this.deps.history.markdown(id);
    if (!markdown) return;
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  /**
   * Exports a conversation as Markdown: `id` (the panel's Export), else the current one or
   * a pick when there are several; `target` skips the save dialog (tests). Returns the file.
   */
  private async exportConversation(id: string | undefined, target: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
    const { history } = this.deps;
    await history.ready();
    let chosen = id;
    if (!chosen) chosen = history.list().length > 1 ? await this.pickConversation(vscode.l10n.t('Export which conversation?')) : history.currentOrLatest()?.id;
    if (!chosen) {
      if (history.list().length === 0) void vscode.window.showInformationMessage(vscode.l10n.t('No conversations yet in this workspace.'));
      return undefined;
    }
    const markdown = history.markdown(chosen);
    if (!markdown) return undefined;
    const started = history.get(chosen)?.startedAt ?? Date.now();
    const name = `moontalk-${formatTimestamp(started).replace(/[:]/g, '-')}.md`;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export Conversation as Markdown'),
        defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
        filters: { Markdown: ['md'] },
      }));
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(markdown));
    if (!target) {
      const open = vscode.l10n.t('Open');
      void vscode.window.showInformationMessage(vscode.l10n.t('Exported the conversation to {0}.', uri.fsPath), open).then(async (picked) => {
        if (picked === open) await vscode.window.showTextDocument(uri);
      });
    }
    return uri;
  }

  private async clearHistory(): Promise<boolean> {
    const clear = vscode.l10n.t('Clear History');
    const picked = await vscode.window.showWarningMessage(
      vscode.l10n.t('Delete every saved MoonTalk conversation of this workspace? The live session goes on; exported files are not touched.'),
      { modal: true },
      clear,
    );
    if (picked !== clear) return false;
    await this.deps.history.clear();
    void vscode.window.showInformationMessage(vscode.l10n.t('The conversation history was cleared.'));
    return true;
  }

  private async copyDebugInfo(): Promise<void> {
    await vscode.env.clipboard.writeText(this.deps.session.debugInfo());
    void vscode.window.showInformationMessage(vscode.l10n.t('Session debug info copied to the clipboard (keys, tokens and handles removed).'));
  }
}
