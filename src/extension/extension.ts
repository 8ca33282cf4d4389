/**
 * Entry point: builds the few host objects, hands each its dependencies through its
 * constructor, and pushes each into `context.subscriptions` (disposed in reverse
 * on deactivation). No module-level singletons; see `deactivate` for the one hook.
 *
 * Activation is lazy: on a MoonTalk command (implicit `onCommand`), when the chat view
 * is shown (`onView:moontalk.chatView`) or when VS Code restores the panel
 * (`onWebviewPanel:moontalk.panel`).
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { systemClock } from '../common/clock';
import { Redactor } from '../common/redact';
import { ApiKeySetup, type KeyCheckTestHooks } from './apiKeySetup';
import { GEMINI_API_BASE_URL } from '../live/endpoints';
import { WebviewAudioCapture, type AudioCapture } from './audioCapture';
import { chooseMicrophone } from './audio/chooseMicrophone';
import { chooseVoice } from './audio/chooseVoice';
import { DictationController } from './dictation/dictationController';
import { dictationMicrophone } from './dictation/dictationMicrophone';
import { DictationStatusBar } from './dictation/dictationStatusBar';
import { HostAudioCapture } from './hostAudioCapture';
import { loadPvRecorder, pvRecorderCandidates } from '../audio/pvRecorderSource';
import { CommandHandlers } from './commandHandlers';
import { Commands } from './constants';
import { ContextKeySync } from './contextKeys';
import { EditorContext } from './editorContext/editorContext';
import { EmulatorHost } from './emulatorHost';
import { HistoryStore } from './history/historyStore';
import { workspaceId } from './persistence/resumptionRecord';
import { SessionPersistence } from './persistence/sessionPersistence';
import { ToolService } from './tools/toolService';
import { ListeningController } from './listeningController';
import { ModelChooser } from './models/modelChooser';
import { LogChannel } from './logChannel';
import { ChatViewProvider } from './chatViewProvider';
import { PanelHost, SurfaceHost, type PanelHostDeps } from './panelHost';
import { SurfaceHub } from './surfaceHub';
import { renderPanelHtml } from './panelHtml';
import { PANEL_LOAD_TIMEOUT_MS } from './panelLoadWatchdog';
import { PanelManager } from './panelManager';
import { Secrets } from './secrets';
import { SessionController } from './sessionController';
import { Settings } from './settings';
import { SessionStatusBar } from './statusBarItem';
import { createTestApi, shouldExposeTestApi, type DictationTestHooks, type MoonTalkTestApi, type PanelTestHooks } from './testApi';
import { showUserMessage } from './showUserMessage';

export type { MoonTalkTestApi };

/**
 * Closes the session cleanly on deactivate (a close frame, acknowledged within 2 s).
 * `deactivate` takes no arguments, so this is the one module-level reference; it
 * holds a function, not a service, and is cleared when the extension is disposed.
 */
let closeOnDeactivate: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): MoonTalkTestApi | undefined {
  const push = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  // One Redactor per extension host: every log line, error text and debug JSON goes through it.
  const redactor = new Redactor();
  const log = push(new LogChannel(redactor));
  log.info(`MoonTalk Live ${String(context.extension.packageJSON.version)} activating (VS Code ${vscode.version})`);
  const settings = push(new Settings());
  const secrets = push(new Secrets(context.secrets, redactor));
  const emulators = push(new EmulatorHost(log));
  const workspace = workspaceId((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()), vscode.workspace.workspaceFile?.toString());
  const persistence = push(
    new SessionPersistence({ secrets: context.secrets, globalState: context.globalState, workspace, windowId: randomUUID(), clock: systemClock, logger: log, redactor }),
  );
  const history = push(new HistoryStore({ dir: context.storageUri ?? context.globalStorageUri, clock: systemClock, logger: log, redactor, newId: () => randomUUID().slice(0, 8) }));
  // The chat view and the editor panel; `chatViewRef` is assigned below, before any answer can come.
  let chatViewRef: ChatViewProvider | undefined;
  const hub = new SurfaceHub({ revealQuietly: () => void chatViewRef?.show(true), logger: log.child('surfaces') });
  // Questions go inline into a MoonTalk page when one shows the conversation.
  const tools = push(new ToolService(settings, log, () => hub.anyVisibleReady));
  const session = push(
    new SessionController({ settings, secrets, emulators, redactor, logger: log, clock: systemClock, extensionVersion: String(context.extension.packageJSON.version), persistence, history, tools }),
  );

  // Start Listening with capture in the webview: a page must be up; the chat view comes up without focus.
  const revealAudioPageQuietly = async () => (hub.audioSurface ? undefined : chatViewRef?.show(true));
  const webviewCapture = push(new WebviewAudioCapture(revealAudioPageQuietly));
  // Dictation in a browser uses the same page microphone, as a user of its own (audioCapture.ts).
  const webviewDictationCapture = push(new WebviewAudioCapture(revealAudioPageQuietly));
  const hostCapture = push(
    new HostAudioCapture(() => ({ recorder: settings.current.audio.recorder, device: settings.current.audio.device }), log.child('recorder'), {
      // Install hints name the machine: the remote one only when this extension host runs there
      // (extensionKind ["ui", "workspace"] prefers the local side, where the microphone is).
      remoteName: context.extension.extensionKind === vscode.ExtensionKind.Workspace ? vscode.env.remoteName : undefined,
      // The .vsix carries the module in dist/pvrecorder (esbuild.mjs); development falls back to node_modules.
      loadBuiltIn: () => loadPvRecorder(pvRecorderCandidates(context.asAbsolutePath('dist'))),
      notify: (text) => void showUserMessage({ severity: 'info', text, actions: [{ title: vscode.l10n.t('Show Logs'), command: Commands.showLogs }] }),
    }),
  );
  const selectCapture = (): AudioCapture => {
    const choice = settings.current.audio.captureBackend;
    if (choice === 'host') return hostCapture;
    if (choice === 'webview') return webviewCapture;
    // auto: the panel's microphone works in browsers and code-server; desktop webviews cannot
    // open it (microsoft/vscode issue 113916), so desktop captures through a system recorder,
    // found by probing PATH (and, when none exists, says what to install).
    return vscode.env.uiKind === vscode.UIKind.Web ? webviewCapture : hostCapture;
  };
  const listening = push(
    new ListeningController(
      session,
      [webviewCapture, hostCapture],
      selectCapture,
      redactor,
      log,
      () => settings.current.audio.mode === 'pushToTalk',
      () => settings.current.audio.silenceGating,
    ),
  );

  const validateOutgoing = context.extensionMode !== vscode.ExtensionMode.Production;
  // Set only through the test API (testApi.ts): a panel that never loads, a shorter load timeout.
  const panelTestHooks: PanelTestHooks = {};
  const surfaceDeps: PanelHostDeps = {
    extensionUri: context.extensionUri,
    session,
    listening,
    capture: webviewCapture,
    dictationCapture: webviewDictationCapture,
    settings,
    secrets,
    logger: log,
    validateOutgoing,
    runCommand: (command, ...args) => vscode.commands.executeCommand(command, ...args),
    history,
    tools,
    clock: systemClock,
    loadTimeoutMs: () => panelTestHooks.loadTimeoutMs ?? PANEL_LOAD_TIMEOUT_MS,
    renderHtml: (webview, state, surface) => panelTestHooks.renderHtml?.(webview, state) ?? renderPanelHtml(webview, context.extensionUri, state, undefined, surface),
    hub,
  };
  push(hub.follow(session));
  const panels = push(new PanelManager(context.extensionUri, (panel) => new PanelHost(panel, surfaceDeps), { logger: log.child('panels'), tellUser: (message) => void showUserMessage(message) }));
  const chatView = push(new ChatViewProvider((surface) => new SurfaceHost(surface, surfaceDeps), log.child('view')));
  chatViewRef = chatView;
  const contextKeys = push(new ContextKeySync(session, listening, settings, secrets));
  const statusBar = push(
    new SessionStatusBar(session, listening, () => ({
      state: session.state.kind,
      listening: listening.isListening,
      backend: settings.current.backend,
      hasApiKey: contextKeys.apiKeyStored,
      tokensEnabled: settings.current.tokens.enabled,
    })),
  );
  // Set only through the test API: the key check's Gemini base URL (a loopback fake).
  const keyCheckTestHooks: KeyCheckTestHooks = {};
  const apiKeySetup = new ApiKeySetup({
    secrets,
    settings,
    redactor,
    logger: log,
    geminiBaseUrl: () => keyCheckTestHooks.geminiBaseUrl ?? settings.current.baseUrl ?? GEMINI_API_BASE_URL,
  });
  const editorContext = new EditorContext(session, settings);
  const models = push(new ModelChooser({ settings, session, secrets, logger: log, redactor }));
  // Set only through the test API: a stand-in microphone for dictation (code-server has none).
  const dictationTestHooks: DictationTestHooks = {};
  const dictation = push(
    new DictationController({
      settings,
      logger: log.child('dictation'),
      openSession: (setup) => session.openSideSession(setup),
      microphone: () => dictationTestHooks.microphone ?? dictationMicrophone(settings.current.audio.captureBackend, vscode.env.uiKind === vscode.UIKind.Web, { host: hostCapture, webview: webviewDictationCapture }, listening),
      type: (text) => vscode.commands.executeCommand('type', { text }),
      showError: (message) => void vscode.window.showErrorMessage(message),
    }),
  );
  const dictationStatus = push(new DictationStatusBar(dictation));
  // One microphone, one user: Start Listening ends a dictation (its last words are still typed).
  push(
    listening.onDidChange((status) => {
      if (status.listening && dictation.state !== 'idle') void dictation.stop();
    }),
  );
  push(
    new CommandHandlers({
      session,
      listening,
      panels,
      settings,
      secrets,
      apiKeySetup,
      contextKeys,
      statusBar,
      log,
      redactor,
      history,
      editorContext,
      models,
      showChatView: () => chatView.show(false),
      chooseMicrophone: () => chooseMicrophone(selectCapture(), hostCapture, settings.current.audio.device),
      chooseVoice: async () => {
        await chooseVoice({
          settings,
          showPanel: () => vscode.commands.executeCommand(Commands.openPanel),
          sample: { openSession: (setup) => session.openSideSession(setup), play: (pcm) => session.playAudio(pcm), logger: log.child('voice') },
        });
      },
      dictation,
    }),
  );

  // Problems reach the user as notifications from here, and the panel through its host.
  push(session.onDidReport((r) => r.notify && void showUserMessage(r.message)));
  push(listening.onDidReport((m) => void showUserMessage(m)));

  // Closes the connection, saves the session for the window that comes next (a reload) and frees the lease.
  closeOnDeactivate = () => session.shutdown();
  push({ dispose: () => (closeOnDeactivate = undefined) });

  return shouldExposeTestApi(context.extensionMode) ? createTestApi({ session, settings, panels, chatView, hub, panelTestHooks, keyCheckTestHooks, statusBar, apiKeySetup, secrets, history, tools, dictation, dictationTestHooks, dictationStatus }) : undefined;
}

/** Closes the session with a close frame before the extension host goes away; disposal follows. */
export async function deactivate(): Promise<void> {
  const close = closeOnDeactivate;
  closeOnDeactivate = undefined;
  await close?.().catch(() => undefined);
}
