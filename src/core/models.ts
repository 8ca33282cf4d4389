/**
 * The one table of Live models. Everything that differs by model (the default, what the
 * setup may carry, how user text and history travel, when a turn is over, how tools
 * behave, the context window) reads this table; nothing else in the project looks at a
 * model's name.
 *
 * Sources (read 2026-11-30; see the issue note for what each row rests on):
 * - ai.google.dev model pages for `gemini-3.8-live` (stable, updated 2026-09) and
 *   `gemini-3.1-flash-live-preview` (legacy preview, "we recommend updating to Gemini 3.8 Live").
 * - ../shared/LIVE-PROTOCOL.md "The models as of 2026-11" (extended thinking, deprecations).
 * - livekit/agents PR 5251: 3.1 closes any mid-session `clientContent` with 1007; history only
 *   through `historyConfig.initialHistoryInClientContent`.
 * - python-genai issue 362: a shut-down or unknown model is closed with 1008 "… is not found …".
 * - docs.cloud.google.com/vertex-ai/generative-ai/docs/live-api/configure-language-voice (read
 *   2026-11-30): native audio models (every served conversation model here, 3.8 included) switch
 *   languages on their own and are held to one "by specifying it in the system instructions";
 *   `speechConfig.languageCode` is for the half-cascade (non-native-audio) models only, such as
 *   the shut-down gemini-live-2.5-flash; `voiceName` applies to every model that speaks.
 *   Transcription configs take `languageCodes` on every current model (LIVE-PROTOCOL.md).
 *
 * A name not in the table is allowed (the server decides) and gets {@link UNKNOWN_MODEL_RULES}:
 * the forms every current model accepts, and nothing a current model refuses.
 */

export type ModelStatusKind = 'ga' | 'preview' | 'legacy' | 'deprecated' | 'shutDown';

export interface ModelStatus {
  readonly kind: ModelStatusKind;
  /** ISO date: GA/preview release, deprecation notice or shutdown, as the kind says. */
  readonly date?: string;
  /** The model to move to, for legacy, deprecated and shut-down models. */
  readonly replacement?: string;
}

export type ModelPurpose = 'conversation' | 'transcription' | 'translation';

/** How a user's typed turn reaches the model mid-session. */
export type UserTextForm = 'clientContent' | 'realtimeInputText';

/**
 * How earlier turns are given to a fresh session (after a refused handle):
 * `clientContent` with `turnComplete: false` at any time, or only as initial history right after
 * `setupComplete` with `setup.historyConfig.initialHistoryInClientContent: true`, before any
 * realtime input. `none`: the model takes no clientContent at all (the special-purpose
 * transcribe/translate models, "not for conversation"): earlier turns are not given to it.
 */
export type HistorySeeding = 'clientContent' | 'initialHistory' | 'none';

export type ThinkingLevel = 'MINIMAL' | 'LOW' | 'MEDIUM' | 'HIGH';

export type ThinkingControl =
  /** The model takes no thinking config at all (sending one is refused). */
  | { readonly kind: 'none' }
  /** `generationConfig.thinkingConfig.thinkingLevel`; `required`: a setup without one is refused. */
  | { readonly kind: 'level'; readonly levels: readonly ThinkingLevel[]; readonly defaultLevel: ThinkingLevel; readonly required: boolean }
  /** `generationConfig.thinkingConfig.thinkingBudget` (tokens). */
  | { readonly kind: 'budget' };

export type ToolBehavior = 'BLOCKING' | 'NON_BLOCKING';

/** Setup fields (and values) a model refuses with 1007. */
export type RefusedSetupField =
  | 'generationConfig.thinkingConfig'
  | 'generationConfig.thinkingConfig.thinkingBudget'
  | 'generationConfig.enableAffectiveDialog'
  | 'proactivity'
  /** Any function declaration (speech-to-text and translation models take no tools). */
  | 'tools'
  | 'proactivity.proactiveAudio=false'
  | 'responseModalities=TEXT'
  | 'tools.functionDeclarations.behavior=BLOCKING'
  | 'tools.functionDeclarations.behavior=NON_BLOCKING';

export type ResponseModality = 'AUDIO' | 'TEXT';

/**
 * How the language the user chose reaches the model's replies (configure-language-voice):
 * `speechConfig` (`generationConfig.speechConfig.languageCode`, half-cascade models),
 * `systemInstruction` (a line in it; native audio models), `none` (the model does not answer:
 * the language goes only to the transcription's `languageCodes`).
 */
export type ReplyLanguageForm = 'speechConfig' | 'systemInstruction' | 'none';

export interface ModelRules {
  readonly purpose: ModelPurpose;
  /** Input token limit: the compression trigger must stay below it. */
  readonly contextWindowTokens: number;
  readonly outputTokenLimit: number;
  readonly responseModalities: readonly ResponseModality[];
  readonly userText: UserTextForm;
  readonly historySeeding: HistorySeeding;
  /**
   * The server sends `serverContent.interactionStatus` with `turnComplete`; a turn is over at
   * `IDLE`, not at `turnComplete` (output may follow an `IN_PROGRESS` turnComplete).
   */
  readonly reportsInteractionStatus: boolean;
  readonly thinking: ThinkingControl;
  /** What a function declaration without `behavior` does. */
  readonly defaultToolBehavior: ToolBehavior;
  /** The model takes `behavior: NON_BLOCKING` declarations and `scheduling` on responses. */
  readonly supportsNonBlockingTools: boolean;
  readonly refusedSetupFields: readonly RefusedSetupField[];
  /** One server event may carry several parts (audio and transcription together). */
  readonly severalPartsPerEvent: boolean;
  readonly supportsGoogleSearch: boolean;
  readonly replyLanguage: ReplyLanguageForm;
  /** Speaks with a prebuilt voice (`speechConfig.voiceConfig`); a model that only writes takes none. */
  readonly takesVoice: boolean;
  /**
   * `realtimeInputConfig.activityHandling` means something: the model answers, so the user's
   * speech can interrupt it (or not). Speech-to-text and translation models have no answer to
   * interrupt; they get activity detection only.
   */
  readonly takesActivityHandling: boolean;
}

export interface LiveModel extends ModelRules {
  /** The id without `models/`. */
  readonly id: string;
  readonly displayName: string;
  readonly status: ModelStatus;
  /** Other names the service accepts for the same model. */
  readonly aliases?: readonly string[];
  /** One line for pickers and the settings enum. */
  readonly description: string;
}

export const DEFAULT_MODEL = 'gemini-3.8-live';

const GEMINI_3_WINDOW = 131_072;
const GEMINI_3_OUTPUT = 65_536;

const SHUT_DOWN_RULES: ModelRules = {
  purpose: 'conversation',
  contextWindowTokens: 32_768,
  outputTokenLimit: 8_192,
  responseModalities: ['TEXT', 'AUDIO'],
  userText: 'clientContent',
  historySeeding: 'clientContent',
  reportsInteractionStatus: false,
  thinking: { kind: 'none' },
  defaultToolBehavior: 'BLOCKING',
  supportsNonBlockingTools: false,
  refusedSetupFields: [],
  severalPartsPerEvent: false,
  supportsGoogleSearch: true,
  // Half-cascade models (gemini-live-2.5-flash): configure-language-voice.
  replyLanguage: 'speechConfig',
  takesVoice: true,
  takesActivityHandling: true,
};

/** The Live models as of 2026-11, newest first. */
export const LIVE_MODELS: readonly LiveModel[] = [
  {
    id: 'gemini-3.8-live',
    displayName: 'Gemini 3.8 Live',
    status: { kind: 'ga', date: '2026-09-15' },
    description: 'The current Live model: low-latency voice, answers in audio (text through transcription), tools run in the background.',
    purpose: 'conversation',
    contextWindowTokens: GEMINI_3_WINDOW,
    outputTokenLimit: GEMINI_3_OUTPUT,
    responseModalities: ['AUDIO'],
    userText: 'clientContent',
    historySeeding: 'clientContent',
    reportsInteractionStatus: false,
    thinking: { kind: 'none' },
    defaultToolBehavior: 'NON_BLOCKING',
    supportsNonBlockingTools: true,
    refusedSetupFields: ['generationConfig.thinkingConfig', 'generationConfig.enableAffectiveDialog', 'proactivity.proactiveAudio=false', 'responseModalities=TEXT'],
    severalPartsPerEvent: true,
    supportsGoogleSearch: true,
    replyLanguage: 'systemInstruction',
    takesVoice: true,
    takesActivityHandling: true,
  },
  {
    id: 'gemini-3.8-live-extended-thinking',
    displayName: 'Gemini 3.8 Live (extended thinking)',
    status: { kind: 'ga', date: '2026-09-15' },
    description: 'Gemini 3.8 Live with background reasoning: may keep talking after a turn until it is idle. Slower, deeper answers.',
    purpose: 'conversation',
    contextWindowTokens: GEMINI_3_WINDOW,
    outputTokenLimit: GEMINI_3_OUTPUT,
    responseModalities: ['AUDIO'],
    userText: 'clientContent',
    historySeeding: 'clientContent',
    reportsInteractionStatus: true,
    thinking: { kind: 'level', levels: ['LOW', 'MEDIUM', 'HIGH'], defaultLevel: 'LOW', required: true },
    defaultToolBehavior: 'NON_BLOCKING',
    supportsNonBlockingTools: true,
    refusedSetupFields: [
      'generationConfig.thinkingConfig.thinkingBudget',
      'generationConfig.enableAffectiveDialog',
      'proactivity.proactiveAudio=false',
      'responseModalities=TEXT',
      'tools.functionDeclarations.behavior=BLOCKING',
    ],
    severalPartsPerEvent: true,
    supportsGoogleSearch: true,
    replyLanguage: 'systemInstruction',
    takesVoice: true,
    takesActivityHandling: true,
  },
  {
    id: 'gemini-3.1-flash-live-preview',
    displayName: 'Gemini 3.1 Flash Live (legacy preview)',
    status: { kind: 'legacy', date: '2026-03-26', replacement: 'gemini-3.8-live' },
    description: 'Legacy preview. Typed text goes as realtime input; history only at the start of a session. Move to Gemini 3.8 Live.',
    purpose: 'conversation',
    contextWindowTokens: GEMINI_3_WINDOW,
    outputTokenLimit: GEMINI_3_OUTPUT,
    responseModalities: ['AUDIO', 'TEXT'],
    userText: 'realtimeInputText',
    historySeeding: 'initialHistory',
    reportsInteractionStatus: false,
    thinking: { kind: 'level', levels: ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'], defaultLevel: 'MINIMAL', required: false },
    defaultToolBehavior: 'BLOCKING',
    supportsNonBlockingTools: false,
    refusedSetupFields: ['generationConfig.thinkingConfig.thinkingBudget', 'generationConfig.enableAffectiveDialog', 'proactivity', 'tools.functionDeclarations.behavior=NON_BLOCKING'],
    severalPartsPerEvent: true,
    supportsGoogleSearch: true,
    replyLanguage: 'systemInstruction',
    takesVoice: true,
    takesActivityHandling: true,
  },
  {
    id: 'gemini-2.5-flash-native-audio-preview-12-2025',
    aliases: ['gemini-2.5-flash-native-audio-latest'],
    displayName: 'Gemini 2.5 Flash Native Audio (deprecated)',
    status: { kind: 'deprecated', replacement: 'gemini-3.8-live' },
    description: 'Deprecated; its shutdown is announced. Answers in audio only. Move to Gemini 3.8 Live.',
    purpose: 'conversation',
    contextWindowTokens: 128_000,
    outputTokenLimit: 8_192,
    responseModalities: ['AUDIO'],
    userText: 'clientContent',
    historySeeding: 'clientContent',
    reportsInteractionStatus: false,
    thinking: { kind: 'budget' },
    defaultToolBehavior: 'BLOCKING',
    supportsNonBlockingTools: true,
    refusedSetupFields: ['responseModalities=TEXT'],
    severalPartsPerEvent: false,
    supportsGoogleSearch: true,
    replyLanguage: 'systemInstruction',
    takesVoice: true,
    takesActivityHandling: true,
  },
  {
    id: 'gemini-3.5-transcribe-live',
    aliases: ['gemini-3.5-transcribe-live-preview'],
    displayName: 'Gemini 3.5 Transcribe Live',
    status: { kind: 'ga' },
    description: 'Speech to text only (captions, dictation); not for conversation.',
    purpose: 'transcription',
    contextWindowTokens: GEMINI_3_WINDOW,
    outputTokenLimit: GEMINI_3_OUTPUT,
    responseModalities: ['TEXT'],
    userText: 'realtimeInputText',
    // LIVE-PROTOCOL.md: speech to text only, not for conversation; the service closes any
    // clientContent, initial history included, with 1007 (emulator profile; test/unit/modelTables.test.ts).
    historySeeding: 'none',
    reportsInteractionStatus: false,
    thinking: { kind: 'none' },
    defaultToolBehavior: 'BLOCKING',
    supportsNonBlockingTools: false,
    refusedSetupFields: ['generationConfig.thinkingConfig', 'generationConfig.enableAffectiveDialog', 'proactivity', 'tools'],
    severalPartsPerEvent: true,
    supportsGoogleSearch: false,
    replyLanguage: 'none',
    takesVoice: false,
    takesActivityHandling: false,
  },
  {
    id: 'gemini-3.5-live-translate-preview',
    displayName: 'Gemini 3.5 Live Translate (preview)',
    status: { kind: 'preview' },
    description: 'Live speech translation; not for conversation.',
    purpose: 'translation',
    contextWindowTokens: GEMINI_3_WINDOW,
    outputTokenLimit: GEMINI_3_OUTPUT,
    responseModalities: ['AUDIO'],
    userText: 'realtimeInputText',
    // Live translation, not for conversation: no clientContent at all, as for transcribe.
    historySeeding: 'none',
    reportsInteractionStatus: false,
    thinking: { kind: 'none' },
    defaultToolBehavior: 'BLOCKING',
    supportsNonBlockingTools: false,
    refusedSetupFields: ['generationConfig.thinkingConfig', 'generationConfig.enableAffectiveDialog', 'proactivity', 'responseModalities=TEXT', 'tools'],
    severalPartsPerEvent: true,
    supportsGoogleSearch: false,
    // It speaks the translation (a voice applies); its target language is its own business.
    replyLanguage: 'none',
    takesVoice: true,
    takesActivityHandling: false,
  },
  {
    id: 'gemini-live-2.5-flash-preview',
    displayName: 'Gemini Live 2.5 Flash (shut down)',
    status: { kind: 'shutDown', date: '2025-12-09', replacement: 'gemini-3.8-live' },
    description: 'Shut down on 2025-12-09; the service refuses it. Use Gemini 3.8 Live.',
    ...SHUT_DOWN_RULES,
  },
  {
    id: 'gemini-2.0-flash-live-001',
    displayName: 'Gemini 2.0 Flash Live (shut down)',
    status: { kind: 'shutDown', date: '2025-12-09', replacement: 'gemini-3.8-live' },
    description: 'Shut down on 2025-12-09; the service refuses it. Use Gemini 3.8 Live.',
    ...SHUT_DOWN_RULES,
  },
];

/**
 * Rules for a model the table does not know: forms every current model accepts
 * (`realtimeInput.text`, initial history, AUDIO with output transcription, no thinking config,
 * BLOCKING tools) so an unknown name fails only where the server says so.
 */
export const UNKNOWN_MODEL_RULES: ModelRules = {
  purpose: 'conversation',
  contextWindowTokens: GEMINI_3_WINDOW,
  outputTokenLimit: 8_192,
  responseModalities: ['AUDIO'],
  userText: 'realtimeInputText',
  historySeeding: 'initialHistory',
  reportsInteractionStatus: false,
  thinking: { kind: 'none' },
  defaultToolBehavior: 'BLOCKING',
  supportsNonBlockingTools: false,
  refusedSetupFields: [],
  severalPartsPerEvent: true,
  supportsGoogleSearch: false,
  // A line in the system instruction is honoured by every model that reads one.
  replyLanguage: 'systemInstruction',
  takesVoice: true,
  takesActivityHandling: true,
};

/** A model's rules and whether the table knows it. */
export type ModelProfile = ModelRules & {
  readonly id: string;
  readonly known: boolean;
  readonly displayName: string;
  readonly status?: ModelStatus;
  readonly description?: string;
};

/** `models/x` → `x`; surrounding white space dropped. */
export function bareModelId(name: string): string {
  const trimmed = name.trim();
  return trimmed.startsWith('models/') ? trimmed.slice('models/'.length) : trimmed;
}

/** The table's entry for a name or alias (with or without `models/`), or undefined. */
export function findLiveModel(name: string): LiveModel | undefined {
  const id = bareModelId(name);
  return LIVE_MODELS.find((m) => m.id === id || (m.aliases ?? []).includes(id));
}

/** The rules to use for `name`: the table's, or the cautious defaults for an unknown name. */
export function modelProfile(name: string): ModelProfile {
  const known = findLiveModel(name);
  if (known) return { ...known, known: true };
  const id = bareModelId(name);
  return { ...UNKNOWN_MODEL_RULES, id, known: false, displayName: id };
}

/** A model the service no longer serves, with its replacement; undefined for anything else. */
export function shutDownModel(name: string): (LiveModel & { status: ModelStatus & { kind: 'shutDown' } }) | undefined {
  const model = findLiveModel(name);
  return model && model.status.kind === 'shutDown' ? (model as LiveModel & { status: ModelStatus & { kind: 'shutDown' } }) : undefined;
}

/** The served speech-to-text model (dictation uses it): the table's first `transcription` model that is not shut down. */
export function transcriptionModel(): LiveModel {
  const model = LIVE_MODELS.find((m) => m.purpose === 'transcription' && m.status.kind !== 'shutDown');
  if (!model) throw new Error('the table of models has no speech-to-text model');
  return model;
}

/** True when the model answers only in audio, so "text replies" means output transcription. */
export function speaksOnly(profile: ModelRules): boolean {
  return !profile.responseModalities.includes('TEXT');
}

/** Whether a setup carrying `field` would be refused by the model. */
export function refuses(profile: ModelRules, field: RefusedSetupField): boolean {
  return profile.refusedSetupFields.includes(field);
}
