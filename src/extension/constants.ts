/**
 * Every id the extension shares with package.json: command ids, setting keys,
 * context keys, the webview type, secret keys. One module, so a rename is one edit
 * here plus package.json (test/extensionHost/commands.test.ts checks both agree).
 */

/** The extension's id in the marketplace sense: `publisher.name` from package.json. */
export const EXTENSION_ID = 'moontalk.moontalk-live';

export const OUTPUT_CHANNEL_NAME = 'MoonTalk Live';

/** The webview panel's type; also the serializer's key and `onWebviewPanel:` activation event. */
export const PANEL_VIEW_TYPE = 'moontalk.panel';

/** The chat view (a WebviewView) and its Activity Bar container; also the `onView:` activation event. */
export const CHAT_VIEW_ID = 'moontalk.chatView';
export const CHAT_VIEW_CONTAINER_ID = 'moontalk';

export const Commands = {
  /** Open Voice Chat: focuses the chat view in the side bar. */
  openPanel: 'moontalk.openPanel',
  /** Open in Editor: the conversation as an editor panel. */
  openInEditor: 'moontalk.openInEditor',
  connect: 'moontalk.connect',
  disconnect: 'moontalk.disconnect',
  refreshSession: 'moontalk.refreshSession',
  startListening: 'moontalk.startListening',
  stopListening: 'moontalk.stopListening',
  /** Bound to ctrl+alt+m / cmd+alt+m; hidden from the palette (Start/Stop are shown instead). */
  toggleListening: 'moontalk.toggleListening',
  setApiKey: 'moontalk.setApiKey',
  clearApiKey: 'moontalk.clearApiKey',
  useTokenBroker: 'moontalk.useTokenBroker',
  createEphemeralToken: 'moontalk.createEphemeralToken',
  showTokenStatus: 'moontalk.showTokenStatus',
  toggleCompression: 'moontalk.toggleCompression',
  toggleResumption: 'moontalk.toggleResumption',
  toggleEphemeralTokens: 'moontalk.toggleEphemeralTokens',
  switchBackend: 'moontalk.switchBackend',
  /** Lists the Live models of the active backend and writes the pick to `moontalk.model`; with a model id argument, sets it directly (quick fixes). */
  chooseModel: 'moontalk.chooseModel',
  copyDebugInfo: 'moontalk.copyDebugInfo',
  showLogs: 'moontalk.showLogs',
  chooseMicrophone: 'moontalk.chooseMicrophone',
  stopSpeaking: 'moontalk.stopSpeaking',
  chooseVoice: 'moontalk.chooseVoice',
  dictate: 'moontalk.dictate',
  stopDictation: 'moontalk.stopDictation',
  /** The status bar item's click: a quick pick of the actions that fit the state. Hidden from the palette. */
  showSessionActions: 'moontalk.showSessionActions',
  showHistory: 'moontalk.showHistory',
  exportConversation: 'moontalk.exportConversation',
  clearHistory: 'moontalk.clearHistory',
  askAboutSelection: 'moontalk.askAboutSelection',
  askAboutFile: 'moontalk.askAboutFile',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

/** The configuration section; setting keys below are relative to it. */
export const CONFIG_SECTION = 'moontalk';

export const SettingKeys = {
  model: 'model',
  responseModality: 'responseModality',
  voiceName: 'voice.name',
  voiceLanguage: 'voice.language',
  systemInstruction: 'systemInstruction',
  backend: 'backend',
  baseUrl: 'baseUrl',
  compressionEnabled: 'compression.enabled',
  compressionTriggerTokens: 'compression.triggerTokens',
  compressionRatio: 'compression.compressionRatio',
  compressionUseSlidingWindow: 'compression.useSlidingWindow',
  resumptionEnabled: 'resumption.enabled',
  tokensEnabled: 'tokens.enabled',
  tokensLifetimeMinutes: 'tokens.lifetimeMinutes',
  tokensNewSessionWindowSeconds: 'tokens.newSessionWindowSeconds',
  tokensUses: 'tokens.uses',
  tokensBrokerUrl: 'tokens.brokerUrl',
  reconnectBaseMs: 'reconnect.baseMs',
  reconnectCapMs: 'reconnect.capMs',
  reconnectMaxAttempts: 'reconnect.maxAttempts',
  reconnectResponseTimeoutSeconds: 'reconnect.responseTimeoutSeconds',
  audioCaptureBackend: 'audio.captureBackend',
  audioDevice: 'audio.device',
  audioRecorder: 'audio.recorder',
  audioMode: 'audio.mode',
  audioVoiceProcessing: 'audio.voiceProcessing',
  audioSilenceGating: 'audio.silenceGating',
  turnTakingEndOfSpeechSensitivity: 'turnTaking.endOfSpeechSensitivity',
  turnTakingSilenceDurationMs: 'turnTaking.silenceDurationMs',
  turnTakingPrefixPaddingMs: 'turnTaking.prefixPaddingMs',
  turnTakingSpeechInterrupts: 'turnTaking.speechInterrupts',
  emulatorConnectionLifetimeSeconds: 'emulator.connectionLifetimeSeconds',
  emulatorGoAwayLeadSeconds: 'emulator.goAwayLeadSeconds',
  toolsEnabled: 'tools.enabled',
  toolsConfirmReadOnly: 'tools.confirmReadOnly',
  toolsAllowedCommands: 'tools.allowedCommands',
  toolsLanguageModelTools: 'tools.languageModelTools',
  toolsLanguageModelToolsAllowed: 'tools.languageModelToolsAllowed',
  toolsGoogleSearch: 'tools.googleSearch',
  contextIncludeDiagnostics: 'context.includeDiagnostics',
  contextMaxChars: 'context.maxChars',
} as const;
export type SettingKey = (typeof SettingKeys)[keyof typeof SettingKeys];

/** Context keys for `when` clauses in package.json. */
export const ContextKeys = {
  /** The session state kind: idle | connecting | connected | handingOff | reconnecting | closed | failed. */
  sessionState: 'moontalk.sessionState',
  listening: 'moontalk.listening',
  hasApiKey: 'moontalk.hasApiKey',
  hasBrokerCredential: 'moontalk.hasBrokerCredential',
  /** emulator | gemini */
  backend: 'moontalk.backend',
  tokensEnabled: 'moontalk.tokensEnabled',
  /** True when a token can be minted now: tokens on and a key, a broker or the emulator. */
  canMintToken: 'moontalk.canMintToken',
  /** The model's voice is playing in the panel (Stop Speaking applies). */
  speaking: 'moontalk.speaking',
  /** Dictation runs: Escape stops it. */
  dictating: 'moontalk.dictating',
} as const;

/** SecretStorage keys. Values never leave SecretStorage except into a request header or a ws URL. */
export const SecretKeys = {
  apiKey: 'moontalk.apiKey',
  brokerCredential: 'moontalk.brokerCredential',
} as const;

/**
 * The key the in-process emulator is given. It accepts any key, so this is not a
 * secret, and the user's real key never goes to the emulator.
 */
export const EMULATOR_API_KEY = 'offline-emulator-key';

/** Transcript entries kept for the panel; older ones are dropped (the panel keeps its own copy). */
export const MAX_TRANSCRIPT_ENTRIES = 500;
/** Longest text of one transcript entry (the protocol's limit). */
export const MAX_TRANSCRIPT_ENTRY_CHARS = 100_000;
