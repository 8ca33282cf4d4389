/**
 * What `activate` returns to tests (and only to tests: development or test mode,
 * or MOONTALK_TEST_API=1 in the extension host's environment). Another extension
 * calling `getExtension(...).exports` in production gets undefined. Even here no
 * secret is exposed: the stored key is visible only as its redaction tag.
 */
import * as vscode from 'vscode';
import { secretTag } from '../common/redact';
import type { FullState } from '../protocol/messages';
import type { ApiKeySetup, ApiKeySetupResult, KeyCheckTestHooks } from './apiKeySetup';
import type { UserMessage } from './userMessages';
import type { AudioCapture } from './audioCapture';
import type { DictationController } from './dictation/dictationController';
import type { DictationStatusBar } from './dictation/dictationStatusBar';
import type { HistoryStore } from './history/historyStore';
import type { ToolService } from './tools/toolService';
import type { PanelManager } from './panelManager';
import type { ChatViewProvider } from './chatViewProvider';
import type { SurfaceHub } from './surfaceHub';
import type { Secrets } from './secrets';
import type { SessionController } from './sessionController';
import type { Settings } from './settings';
import type { SessionStatusBar } from './statusBarItem';

/** Knobs of the panel that only tests turn. */
export interface PanelTestHooks {
  /** Replaces the panel's HTML (a page that never says `ready` simulates a hung webview); undefined → the real page. */
  renderHtml?: ((webview: vscode.Webview, state: FullState) => string | undefined) | undefined;
  /** Replaces PANEL_LOAD_TIMEOUT_MS. */
  loadTimeoutMs?: number | undefined;
}

/** Knobs of dictation that only tests turn. */
export interface DictationTestHooks {
  /** A microphone stand-in (code-server's host has none); undefined → the real choice. */
  microphone?: AudioCapture | undefined;
}

export interface MoonTalkTestApi {
  readonly session: SessionController;
  readonly settings: Settings;
  readonly panels: PanelManager;
  /** The side bar chat view (its host while its webview exists). */
  readonly chatView: ChatViewProvider;
  /** The open MoonTalk pages and the one that speaks. */
  readonly hub: SurfaceHub;
  readonly panelTestHooks: PanelTestHooks;
  /** Where Set API Key checks the key: set `geminiBaseUrl` to a loopback fake before calling setApiKey. */
  readonly keyCheckTestHooks: KeyCheckTestHooks;
  /** The status bar item's text now. */
  statusBarText(): string;
  /** Fires with each new status bar text. */
  readonly onDidRenderStatusBar: vscode.Event<string>;
  /** Runs Set API Key as if `key` had been typed into the password box (validation and all). */
  setApiKey(key: string): Promise<ApiKeySetupResult>;
  /** The message the last Set API Key showed (wrong key, dead network, accepted…). */
  lastApiKeyMessage(): UserMessage | undefined;
  /** The status bar item's background now: 'warning', 'error' or undefined. */
  statusBarBackground(): 'warning' | 'error' | undefined;
  /** The redaction tag of the stored key (`secretTag`), never the key; undefined when none is stored. */
  storedApiKeyTag(): Promise<string | undefined>;
  /** Removes the stored key without the confirmation dialog of Clear API Key (test cleanup). */
  deleteApiKey(): Promise<void>;
  /** The conversation history of this workspace. */
  readonly history: HistoryStore;
  /** The editor tools: open questions (`confirmations()`) and `answer(id, allow)`, as the panel's buttons do. */
  readonly tools: ToolService;
  readonly dictation: DictationController;
  readonly dictationTestHooks: DictationTestHooks;
  /** The dictation status bar item's text ('' while hidden is not tracked: read it while dictating). */
  dictationStatusText(): string;
}

export function shouldExposeTestApi(mode: vscode.ExtensionMode, env: NodeJS.ProcessEnv = process.env): boolean {
  return mode !== vscode.ExtensionMode.Production || env.MOONTALK_TEST_API === '1';
}

export function createTestApi(parts: {
  session: SessionController;
  settings: Settings;
  panels: PanelManager;
  chatView: ChatViewProvider;
  hub: SurfaceHub;
  panelTestHooks: PanelTestHooks;
  keyCheckTestHooks: KeyCheckTestHooks;
  statusBar: SessionStatusBar;
  apiKeySetup: ApiKeySetup;
  secrets: Secrets;
  history: HistoryStore;
  tools: ToolService;
  dictation: DictationController;
  dictationTestHooks: DictationTestHooks;
  dictationStatus: DictationStatusBar;
}): MoonTalkTestApi {
  return {
    session: parts.session,
    settings: parts.settings,
    panels: parts.panels,
    chatView: parts.chatView,
    hub: parts.hub,
    panelTestHooks: parts.panelTestHooks,
    keyCheckTestHooks: parts.keyCheckTestHooks,
    statusBarText: () => parts.statusBar.text,
    statusBarBackground: () => parts.statusBar.background,
    onDidRenderStatusBar: parts.statusBar.onDidRender,
    setApiKey: (key) => parts.apiKeySetup.run(() => Promise.resolve(key)),
    lastApiKeyMessage: () => parts.apiKeySetup.lastMessage,
    storedApiKeyTag: async () => {
      const key = await parts.secrets.getApiKey();
      return key === undefined ? undefined : secretTag(key);
    },
    deleteApiKey: () => parts.secrets.deleteApiKey(),
    history: parts.history,
    tools: parts.tools,
    dictation: parts.dictation,
    dictationTestHooks: parts.dictationTestHooks,
    dictationStatusText: () => parts.dictationStatus.text,
  };
}
