/**
 * The Live API messages the session core speaks, as the official SDK types them.
 * `import type` only: the SDK adds no runtime weight (see README "Why not the SDK's
 * live.connect"). The parity test checks that frames built here equal the SDK's.
 */
import type {
  Content,
  FunctionResponse,
  LiveClientMessage,
  LiveClientSetup,
  LiveServerContent,
  LiveServerGoAway,
  LiveServerSessionResumptionUpdate,
  LiveServerToolCall,
  LiveServerToolCallCancellation,
  Part,
  UsageMetadata,
} from '@google/genai';
import { modelProfile, refuses, speaksOnly, type ModelRules, type ThinkingLevel } from './models';

export type { Content, FunctionResponse, LiveClientMessage as ClientMessage, LiveClientSetup as ClientSetup, Part, UsageMetadata };

/** A server frame after parsing: the data fields of the SDK's `LiveServerMessage`, nothing else. */
export interface ServerFrame {
  setupComplete?: Record<string, unknown>;
  serverContent?: LiveServerContent;
  toolCall?: LiveServerToolCall;
  toolCallCancellation?: LiveServerToolCallCancellation;
  usageMetadata?: UsageMetadata;
  goAway?: LiveServerGoAway;
  sessionResumptionUpdate?: LiveServerSessionResumptionUpdate;
}

export type ResponseModality = 'AUDIO' | 'TEXT';

export const INPUT_SAMPLE_RATE = 16_000;
export const OUTPUT_SAMPLE_RATE = 24_000;
export const INPUT_AUDIO_MIME = `audio/pcm;rate=${INPUT_SAMPLE_RATE}`;

/** Everything that goes into a `setup` frame apart from the resumption handle. */
export interface SetupOptions {
  /** With or without the `models/` prefix. */
  model: string;
  responseModality: ResponseModality;
  systemInstruction?: string;
  voiceName?: string;
  /** Function declarations, passed through as the SDK types them. */
  tools?: LiveClientSetup['tools'];
  /** Ask for input and output transcriptions (on by default for audio). */
  transcription?: boolean;
  /** Turn server-side activity detection off (push-to-talk). */
  manualActivity?: boolean;
  /**
   * `generationConfig.thinkingConfig.thinkingLevel`, sent only to models with thinking levels
   * (the table of models); a model that requires one gets its default when none is given.
   */
  thinkingLevel?: ThinkingLevel;
  /**
   * The spoken language (BCP-47, e.g. `de-DE`); undefined: the model chooses. Given to the
   * transcriptions as `languageCodes`, and to the replies the way the model takes it (the table
   * of models: `speechConfig.languageCode` or a line in the system instruction).
   */
  languageCode?: string;
  /** Server-side turn-taking; ignored with {@link manualActivity}, apart from `interruptions`. */
  turnTaking?: TurnTaking;
}

export type EndOfSpeechSensitivity = 'LOW' | 'HIGH';

/**
 * `realtimeInputConfig` for server-side activity detection. Unset fields are left to the
 * service's defaults.
 */
export interface TurnTaking {
  /** `automaticActivityDetection.endOfSpeechSensitivity`: LOW ends speech less often. */
  endOfSpeechSensitivity?: EndOfSpeechSensitivity;
  /** `automaticActivityDetection.silenceDurationMs`: silence before the user's turn is over. */
  silenceDurationMs?: number;
  /** `automaticActivityDetection.prefixPaddingMs`: speech needed before a start of speech counts. */
  prefixPaddingMs?: number;
  /** False: `activityHandling: NO_INTERRUPTION` (the user's speech does not cut the model off). */
  interruptions?: boolean;
}

/** What else goes into one particular setup frame. */
export interface SetupExtras {
  /**
   * Earlier turns follow right after `setupComplete` as initial history: models that take
   * history only that way need `historyConfig.initialHistoryInClientContent: true` in the setup.
   */
  seedsHistory?: boolean;
}

export function modelResourceName(model: string): string {
  return model.startsWith('models/') ? model : `models/${model}`;
}

/**
 * Builds the `setup` frame.
 *
 * @param resumption `undefined` when resumption is off; otherwise the handle to resume, or
 *   `undefined` handle for a new session. A new session sends `sessionResumption: {}`: an
 *   explicit null handle was rejected with 1008 on some models (livekit/agents PR 7254).
 * @param compression the wire form from {@link toWireCompression}, or undefined when off.
 */
export function buildSetup(
  options: SetupOptions,
  resumption: { handle?: string } | undefined,
  compression: LiveClientSetup['contextWindowCompression'] | undefined,
  extras: SetupExtras = {},
): LiveClientMessage {
  const profile = modelProfile(options.model);
  // A model that only speaks refuses TEXT (1007): ask for AUDIO and read its words from the
  // output transcription instead (CLI-CONTRACT.md, `--text`). A model that only writes (speech
  // to text) answers in TEXT whatever is asked. Never a modality the table says it refuses.
  const textThroughTranscription = options.responseModality === 'TEXT' && speaksOnly(profile);
  const modality = profile.responseModalities.includes(options.responseModality) ? options.responseModality : profile.responseModalities[0]!;
  const setup: LiveClientSetup = {
    model: modelResourceName(options.model),
    generationConfig: { responseModalities: [modality as never] },
  };
  // A voice only for models that speak (a speech-to-text model has no voice to choose).
  if (options.voiceName && profile.takesVoice) {
    setup.generationConfig!.speechConfig = { voiceConfig: { prebuiltVoiceConfig: { voiceName: options.voiceName } } };
  }
  if (options.languageCode && profile.replyLanguage === 'speechConfig') {
    setup.generationConfig!.speechConfig = { ...setup.generationConfig!.speechConfig, languageCode: options.languageCode };
  }
  const level = thinkingLevelFor(profile, options.thinkingLevel);
  if (level) setup.generationConfig!.thinkingConfig = { thinkingLevel: level as never };
  const instruction = [options.systemInstruction, options.languageCode && profile.replyLanguage === 'systemInstruction' ? languageInstruction(options.languageCode) : undefined]
    .filter((line): line is string => !!line)
    .join('\n\n');
  if (instruction) setup.systemInstruction = { parts: [{ text: instruction }], role: 'user' };
  // Models that take no tools (speech to text, translation) refuse any declaration (1007).
  if (options.tools && options.tools.length > 0 && !refuses(profile, 'tools')) setup.tools = options.tools;
  if (resumption) setup.sessionResumption = resumption.handle ? { handle: resumption.handle } : {};
  if (compression) setup.contextWindowCompression = compression;
  if (options.transcription ?? modality === 'AUDIO') {
    setup.inputAudioTranscription = {};
    setup.outputAudioTranscription = {};
  } else if (textThroughTranscription) {
    setup.outputAudioTranscription = {};
  }
  const realtimeInputConfig = buildRealtimeInputConfig(profile, options.manualActivity ?? false, options.turnTaking);
  if (realtimeInputConfig) setup.realtimeInputConfig = realtimeInputConfig;
  if (options.languageCode) {
    // Transcription configs take `languageCodes` on every current model (LIVE-PROTOCOL.md).
    if (setup.inputAudioTranscription) setup.inputAudioTranscription = { languageCodes: [options.languageCode] };
    if (setup.outputAudioTranscription) setup.outputAudioTranscription = { languageCodes: [options.languageCode] };
  }
  if (extras.seedsHistory && profile.historySeeding === 'initialHistory') {
    setup.historyConfig = { initialHistoryInClientContent: true };
  }
  return { setup };
}

/**
 * `realtimeInputConfig` for a model: push-to-talk turns detection off; otherwise the turn-taking
 * settings go to `automaticActivityDetection`. `activityHandling` only to models that answer
 * (the table's `takesActivityHandling`), and only when it differs from the service's default
 * (START_OF_ACTIVITY_INTERRUPTS). Undefined when there is nothing to send.
 */
export function buildRealtimeInputConfig(profile: ModelRules, manualActivity: boolean, turnTaking: TurnTaking | undefined): LiveClientSetup['realtimeInputConfig'] {
  const config: NonNullable<LiveClientSetup['realtimeInputConfig']> = {};
  if (manualActivity) {
    config.automaticActivityDetection = { disabled: true };
  } else if (turnTaking) {
    const detection: NonNullable<typeof config.automaticActivityDetection> = {};
    if (turnTaking.endOfSpeechSensitivity) detection.endOfSpeechSensitivity = `END_SENSITIVITY_${turnTaking.endOfSpeechSensitivity}` as never;
    if (turnTaking.silenceDurationMs !== undefined) detection.silenceDurationMs = Math.round(turnTaking.silenceDurationMs);
    if (turnTaking.prefixPaddingMs !== undefined) detection.prefixPaddingMs = Math.round(turnTaking.prefixPaddingMs);
    if (Object.keys(detection).length > 0) config.automaticActivityDetection = detection;
  }
  if (turnTaking?.interruptions === false && profile.takesActivityHandling) config.activityHandling = 'NO_INTERRUPTION' as never;
  return Object.keys(config).length > 0 ? config : undefined;
}

/**
 * The system-instruction line that holds a native audio model to a language
 * (configure-language-voice: "restrict the languages it speaks in by specifying it in the
 * system instructions"). Names the language in English as well as by its tag.
 */
export function languageInstruction(languageCode: string): string {
  let name = languageCode;
  try {
    name = new Intl.DisplayNames(['en'], { type: 'language' }).of(languageCode) ?? languageCode;
  } catch {
    // An odd tag the runtime cannot name: the tag alone is still clear to the model.
  }
  const label = name === languageCode ? languageCode : `${name} (${languageCode})`;
  return `The user speaks ${label}. Always answer in ${label}, unless the user asks for another language.`;
}

/**
 * The thinking level to send, or undefined to send none: only models with thinking levels take
 * one (`none` refuses any thinking config); a level the model does not list is replaced by its
 * default where one is required, else left out.
 */
export function thinkingLevelFor(profile: ModelRules, requested: ThinkingLevel | undefined): ThinkingLevel | undefined {
  const thinking = profile.thinking;
  if (thinking.kind !== 'level') return undefined;
  if (requested && thinking.levels.includes(requested)) return requested;
  return thinking.required ? thinking.defaultLevel : undefined;
}

/**
 * A user's typed turn in the form the model takes mid-session: `clientContent` (role user,
 * turnComplete) or `realtimeInput.text` (models that close any mid-session clientContent with 1007).
 */
export function buildUserTurn(profile: ModelRules, text: string): LiveClientMessage {
  return profile.userText === 'realtimeInputText' ? { realtimeInput: { text } } : buildClientContent([userText(text)], true);
}

export function buildClientContent(turns: Content[], turnComplete: boolean): LiveClientMessage {
  return { clientContent: { turns, turnComplete } };
}

export function userText(text: string): Content {
  return { role: 'user', parts: [{ text }] };
}

export function modelText(text: string): Content {
  return { role: 'model', parts: [{ text }] };
}

/** One chunk of microphone audio: 16 kHz PCM16 little-endian mono, base64. */
export function buildRealtimeAudio(base64Pcm: string): LiveClientMessage {
  return { realtimeInput: { audio: { data: base64Pcm, mimeType: INPUT_AUDIO_MIME } } };
}

export function buildAudioStreamEnd(): LiveClientMessage {
  return { realtimeInput: { audioStreamEnd: true } };
}

export function buildActivity(kind: 'start' | 'end'): LiveClientMessage {
  return { realtimeInput: kind === 'start' ? { activityStart: {} } : { activityEnd: {} } };
}

export function buildToolResponse(functionResponses: FunctionResponse[]): LiveClientMessage {
  return { toolResponse: { functionResponses } };
}
