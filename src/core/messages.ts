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
  /** The spoken language (BCP-47, e.g. `de-DE`): given to the transcriptions as `languageCodes`. */
  languageCode?: string;
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
  if (options.voiceName) {
    setup.generationConfig!.speechConfig = { voiceConfig: { prebuiltVoiceConfig: { voiceName: options.voiceName } } };
  }
  const level = thinkingLevelFor(profile, options.thinkingLevel);
  if (level) setup.generationConfig!.thinkingConfig = { thinkingLevel: level as never };
  if (options.systemInstruction) {
    setup.systemInstruction = { parts: [{ text: options.systemInstruction }], role: 'user' };
  }
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
  if (options.manualActivity) {
    setup.realtimeInputConfig = { automaticActivityDetection: { disabled: true } };
  }
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
