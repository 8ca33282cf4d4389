/**
 * The emulator's own server-side profiles of the Live models: how the SERVICE
 * behaves for each model named in `setup`. Written from the docs, independently of
 * the client's table (src/core/models.ts): the emulator must not share the
 * client's mistakes, so nothing here is imported from src/core or src/live.
 *
 * Sources, as of 2026-11 (see /work/shared/LIVE-PROTOCOL.md, "The models as of 2026-11"):
 * - ai.google.dev model page `gemini-3.8-live` (GA 2026-09-15): AUDIO only, no
 *   thinkingConfig, proactiveAudio always on, no enableAffectiveDialog, NON_BLOCKING
 *   tools by default, clientContent the whole session, 131,072 input / 65,536 output tokens.
 * - Live API capabilities guide, extended thinking: thinkingLevel LOW/MEDIUM/HIGH
 *   ("MINIMAL not supported"), NON_BLOCKING tools only, `interactionStatus`.
 * - ai.google.dev model page `gemini-3.1-flash-live-preview` and livekit/agents PR 5251:
 *   clientContent only as initial history (`historyConfig.initialHistoryInClientContent`),
 *   user text as `realtimeInput.text`, thinkingLevel minimal..high.
 * - deprecations page: 2.5 native audio deprecated (still served); `gemini-live-2.5-flash-preview`
 *   and `gemini-2.0-flash-live-001` shut down 2025-12-09 (python-genai issue 362 for the 1008 reason).
 * - LIVE-PROTOCOL.md model table, row `gemini-3.5-transcribe-live(-preview)`,
 *   `gemini-3.5-live-translate-preview`: special-purpose, "speech to text only (captions,
 *   dictation) / live translation; not for conversation". That row says no more; the rest of
 *   those two profiles (TEXT only / AUDIO only, no tools, no thinking, no clientContent, limits)
 *   is this project's choice without a source, marked where it is made.
 */

import type { SetupRequest } from './clientMessage';
import { PREBUILT_VOICE_NAMES } from './prebuiltVoices';

export type Modality = 'AUDIO' | 'TEXT';
export type ToolBehavior = 'BLOCKING' | 'NON_BLOCKING';
export type ThinkingLevelName = 'MINIMAL' | 'LOW' | 'MEDIUM' | 'HIGH';

export type ThinkingRule =
  /** Any `generationConfig.thinkingConfig` is refused (1007). */
  | { kind: 'refused' }
  /** `thinkingLevel` from `levels`; `required`: a setup without one is refused; `thinkingBudget` is refused. */
  | { kind: 'level'; levels: readonly ThinkingLevelName[]; required: boolean }
  /** `thinkingBudget` (tokens); `thinkingLevel` is refused. */
  | { kind: 'budget' };

export type ModelPurpose = 'conversation' | 'transcription' | 'translation';

export interface ModelProfile {
  /** Without `models/`. */
  readonly id: string;
  /**
   * `transcription`: every user turn is answered with its transcript as model output;
   * `translation`: with "[translated] <transcript>". Neither plans replies or tool calls.
   */
  readonly purpose: ModelPurpose;
  readonly aliases: readonly string[];
  readonly displayName: string;
  readonly description: string;
  readonly version: string;
  readonly inputTokenLimit: number;
  readonly outputTokenLimit: number;
  /** Modalities a setup may ask for; the first is the default. */
  readonly responseModalities: readonly Modality[];
  readonly thinking: ThinkingRule;
  /** What a declaration without `behavior` does (meaningless when no behavior is allowed). */
  readonly defaultToolBehavior: ToolBehavior;
  /** Empty: the model takes no function declarations at all (any is refused with 1007). */
  readonly allowedToolBehaviors: readonly ToolBehavior[];
  /**
   * `anytime`: clientContent the whole session (roles required, `turnComplete: true`
   * interrupts a running generation). `initialHistoryOnly`: only right after setup
   * with `historyConfig.initialHistoryInClientContent: true`, before any realtime input.
   * `refused`: any clientContent is closed with 1007 (user text only as `realtimeInput.text`).
   */
  readonly clientContent: 'anytime' | 'initialHistoryOnly' | 'refused';
  /** clientContent turns must name their role (3.8 model page: "explicit roles"). */
  readonly requiresExplicitRoles: boolean;
  /** `generationConfig.enableAffectiveDialog` is refused. */
  readonly refusesAffectiveDialog: boolean;
  /** `proactivity.proactiveAudio: false` is refused (always on). */
  readonly refusesProactiveAudioOff: boolean;
  /** `interactionStatus` IN_PROGRESS/IDLE alongside every turnComplete, with background output between. */
  readonly backgroundReasoning: boolean;
  /** One server event may carry several parts (and audio with its transcription). */
  readonly severalPartsPerEvent: boolean;
  /** A standalone `usageMetadata` comes after setupComplete, before any turn (3.x). */
  readonly usageBeforeFirstTurn: boolean;
  /**
   * The `googleSearch` tool (grounding) is served. Live API tool-use guide: Search "Yes" for the
   * native-audio model; the 3.x conversation model pages list it too. Transcribe / translate:
   * no tools at all (our choice without a source, as for function calling).
   */
  readonly googleSearch: boolean;
}

const GEMINI_3_INPUT = 131_072;
const GEMINI_3_OUTPUT = 65_536;
const NATIVE_AUDIO_INPUT = 128_000;
const NATIVE_AUDIO_OUTPUT = 8_192;

export const MODEL_PROFILES: readonly ModelProfile[] = [
  {
    id: 'gemini-3.8-live',
    purpose: 'conversation',
    aliases: [],
    displayName: 'Gemini 3.8 Live',
    description: 'Gemini 3.8 Live: low-latency spoken conversation.',
    version: '3.8',
    inputTokenLimit: GEMINI_3_INPUT,
    outputTokenLimit: GEMINI_3_OUTPUT,
    responseModalities: ['AUDIO'],
    thinking: { kind: 'refused' },
    defaultToolBehavior: 'NON_BLOCKING',
    allowedToolBehaviors: ['BLOCKING', 'NON_BLOCKING'],
    clientContent: 'anytime',
    requiresExplicitRoles: true,
    refusesAffectiveDialog: true,
    refusesProactiveAudioOff: true,
    backgroundReasoning: false,
    severalPartsPerEvent: true,
    usageBeforeFirstTurn: true,
    googleSearch: true,
  },
  {
    id: 'gemini-3.8-live-extended-thinking',
    purpose: 'conversation',
    aliases: [],
    displayName: 'Gemini 3.8 Live (extended thinking)',
    description: 'Gemini 3.8 Live with background reasoning.',
    version: '3.8',
    inputTokenLimit: GEMINI_3_INPUT,
    outputTokenLimit: GEMINI_3_OUTPUT,
    responseModalities: ['AUDIO'],
    thinking: { kind: 'level', levels: ['LOW', 'MEDIUM', 'HIGH'], required: true },
    defaultToolBehavior: 'NON_BLOCKING',
    allowedToolBehaviors: ['NON_BLOCKING'],
    clientContent: 'anytime',
    requiresExplicitRoles: true,
    refusesAffectiveDialog: true,
    refusesProactiveAudioOff: true,
    backgroundReasoning: true,
    severalPartsPerEvent: true,
    usageBeforeFirstTurn: true,
    googleSearch: true,
  },
  {
    id: 'gemini-3.1-flash-live-preview',
    purpose: 'conversation',
    aliases: [],
    displayName: 'Gemini 3.1 Flash Live Preview',
    description: 'Legacy preview Live model (moving to Gemini 3.8 Live is recommended).',
    version: '3.1',
    inputTokenLimit: GEMINI_3_INPUT,
    outputTokenLimit: GEMINI_3_OUTPUT,
    responseModalities: ['AUDIO', 'TEXT'],
    thinking: { kind: 'level', levels: ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'], required: false },
    defaultToolBehavior: 'BLOCKING',
    allowedToolBehaviors: ['BLOCKING'],
    clientContent: 'initialHistoryOnly',
    requiresExplicitRoles: false,
    refusesAffectiveDialog: false,
    refusesProactiveAudioOff: false,
    backgroundReasoning: false,
    severalPartsPerEvent: true,
    usageBeforeFirstTurn: true,
    googleSearch: true,
  },
  {
    id: 'gemini-2.5-flash-native-audio-preview-12-2025',
    purpose: 'conversation',
    aliases: ['gemini-2.5-flash-native-audio-latest'],
    displayName: 'Gemini 2.5 Flash Native Audio Preview 12-2025',
    description: 'Deprecated native-audio Live model (shutdown announced).',
    version: '2.5',
    inputTokenLimit: NATIVE_AUDIO_INPUT,
    outputTokenLimit: NATIVE_AUDIO_OUTPUT,
    responseModalities: ['AUDIO'],
    thinking: { kind: 'budget' },
    defaultToolBehavior: 'BLOCKING',
    allowedToolBehaviors: ['BLOCKING', 'NON_BLOCKING'],
    clientContent: 'anytime',
    requiresExplicitRoles: false,
    refusesAffectiveDialog: false,
    refusesProactiveAudioOff: false,
    backgroundReasoning: false,
    severalPartsPerEvent: false,
    usageBeforeFirstTurn: false,
    googleSearch: true,
  },
  // LIVE-PROTOCOL.md row `gemini-3.5-transcribe-live(-preview)`: "speech to text only
  // (captions, dictation); not for conversation". Without a source (our choice, from "speech to
  // text only"): TEXT responses only, no tools, no thinkingConfig, no clientContent, the 3.x
  // limits and several parts per event, a usageMetadata before the first turn like the other 3.x.
  {
    id: 'gemini-3.5-transcribe-live',
    purpose: 'transcription',
    aliases: ['gemini-3.5-transcribe-live-preview'],
    displayName: 'Gemini 3.5 Transcribe Live',
    description: 'Speech to text only (captions, dictation); not for conversation.',
    version: '3.5',
    inputTokenLimit: GEMINI_3_INPUT,
    outputTokenLimit: GEMINI_3_OUTPUT,
    responseModalities: ['TEXT'],
    thinking: { kind: 'refused' },
    defaultToolBehavior: 'BLOCKING',
    allowedToolBehaviors: [],
    clientContent: 'refused',
    requiresExplicitRoles: false,
    refusesAffectiveDialog: true,
    refusesProactiveAudioOff: false,
    backgroundReasoning: false,
    severalPartsPerEvent: true,
    usageBeforeFirstTurn: true,
    googleSearch: false,
  },
  // LIVE-PROTOCOL.md same row, `gemini-3.5-live-translate-preview`: "live translation; not for
  // conversation". Without a source (our choice): AUDIO out with the translation as output
  // transcription, no tools, no thinkingConfig, no clientContent, the 3.x limits.
  {
    id: 'gemini-3.5-live-translate-preview',
    purpose: 'translation',
    aliases: [],
    displayName: 'Gemini 3.5 Live Translate Preview',
    description: 'Live speech translation; not for conversation.',
    version: '3.5',
    inputTokenLimit: GEMINI_3_INPUT,
    outputTokenLimit: GEMINI_3_OUTPUT,
    responseModalities: ['AUDIO'],
    thinking: { kind: 'refused' },
    defaultToolBehavior: 'BLOCKING',
    allowedToolBehaviors: [],
    clientContent: 'refused',
    requiresExplicitRoles: false,
    refusesAffectiveDialog: true,
    refusesProactiveAudioOff: false,
    backgroundReasoning: false,
    severalPartsPerEvent: true,
    usageBeforeFirstTurn: true,
    googleSearch: false,
  },
];

/** Shut down 2025-12-09 (deprecations page): the service answers them like unknown names. */
export const SHUT_DOWN_MODELS: readonly string[] = ['gemini-live-2.5-flash-preview', 'gemini-2.0-flash-live-001'];

/** `NAME` or `models/NAME` → `models/NAME`: the one place the emulator adds the prefix. */
export function withModelsPrefix(model: string): string {
  return model.startsWith('models/') ? model : `models/${model}`;
}

/** The profile serving `model` (with or without `models/`, by id or alias); undefined for shut-down and unknown names. */
export function findModelProfile(model: string): ModelProfile | undefined {
  const id = model.startsWith('models/') ? model.slice('models/'.length) : model;
  return MODEL_PROFILES.find((p) => p.id === id || p.aliases.includes(id));
}

/**
 * The service's close reason for a model it does not serve (python-genai issue 362),
 * with the API version of the request path.
 */
export function modelNotFoundReason(model: string, apiVersion: string): string {
  return `${withModelsPrefix(model)} is not found for API version ${apiVersion}, or is not supported for bidiGenerateContent. Call ListModels to see the list of available models and their supported methods.`;
}

/** One `Model` resource as ListModels returns it; aliases are listed as models of their own, as the service does for `-latest` names. */
export function listModelsBody(): { models: Array<Record<string, unknown>> } {
  const models: Array<Record<string, unknown>> = [];
  for (const p of MODEL_PROFILES) {
    for (const id of [p.id, ...p.aliases]) {
      models.push({
        name: withModelsPrefix(id),
        version: p.version,
        displayName: p.displayName,
        description: p.description,
        inputTokenLimit: p.inputTokenLimit,
        outputTokenLimit: p.outputTokenLimit,
        supportedGenerationMethods: ['bidiGenerateContent'],
        thinking: p.thinking.kind !== 'refused',
      });
    }
  }
  return { models };
}

const INVALID = 'Request contains an invalid argument.';

/**
 * The 1007 reason the service gives when `setup` asks `profile` for something it
 * refuses, or undefined when the setup is valid for it. Each rule names its source.
 */
export function checkSetupForModel(profile: ModelProfile, setup: SetupRequest): string | undefined {
  const asked = setup.responseModalities?.[0];
  if (asked !== undefined && !profile.responseModalities.includes(asked as Modality)) {
    // Model pages: 3.8 Live, its extended-thinking variant and the 2.5 native-audio models
    // answer in AUDIO only; the transcribe model in TEXT only (see its profile).
    // (Reasons stay short: a close frame holds 123 bytes.)
    return `${INVALID} Response modality ${asked.slice(0, 10)} is not supported: ${profile.responseModalities.join('/')} only.`;
  }
  // Tool-use guide: the tools a model serves; a setup asking for another is invalid.
  if (setup.googleSearch && !profile.googleSearch) return `${INVALID} Google Search is not supported by this model.`;
  const thinking = setup.thinkingConfig;
  switch (profile.thinking.kind) {
    case 'refused':
      // 3.8 Live model page: "no thinkingConfig".
      if (thinking) return `${INVALID} generationConfig.thinkingConfig is not supported by this model.`;
      break;
    case 'level': {
      const rule = profile.thinking;
      if (thinking?.thinkingBudget !== undefined) return `${INVALID} thinkingBudget is not supported by this model; use thinkingLevel.`;
      const level = thinking?.thinkingLevel;
      // Extended thinking: a level is part of adopting it (client reports; LIVE-PROTOCOL.md model table).
      if (level === undefined && rule.required) return `${INVALID} thinkingConfig.thinkingLevel (${rule.levels.join(', ')}) is required.`;
      // Protobuf JSON takes enum names; the docs' examples write them in lower case too.
      if (level !== undefined && !rule.levels.includes(level.toUpperCase() as ThinkingLevelName)) {
        return `${INVALID} thinkingLevel ${level.slice(0, 20)} is not supported (${rule.levels.join(', ')}).`;
      }
      break;
    }
    case 'budget':
      if (thinking?.thinkingLevel !== undefined) return `${INVALID} thinkingLevel is not supported by this model; use thinkingBudget.`;
      break;
  }
  // 3.8 Live model page: enableAffectiveDialog removed; proactive audio always on.
  if (profile.refusesAffectiveDialog && setup.affectiveDialog) return `${INVALID} generationConfig.enableAffectiveDialog is not supported by this model.`;
  if (profile.refusesProactiveAudioOff && setup.proactiveAudio === false) return `${INVALID} proactivity.proactiveAudio cannot be false on this model.`;
  if (profile.allowedToolBehaviors.length === 0 && setup.functionDeclarations.length > 0) {
    // Transcribe / translate (no source: our choice, "not for conversation"): no function calling.
    return `${INVALID} Function calling is not supported by this model.`;
  }
  if (setup.voiceName !== undefined && !PREBUILT_VOICE_NAMES.has(setup.voiceName)) {
    // configure-language-voice lists the 30 names voice_name takes; anything else is an invalid argument.
    return `${INVALID} Voice ${setup.voiceName.slice(0, 20)} is not supported.`;
  }
  for (const d of setup.functionDeclarations) {
    const behavior = d.behavior ?? profile.defaultToolBehavior;
    if (!profile.allowedToolBehaviors.includes(behavior)) {
      // Extended thinking: NON_BLOCKING only. 3.1 Flash Live: synchronous function calling only.
      return `${INVALID} Function ${d.name.slice(0, 20)}: behavior ${behavior} is not supported by this model.`;
    }
  }
  return undefined;
}
