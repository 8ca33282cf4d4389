/**
 * Reads the `moontalk.*` configuration into typed, validated options. An invalid
 * value never breaks the extension: it is replaced by its default and the user is
 * told once, naming the setting. Changes fire {@link Settings.onDidChange} with the
 * areas they touch; the session controller applies them (compression at the next
 * handoff, the rest at the next connect), with no reload.
 *
 * Defaults (each documented in package.json too): model {@link DEFAULT_MODEL}, AUDIO
 * responses, backend `emulator` (offline), compression on at 25 000 tokens with ratio
 * 0.5, resumption on, ephemeral tokens on (30 min, 60 s window, 1 use), reconnect
 * base 500 ms / cap 30 s / 8 attempts, the emulator's connections 600 s with goAway
 * 60 s before their end (the real service's, LIVE-PROTOCOL.md).
 *
 * What a workspace may set is decided in settingPolicy.ts: where the key or a broker
 * credential goes and what runs is read from the user's own settings only, the editor
 * tools are off until the workspace is trusted, and numeric bounds come from the one
 * table that a unit test compares with package.json.
 */
import * as vscode from 'vscode';
import { DEFAULT_BACKOFF, validateBackoff, type BackoffOptions } from '../core/backoff';
import { DEFAULT_COMPRESSION, contextWindowTokens, validateCompression, type CompressionConfig } from '../core/compression';
import { DEFAULT_MODEL } from '../core/defaults';
import { chooseLanguage, isLanguageTag } from '../core/language';
import type { ResponseModality, TurnTaking } from '../core/messages';
import { DEFAULT_TURN_TAKING } from '../core/turnTaking';
import { findVoice } from '../core/voices';
import { DEFAULT_TOKEN_POLICY, type TokenPolicy } from '../core/tokens';
import type { SettingsView } from '../protocol/messages';
import { MAX_CONTEXT_CHARS } from './editorContext/contextMessage';
import { LM_TOOL_SELECTIONS, type LmToolSelection } from './tools/lmTools/lmToolPolicy';
import { DEFAULT_ALLOWED_COMMANDS } from './tools/toolRegistry';
import { CONFIG_SECTION, SettingKeys, type SettingKey } from './constants';
import { NUMBER_SETTING_BOUNDS, USER_ONLY_SETTINGS, checkNumberSetting, effectiveSetting, type NumberSettingKey } from './settingPolicy';
import { Disposable } from './lifecycle';

export type BackendKind = 'emulator' | 'gemini';
export type CaptureBackendSetting = 'auto' | 'webview' | 'host';

export interface ExtensionSettings {
  model: string;
  responseModality: ResponseModality;
  /** A prebuilt voice name; undefined = the model's default. */
  voice: string | undefined;
  /** The spoken language (BCP-47); undefined = the model detects it. */
  language: string | undefined;
  /** Server-side turn-taking (hands-free). */
  turnTaking: Required<TurnTaking>;
  systemInstruction: string | undefined;
  backend: BackendKind;
  /** For the gemini backend; undefined = the public endpoint. */
  baseUrl: string | undefined;
  compression: CompressionConfig;
  resumption: boolean;
  tokens: {
    /** Prefer ephemeral tokens over sending the key on every connection. */
    enabled: boolean;
    policy: Pick<TokenPolicy, 'uses' | 'lifetimeMs' | 'newSessionWindowMs'>;
    /** A team token broker; its credential lives in SecretStorage. */
    brokerUrl: string | undefined;
  };
  reconnect: BackoffOptions;
  /** A turn with nothing heard back for this long is a dead link (0: off). */
  responseTimeoutMs: number;
  audio: {
    captureBackend: CaptureBackendSetting;
    device: string | undefined;
    /** 'auto' (rec, sox, arecord, ffmpeg in that order), one of those names, or an absolute path. */
    recorder: string;
    /** Hands-free: the server detects when you stop talking. Push-to-talk: Start/Stop Listening bracket each utterance. */
    mode: 'handsFree' | 'pushToTalk';
    /** The panel's microphone asks the browser for echo cancellation, noise suppression and gain control. */
    voiceProcessing: boolean;
    /** Stop streaming during silences (billed per second sent); audioStreamEnd after a second of it. */
    silenceGating: boolean;
  };
  emulator: { connectionLifetimeMs: number; goAwayLeadMs: number };
  tools: {
    /** Declare the editor functions to Gemini. Applies at the next connect (it enters the setup). */
    enabled: boolean;
    /** Ask before read-only tools too (open, reveal, search). Tools that change anything always ask. */
    confirmReadOnly: boolean;
    /** Commands `run_command` may run. */
    allowedCommands: readonly string[];
    /** Which tools of `vscode.lm.tools` (extensions' and MCP servers') Gemini is offered (lmTools/lmToolPolicy.ts). */
    languageModelTools: LmToolSelection;
    /** Tools of `vscode.lm.tools` that are offered and run without asking ("Always allow"). */
    languageModelToolsAllowed: readonly string[];
    /** Declare Google Search (grounding) where the model supports it. Applies at the next connect. */
    googleSearch: boolean;
  };
  context: {
    /** Add the editor's errors and warnings for the range to Ask About Selection / File. */
    includeDiagnostics: boolean;
    /** Longest code sent as context, in characters. */
    maxChars: number;
  };
}

/** Which part of the configuration a change touched. */
export type SettingsArea = 'session' | 'compression' | 'resumption' | 'backend' | 'auth' | 'reconnect' | 'audio' | 'emulator' | 'tools' | 'context';

export interface SettingsChange {
  readonly settings: ExtensionSettings;
  readonly areas: ReadonlySet<SettingsArea>;
}

/** The configuration as a plain getter, so reading is testable without VS Code. */
export interface ConfigSource {
  get(key: string): unknown;
}

/** Builds typed settings from `config`; every invalid value is reported through `warn` and replaced by its default. */
export function readSettings(config: ConfigSource, warn: (message: string) => void, editorSpeechLanguage?: unknown): ExtensionSettings {
  const invalid = (key: SettingKey, value: unknown, expected: string, fallback: unknown) =>
    warn(
      vscode.l10n.t(
        'The setting {0} has an invalid value ({1}); it must be {2}. Using the default, {3}.',
        `${CONFIG_SECTION}.${key}`,
        JSON.stringify(value) ?? String(value),
        expected,
        JSON.stringify(fallback) ?? String(fallback),
      ),
    );
  const bool = (key: SettingKey, fallback: boolean): boolean => {
    const value = config.get(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    invalid(key, value, vscode.l10n.t('true or false'), fallback);
    return fallback;
  };
  // Bounds come from the one table package.json is checked against (settingPolicy.ts).
  const num = (key: NumberSettingKey, fallback: number): number => {
    const { min, max, integer } = NUMBER_SETTING_BOUNDS[key];
    const value = config.get(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value))) return value;
    invalid(key, value, integer ? vscode.l10n.t('a whole number from {0} to {1}', min, max) : vscode.l10n.t('a number from {0} to {1}', min, max), fallback);
    return fallback;
  };
  const str = (key: SettingKey, maxLength: number): string | undefined => {
    const value = config.get(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string' && value.length <= maxLength) return value.trim() === '' ? undefined : value;
    invalid(key, typeof value === 'string' ? `${value.slice(0, 20)}…` : value, vscode.l10n.t('text of at most {0} characters', maxLength), '');
    return undefined;
  };
  const oneOf = <T extends string>(key: SettingKey, options: readonly T[], fallback: T): T => {
    const value = config.get(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string' && (options as readonly string[]).includes(value)) return value as T;
    invalid(key, value, options.join(' | '), fallback);
    return fallback;
  };
  const url = (key: SettingKey): string | undefined => {
    const value = str(key, 2_000);
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return value;
    } catch {
      // reported below
    }
    invalid(key, value, vscode.l10n.t('an http(s) URL'), '');
    return undefined;
  };

  const stringList = (key: SettingKey, fallback: readonly string[], what = vscode.l10n.t('a list of command ids')): readonly string[] => {
    const value = config.get(key);
    if (value === undefined || value === null) return fallback;
    if (Array.isArray(value) && value.length <= 100 && value.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 200)) return value as string[];
    invalid(key, value, what, fallback);
    return fallback;
  };

  /** One of the service's voices, in its spelling; an unknown name is reported (the service would refuse the setup). */
  const voiceName = (): string | undefined => {
    // Before 0.2 the setting was `moontalk.voice` (a string); a leftover value still counts.
    const legacy = config.get('voice');
    const value = str(SettingKeys.voiceName, 100) ?? (typeof legacy === 'string' && legacy.trim() !== '' ? legacy : undefined);
    if (value === undefined) return undefined;
    const known = findVoice(value);
    if (!known) invalid(SettingKeys.voiceName, value, vscode.l10n.t('one of the prebuilt voices (MoonTalk: Choose Voice)'), '');
    return known?.name;
  };
  const language = (): string | undefined => {
    const value = str(SettingKeys.voiceLanguage, 50);
    if (value === undefined || isLanguageTag(value.trim())) return value?.trim();
    invalid(SettingKeys.voiceLanguage, value, vscode.l10n.t('a BCP-47 language tag such as en-US'), '');
    return undefined;
  };

  const model = str(SettingKeys.model, 200) ?? DEFAULT_MODEL;
  let compression: CompressionConfig = {
    enabled: bool(SettingKeys.compressionEnabled, DEFAULT_COMPRESSION.enabled),
    triggerTokens: num(SettingKeys.compressionTriggerTokens, DEFAULT_COMPRESSION.triggerTokens),
    compressionRatio: num(SettingKeys.compressionRatio, DEFAULT_COMPRESSION.compressionRatio),
    useSlidingWindow: bool(SettingKeys.compressionUseSlidingWindow, DEFAULT_COMPRESSION.useSlidingWindow),
  };
  const compressionError = compression.enabled ? validateCompression(compression, model) : undefined;
  if (compressionError) {
    warn(vscode.l10n.t('Context compression settings do not fit the model {0} ({1}); using the defaults.', model, compressionError));
    compression = { ...DEFAULT_COMPRESSION, triggerTokens: Math.min(DEFAULT_COMPRESSION.triggerTokens, contextWindowTokens(model)), enabled: compression.enabled };
  }
  let reconnect: BackoffOptions = {
    baseMs: num(SettingKeys.reconnectBaseMs, DEFAULT_BACKOFF.baseMs),
    capMs: num(SettingKeys.reconnectCapMs, DEFAULT_BACKOFF.capMs),
    maxAttempts: num(SettingKeys.reconnectMaxAttempts, DEFAULT_BACKOFF.maxAttempts),
  };
  const backoffError = validateBackoff(reconnect);
  if (backoffError) {
    warn(vscode.l10n.t('Reconnect settings are inconsistent ({0}); using the defaults.', backoffError));
    reconnect = DEFAULT_BACKOFF;
  }
  return {
    model,
    responseModality: oneOf(SettingKeys.responseModality, ['AUDIO', 'TEXT'] as const, 'AUDIO'),
    voice: voiceName(),
    language: chooseLanguage(language(), editorSpeechLanguage),
    turnTaking: {
      endOfSpeechSensitivity: oneOf(SettingKeys.turnTakingEndOfSpeechSensitivity, ['LOW', 'HIGH'] as const, DEFAULT_TURN_TAKING.endOfSpeechSensitivity),
      silenceDurationMs: num(SettingKeys.turnTakingSilenceDurationMs, DEFAULT_TURN_TAKING.silenceDurationMs),
      prefixPaddingMs: num(SettingKeys.turnTakingPrefixPaddingMs, DEFAULT_TURN_TAKING.prefixPaddingMs),
      interruptions: bool(SettingKeys.turnTakingSpeechInterrupts, DEFAULT_TURN_TAKING.interruptions),
    },
    systemInstruction: str(SettingKeys.systemInstruction, 20_000),
    backend: oneOf(SettingKeys.backend, ['emulator', 'gemini'] as const, 'emulator'),
    baseUrl: url(SettingKeys.baseUrl),
    compression,
    responseTimeoutMs: num(SettingKeys.reconnectResponseTimeoutSeconds, 60) * 1_000,
    resumption: bool(SettingKeys.resumptionEnabled, true),
    tokens: {
      enabled: bool(SettingKeys.tokensEnabled, true),
      policy: {
        lifetimeMs: num(SettingKeys.tokensLifetimeMinutes, DEFAULT_TOKEN_POLICY.lifetimeMs / 60_000) * 60_000,
        newSessionWindowMs: num(SettingKeys.tokensNewSessionWindowSeconds, DEFAULT_TOKEN_POLICY.newSessionWindowMs / 1_000) * 1_000,
        uses: num(SettingKeys.tokensUses, DEFAULT_TOKEN_POLICY.uses),
      },
      brokerUrl: url(SettingKeys.tokensBrokerUrl),
    },
    reconnect,
    audio: {
      captureBackend: oneOf(SettingKeys.audioCaptureBackend, ['auto', 'webview', 'host'] as const, 'auto'),
      device: str(SettingKeys.audioDevice, 500),
      recorder: str(SettingKeys.audioRecorder, 1_000) ?? 'auto',
      mode: oneOf(SettingKeys.audioMode, ['handsFree', 'pushToTalk'] as const, 'handsFree'),
      voiceProcessing: bool(SettingKeys.audioVoiceProcessing, true),
      silenceGating: bool(SettingKeys.audioSilenceGating, true),
    },
    emulator: {
      connectionLifetimeMs: num(SettingKeys.emulatorConnectionLifetimeSeconds, 600) * 1_000,
      goAwayLeadMs: num(SettingKeys.emulatorGoAwayLeadSeconds, 60) * 1_000,
    },
    tools: {
      enabled: bool(SettingKeys.toolsEnabled, true),
      confirmReadOnly: bool(SettingKeys.toolsConfirmReadOnly, false),
      allowedCommands: stringList(SettingKeys.toolsAllowedCommands, DEFAULT_ALLOWED_COMMANDS),
      languageModelTools: oneOf(SettingKeys.toolsLanguageModelTools, LM_TOOL_SELECTIONS, 'readOnlyAndAllowed'),
      languageModelToolsAllowed: stringList(SettingKeys.toolsLanguageModelToolsAllowed, [], vscode.l10n.t('a list of tool names')),
      googleSearch: bool(SettingKeys.toolsGoogleSearch, true),
    },
    context: {
      includeDiagnostics: bool(SettingKeys.contextIncludeDiagnostics, true),
      maxChars: num(SettingKeys.contextMaxChars, MAX_CONTEXT_CHARS),
    },
  };
}

/** The settings the panel shows and may change. */
export function toSettingsView(s: ExtensionSettings): SettingsView {
  return {
    compression: { ...s.compression },
    resumption: s.resumption,
    useEphemeralTokens: s.tokens.enabled,
    responseModality: s.responseModality,
    voiceProcessing: s.audio.voiceProcessing,
  };
}

/** VS Code's own speech language: the default for `moontalk.voice.language`. */
const EDITOR_SPEECH_LANGUAGE = 'accessibility.voice.speechLanguage';

const AREA_SECTIONS: ReadonlyArray<[SettingsArea, readonly string[]]> = [
  ['session', [SettingKeys.model, SettingKeys.responseModality, 'voice', SettingKeys.systemInstruction, SettingKeys.audioMode, 'turnTaking']],
  ['compression', ['compression']],
  ['resumption', ['resumption']],
  ['backend', [SettingKeys.backend, SettingKeys.baseUrl]],
  ['auth', ['tokens']],
  ['reconnect', ['reconnect']],
  ['audio', ['audio']],
  ['emulator', ['emulator']],
  ['tools', ['tools']],
  ['context', ['context']],
];

export class Settings extends Disposable {
  private settings: ExtensionSettings;
  private readonly emitter = this._register(new vscode.EventEmitter<SettingsChange>());
  /** Fires after the configuration changed, with the new settings and the areas touched. */
  readonly onDidChange: vscode.Event<SettingsChange> = this.emitter.event;
  /** A warning is shown once per distinct text, so a bad value does not nag on every change. */
  private readonly warned = new Set<string>();

  constructor(private readonly showWarning: (message: string) => void = (m) => void vscode.window.showWarningMessage(m)) {
    super();
    this.settings = this.read();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        const editorLanguage = e.affectsConfiguration(EDITOR_SPEECH_LANGUAGE);
        if (!e.affectsConfiguration(CONFIG_SECTION) && !editorLanguage) return;
        const areas = new Set<SettingsArea>(editorLanguage ? ['session'] : []);
        for (const [area, keys] of AREA_SECTIONS) {
          if (keys.some((k) => e.affectsConfiguration(`${CONFIG_SECTION}.${k}`))) areas.add(area);
        }
        this.settings = this.read();
        this.emitter.fire({ settings: this.settings, areas });
      }),
    );
    // Trust gates the editor tools (read()): granting it is a change of the tools setting.
    this._register(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.settings = this.read();
        this.emitter.fire({ settings: this.settings, areas: new Set<SettingsArea>(['tools']) });
      }),
    );
  }

  get current(): ExtensionSettings {
    return this.settings;
  }

  /**
   * Writes one setting where it takes effect: the workspace when the workspace sets
   * it (a global write would be shadowed), else the user settings.
   */
  async set(key: SettingKey, value: unknown): Promise<void> {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    const inspected = config.inspect(key);
    // A user-only setting is read from the user settings alone (settingPolicy.ts): write it there.
    const target = USER_ONLY_SETTINGS.has(key)
      ? vscode.ConfigurationTarget.Global
      : inspected?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : inspected?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    await config.update(key, value, target);
  }

  /** Applies a change from the panel's settings form. */
  async update(view: Partial<SettingsView>): Promise<void> {
    const writes: Array<[SettingKey, unknown]> = [];
    if (view.compression) {
      const c = view.compression;
      writes.push(
        [SettingKeys.compressionEnabled, c.enabled],
        [SettingKeys.compressionTriggerTokens, c.triggerTokens],
        [SettingKeys.compressionRatio, c.compressionRatio],
        [SettingKeys.compressionUseSlidingWindow, c.useSlidingWindow],
      );
    }
    if (view.resumption !== undefined) writes.push([SettingKeys.resumptionEnabled, view.resumption]);
    if (view.useEphemeralTokens !== undefined) writes.push([SettingKeys.tokensEnabled, view.useEphemeralTokens]);
    if (view.responseModality !== undefined) writes.push([SettingKeys.responseModality, view.responseModality]);
    if (view.voiceProcessing !== undefined) writes.push([SettingKeys.audioVoiceProcessing, view.voiceProcessing]);
    // Nothing is written unless every number fits the schema's bounds (the panel host says so first, in words).
    for (const [key, value] of writes) {
      const error = key in NUMBER_SETTING_BOUNDS ? checkNumberSetting(key as NumberSettingKey, value) : undefined;
      if (error) throw new Error(error);
    }
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    for (const [key, value] of writes) {
      // Write only what changed: each write is a configuration change (and, for compression, a handoff).
      if (config.get(key) !== value) await this.set(key, value);
    }
  }

  private read(): ExtensionSettings {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    // A workspace may not steer where secrets go or what runs, even on a VS Code that ignores
    // the scopes in package.json; and editor tools stay off until the user trusts the workspace.
    const source: ConfigSource = {
      get: (key) => {
        const value = effectiveSetting(key as SettingKey, config.get(key), config.inspect(key));
        if (key === SettingKeys.toolsEnabled && value === true && !vscode.workspace.isTrusted) return false;
        return value;
      },
    };
    return readSettings(
      source,
      (message) => {
        if (this.warned.has(message)) return;
        this.warned.add(message);
        this.showWarning(message);
      },
      vscode.workspace.getConfiguration().get(EDITOR_SPEECH_LANGUAGE),
    );
  }
}
