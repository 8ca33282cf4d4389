import { declarationProblem, MAX_FUNCTION_DECLARATIONS } from './declarationSchema';
import { parseInt64 } from './protoDuration';
import { declaresGoogleSearch } from './searchGrounding';

/**
 * Parses client→server frames from raw JSON into a typed message, or a close
 * decision naming the bad field. Validation happens here, where input enters;
 * the connection never sees an unchecked frame.
 */

export type ResponseModality = 'TEXT' | 'AUDIO';

/** Context window compression as given in setup (int64s already parsed). */
export interface CompressionSetup {
  triggerTokens?: number;
  targetTokens?: number;
}

/** A function declaration as the setup gives it (names already validated). */
export interface FunctionDeclarationSetup {
  name: string;
  /** As declared; undefined means the model's default. */
  behavior: 'BLOCKING' | 'NON_BLOCKING' | undefined;
}

/** `generationConfig.thinkingConfig` as given. */
export interface ThinkingConfigSetup {
  thinkingLevel: string | undefined;
  thinkingBudget: number | undefined;
}

/** The parts of `setup` the emulator acts on, plus the raw object for token constraint checks. */
export interface SetupRequest {
  model: string;
  /** As given under `generationConfig.responseModalities`, or undefined. */
  responseModalities: string[] | undefined;
  /** The effective modality: AUDIO unless TEXT was asked for. */
  responseModality: ResponseModality;
  systemInstructionText: string;
  /** Present when setup had `sessionResumption`; `handle` set when resuming. */
  sessionResumption: { handle?: string } | undefined;
  compression: CompressionSetup | undefined;
  inputTranscription: boolean;
  outputTranscription: boolean;
  /** False when `realtimeInputConfig.automaticActivityDetection.disabled` is true. */
  automaticActivityDetection: boolean;
  /** `automaticActivityDetection`'s tuning, as given (validated enums, non-negative int32s). */
  activityDetection: ActivityDetectionSetup;
  /** False with `realtimeInputConfig.activityHandling: NO_INTERRUPTION`: the user's speech does not cut the model off. */
  speechInterrupts: boolean;
  /** `generationConfig.speechConfig.voiceConfig.prebuiltVoiceConfig.voiceName`, as given (checked against the voices on setup). */
  voiceName: string | undefined;
  /** `generationConfig.speechConfig.languageCode`, as given. */
  speechLanguageCode: string | undefined;
  /** Present when `generationConfig.thinkingConfig` was given. */
  thinkingConfig: ThinkingConfigSetup | undefined;
  /** `generationConfig.enableAffectiveDialog` was given (any value). */
  affectiveDialog: boolean;
  /** `proactivity.proactiveAudio` as given. */
  proactiveAudio: boolean | undefined;
  /** `historyConfig.initialHistoryInClientContent: true`. */
  initialHistoryInClientContent: boolean;
  functionDeclarations: FunctionDeclarationSetup[];
  /** `tools` holds `{ googleSearch: {} }` (grounding with Google Search). */
  googleSearch: boolean;
  raw: Record<string, unknown>;
}

export interface ActivityDetectionSetup {
  startOfSpeechSensitivity?: string;
  endOfSpeechSensitivity?: string;
  prefixPaddingMs?: number;
  silenceDurationMs?: number;
}

/** The enum values the service's proto defines (js-genai types: StartSensitivity, EndSensitivity, ActivityHandling). */
const START_SENSITIVITIES = ['START_SENSITIVITY_UNSPECIFIED', 'START_SENSITIVITY_HIGH', 'START_SENSITIVITY_LOW'];
const END_SENSITIVITIES = ['END_SENSITIVITY_UNSPECIFIED', 'END_SENSITIVITY_HIGH', 'END_SENSITIVITY_LOW'];
const ACTIVITY_HANDLINGS = ['ACTIVITY_HANDLING_UNSPECIFIED', 'START_OF_ACTIVITY_INTERRUPTS', 'NO_INTERRUPTION'];
const INT32_MAX = 2_147_483_647;

export interface ContentTurn {
  role: string;
  text: string;
}

export interface AudioChunk {
  data: string;
  mimeType: string | undefined;
}

export interface RealtimeInput {
  audio: AudioChunk[];
  /** The deprecated `mediaChunks` field was used (refused by every current model). */
  mediaChunks: boolean;
  text: string | undefined;
  activityStart: boolean;
  activityEnd: boolean;
  audioStreamEnd: boolean;
  video: boolean;
}

export type FunctionResponseScheduling = 'SILENT' | 'WHEN_IDLE' | 'INTERRUPT';

export interface FunctionResponse {
  id: string;
  name: string;
  response: unknown;
  /** As given; undefined when absent or SCHEDULING_UNSPECIFIED. */
  scheduling: FunctionResponseScheduling | undefined;
  /** More responses to the same call follow; this one is not final. */
  willContinue: boolean;
}

export type ClientMessage =
  | { kind: 'setup'; setup: SetupRequest }
  | { kind: 'clientContent'; turns: ContentTurn[]; turnComplete: boolean }
  | { kind: 'realtimeInput'; input: RealtimeInput }
  | { kind: 'toolResponse'; responses: FunctionResponse[] };

/** A frame the server refuses: the connection closes with `code` and `reason`. */
export interface ProtocolViolation {
  kind: 'violation';
  code: 1007 | 1008;
  reason: string;
}

const INVALID = 'Request contains an invalid argument.';
const KNOWN_TOP_LEVEL = ['setup', 'clientContent', 'realtimeInput', 'toolResponse'] as const;

function violation(reason: string, code: 1007 | 1008 = 1007): ProtocolViolation {
  return { kind: 'violation', code, reason };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Decodes a frame (text, or binary holding UTF-8 JSON) and parses it. */
export function parseClientFrame(data: string | Buffer): ClientMessage | ProtocolViolation {
  const text = typeof data === 'string' ? data : data.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return violation('Invalid JSON payload received. Unexpected token.');
  }
  return parseClientMessage(normalizeFieldNames(json));
}

/**
 * Fields whose values are user data (protobuf `Struct` / JSON Schema), not message
 * fields: their keys are the user's own names and are kept as sent.
 */
const OPAQUE_FIELDS = new Set(['args', 'response', 'parameters', 'parametersJsonSchema', 'responseJsonSchema', 'responseSchema', 'properties', 'default', 'example']);

/**
 * Protobuf JSON accepts a field's proto name (`client_content`) and its JSON name
 * (`clientContent`) alike, and the service does (python clients send snake_case).
 * Turned into camelCase once, at the parse boundary, so nothing after it sees both.
 * Values of {@link OPAQUE_FIELDS} are left alone.
 */
export function normalizeFieldNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeFieldNames);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const camel = key.includes('_') ? key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()) : key;
    // `x` and `x_y` naming the same field: the first one wins, as a proto parser keeps one value.
    if (camel in out) continue;
    out[camel] = OPAQUE_FIELDS.has(camel) ? v : normalizeFieldNames(v);
  }
  return out;
}

export function parseClientMessage(json: unknown): ClientMessage | ProtocolViolation {
  if (!isObject(json)) return violation('Invalid JSON payload received. Expected an object.');
  const keys = Object.keys(json);
  for (const key of keys) {
    if (!(KNOWN_TOP_LEVEL as readonly string[]).includes(key)) {
      return violation(`Invalid JSON payload received. Unknown name "${key.slice(0, 40)}": Cannot find field.`);
    }
  }
  if (keys.length !== 1) return violation(keys.length === 0 ? 'Invalid JSON payload received. Empty message.' : `${INVALID} Exactly one message type per frame.`);
  const key = keys[0] as (typeof KNOWN_TOP_LEVEL)[number];
  const body = json[key];
  switch (key) {
    case 'setup':
      return parseSetup(body);
    case 'clientContent':
      return parseClientContent(body);
    case 'realtimeInput':
      return parseRealtimeInput(body);
    case 'toolResponse':
      return parseToolResponse(body);
    default: {
      const never: never = key;
      return violation(`unknown message ${String(never)}`);
    }
  }
}

function partsText(parts: unknown): string | ProtocolViolation {
  if (parts === undefined) return '';
  if (!Array.isArray(parts)) return violation(`${INVALID} parts must be a list.`);
  const texts: string[] = [];
  for (const part of parts) {
    if (!isObject(part)) return violation(`${INVALID} part must be an object.`);
    if (part['text'] !== undefined) {
      if (typeof part['text'] !== 'string') return violation(`${INVALID} part.text must be a string.`);
      texts.push(part['text']);
    }
  }
  return texts.join('');
}

function parseSetup(body: unknown): { kind: 'setup'; setup: SetupRequest } | ProtocolViolation {
  if (!isObject(body)) return violation(`${INVALID} setup must be an object.`);
  const model = body['model'];
  if (typeof model !== 'string' || !model.startsWith('models/') || model.length <= 'models/'.length) {
    return violation(`${INVALID} setup.model must be "models/<name>".`);
  }

  let responseModalities: string[] | undefined;
  const generationConfig = body['generationConfig'];
  if (generationConfig !== undefined) {
    if (!isObject(generationConfig)) return violation(`${INVALID} setup.generationConfig must be an object.`);
    const rm = generationConfig['responseModalities'];
    if (rm !== undefined) {
      if (!Array.isArray(rm) || !rm.every((m) => typeof m === 'string')) {
        return violation(`${INVALID} generationConfig.responseModalities must be a list of strings.`);
      }
      if (rm.length > 1) return violation(`${INVALID} generationConfig.responseModalities: only one modality is supported.`);
      if (rm.length === 1 && rm[0] !== 'TEXT' && rm[0] !== 'AUDIO') {
        return violation(`${INVALID} generationConfig.responseModalities: unsupported modality.`);
      }
      responseModalities = rm as string[];
    }
  }
  let thinkingConfig: ThinkingConfigSetup | undefined;
  let affectiveDialog = false;
  if (isObject(generationConfig)) {
    const tc = generationConfig['thinkingConfig'];
    if (tc !== undefined) {
      if (!isObject(tc)) return violation(`${INVALID} generationConfig.thinkingConfig must be an object.`);
      const level = tc['thinkingLevel'];
      if (level !== undefined && typeof level !== 'string') return violation(`${INVALID} thinkingConfig.thinkingLevel must be an enum name.`);
      let budget: number | undefined;
      if (tc['thinkingBudget'] !== undefined) {
        const raw = tc['thinkingBudget'];
        budget = typeof raw === 'number' && Number.isInteger(raw) ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : undefined;
        if (budget === undefined) return violation(`${INVALID} thinkingConfig.thinkingBudget must be an integer.`);
      }
      thinkingConfig = { thinkingLevel: level, thinkingBudget: budget };
    }
    affectiveDialog = generationConfig['enableAffectiveDialog'] !== undefined;
  }

  let proactiveAudio: boolean | undefined;
  const proactivity = body['proactivity'];
  if (proactivity !== undefined) {
    if (!isObject(proactivity)) return violation(`${INVALID} setup.proactivity must be an object.`);
    const pa = proactivity['proactiveAudio'];
    if (pa !== undefined && typeof pa !== 'boolean') return violation(`${INVALID} proactivity.proactiveAudio must be a boolean.`);
    proactiveAudio = pa;
  }

  let initialHistoryInClientContent = false;
  const hc = body['historyConfig'];
  if (hc !== undefined) {
    if (!isObject(hc)) return violation(`${INVALID} setup.historyConfig must be an object.`);
    initialHistoryInClientContent = hc['initialHistoryInClientContent'] === true;
  }

  const functionDeclarations = parseTools(body['tools']);
  if (!Array.isArray(functionDeclarations)) return functionDeclarations;
  const responseModality: ResponseModality = responseModalities?.[0] === 'TEXT' ? 'TEXT' : 'AUDIO';

  let systemInstructionText = '';
  const si = body['systemInstruction'];
  if (typeof si === 'string') {
    systemInstructionText = si;
  } else if (isObject(si)) {
    const text = partsText(si['parts']);
    if (typeof text !== 'string') return text;
    systemInstructionText = text;
  } else if (si !== undefined) {
    return violation(`${INVALID} setup.systemInstruction must be a Content.`);
  }

  let sessionResumption: { handle?: string } | undefined;
  const sr = body['sessionResumption'];
  if (sr !== undefined) {
    if (!isObject(sr)) return violation(`${INVALID} setup.sessionResumption must be an object.`);
    const handle = sr['handle'];
    // Field report (livekit/agents PR 7254): an explicit null handle was refused with 1008.
    if (handle === null) return violation('setup.sessionResumption.handle must not be null; send {} for a new session.', 1008);
    if (handle !== undefined && typeof handle !== 'string') return violation(`${INVALID} sessionResumption.handle must be a string.`);
    if (sr['transparent'] === true) return violation(`${INVALID} sessionResumption.transparent is not supported by the Gemini Developer API.`);
    sessionResumption = handle ? { handle } : {};
  }

  let compression: CompressionSetup | undefined;
  const cwc = body['contextWindowCompression'];
  if (cwc !== undefined) {
    if (!isObject(cwc)) return violation(`${INVALID} setup.contextWindowCompression must be an object.`);
    compression = {};
    if (cwc['triggerTokens'] !== undefined) {
      const n = parseInt64(cwc['triggerTokens']);
      if (n === undefined || n <= 0) return violation(`${INVALID} contextWindowCompression.triggerTokens must be a positive int64.`);
      compression.triggerTokens = n;
    }
    const sw = cwc['slidingWindow'];
    if (sw !== undefined) {
      if (!isObject(sw)) return violation(`${INVALID} contextWindowCompression.slidingWindow must be an object.`);
      if (sw['targetTokens'] !== undefined) {
        const n = parseInt64(sw['targetTokens']);
        if (n === undefined) return violation(`${INVALID} slidingWindow.targetTokens must be a non-negative int64.`);
        compression.targetTokens = n;
      }
    }
    if (compression.triggerTokens !== undefined && compression.targetTokens !== undefined && compression.targetTokens >= compression.triggerTokens) {
      return violation(`${INVALID} slidingWindow.targetTokens must be less than triggerTokens.`);
    }
  }

  let automaticActivityDetection = true;
  const activityDetection: ActivityDetectionSetup = {};
  let speechInterrupts = true;
  const ric = body['realtimeInputConfig'];
  if (ric !== undefined) {
    if (!isObject(ric)) return violation(`${INVALID} setup.realtimeInputConfig must be an object.`);
    const aad = ric['automaticActivityDetection'];
    if (aad !== undefined) {
      if (!isObject(aad)) return violation(`${INVALID} realtimeInputConfig.automaticActivityDetection must be an object.`);
      if (aad['disabled'] === true) automaticActivityDetection = false;
      for (const [field, values] of [
        ['startOfSpeechSensitivity', START_SENSITIVITIES],
        ['endOfSpeechSensitivity', END_SENSITIVITIES],
      ] as const) {
        const value = aad[field];
        if (value === undefined) continue;
        if (typeof value !== 'string' || !values.includes(value)) return violation(`${INVALID} Invalid value at 'setup.realtime_input_config.automatic_activity_detection.${snake(field)}' (${JSON.stringify(value)}).`);
        activityDetection[field] = value;
      }
      for (const field of ['prefixPaddingMs', 'silenceDurationMs'] as const) {
        const value = aad[field];
        if (value === undefined) continue;
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > INT32_MAX) {
          return violation(`${INVALID} Invalid value at 'setup.realtime_input_config.automatic_activity_detection.${snake(field)}' (${JSON.stringify(value)}).`);
        }
        activityDetection[field] = value;
      }
    }
    const handling = ric['activityHandling'];
    if (handling !== undefined) {
      if (typeof handling !== 'string' || !ACTIVITY_HANDLINGS.includes(handling)) return violation(`${INVALID} Invalid value at 'setup.realtime_input_config.activity_handling' (${JSON.stringify(handling)}).`);
      speechInterrupts = handling !== 'NO_INTERRUPTION';
    }
  }

  let voiceName: string | undefined;
  let speechLanguageCode: string | undefined;
  const speechConfig = isObject(generationConfig) ? generationConfig['speechConfig'] : undefined;
  if (speechConfig !== undefined) {
    if (!isObject(speechConfig)) return violation(`${INVALID} generationConfig.speechConfig must be an object.`);
    const name = isObject(speechConfig['voiceConfig']) && isObject(speechConfig['voiceConfig']['prebuiltVoiceConfig']) ? speechConfig['voiceConfig']['prebuiltVoiceConfig']['voiceName'] : undefined;
    if (name !== undefined && typeof name !== 'string') return violation(`${INVALID} prebuiltVoiceConfig.voiceName must be a string.`);
    voiceName = name;
    const lang = speechConfig['languageCode'];
    if (lang !== undefined && typeof lang !== 'string') return violation(`${INVALID} speechConfig.languageCode must be a string.`);
    speechLanguageCode = lang;
  }

  return {
    kind: 'setup',
    setup: {
      model,
      responseModalities,
      responseModality,
      systemInstructionText,
      sessionResumption,
      compression,
      inputTranscription: body['inputAudioTranscription'] !== undefined,
      outputTranscription: body['outputAudioTranscription'] !== undefined,
      automaticActivityDetection,
      activityDetection,
      speechInterrupts,
      voiceName,
      speechLanguageCode,
      thinkingConfig,
      affectiveDialog,
      proactiveAudio,
      initialHistoryInClientContent,
      functionDeclarations,
      googleSearch: declaresGoogleSearch(body['tools']),
      raw: body,
    },
  };
}

/** `silenceDurationMs` → `silence_duration_ms`, the way the service names fields in its errors. */
function snake(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** generativelanguage v1beta `FunctionDeclaration.name`: letters, digits, `_ . : -`, at most 64 characters. */
const FUNCTION_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

function parseTools(tools: unknown): FunctionDeclarationSetup[] | ProtocolViolation {
  if (tools === undefined) return [];
  if (!Array.isArray(tools)) return violation(`${INVALID} setup.tools must be a list.`);
  const out: FunctionDeclarationSetup[] = [];
  for (const [t, tool] of tools.entries()) {
    if (!isObject(tool)) return violation(`${INVALID} setup.tools[] must be a Tool.`);
    const decls = tool['functionDeclarations'];
    if (decls === undefined) continue; // googleSearch, codeExecution, …: accepted, never called by the emulator.
    if (!Array.isArray(decls)) return violation(`${INVALID} tools[].functionDeclarations must be a list.`);
    for (const [i, d] of decls.entries()) {
      if (!isObject(d)) return violation(`${INVALID} functionDeclarations[] must be a FunctionDeclaration.`);
      const name = d['name'];
      if (typeof name !== 'string' || !FUNCTION_NAME.test(name)) {
        return violation(`${INVALID} Invalid function name: a-z, A-Z, 0-9, underscores, dots, colons and dashes, at most 64.`);
      }
      // Proto JSON: a field the Schema message lacks, or a type outside its enum, is refused (declarationSchema.ts).
      const problem = declarationProblem(d, `setup.tools[${t}].function_declarations[${i}]`);
      if (problem) return violation(`Invalid JSON payload received. ${problem}`);
      const behavior = d['behavior'];
      if (behavior !== undefined && behavior !== 'BLOCKING' && behavior !== 'NON_BLOCKING' && behavior !== 'UNSPECIFIED') {
        return violation(`${INVALID} functionDeclarations[].behavior: unknown enum value.`);
      }
      out.push({ name, behavior: behavior === 'BLOCKING' || behavior === 'NON_BLOCKING' ? behavior : undefined });
    }
  }
  if (out.length > MAX_FUNCTION_DECLARATIONS) return violation(`${INVALID} At most ${MAX_FUNCTION_DECLARATIONS} function declarations can be provided; got ${out.length}.`);
  return out;
}

function parseClientContent(body: unknown): ClientMessage | ProtocolViolation {
  if (!isObject(body)) return violation(`${INVALID} clientContent must be an object.`);
  const turns: ContentTurn[] = [];
  const rawTurns = body['turns'];
  if (rawTurns !== undefined) {
    if (!Array.isArray(rawTurns)) return violation(`${INVALID} clientContent.turns must be a list.`);
    for (const t of rawTurns) {
      if (!isObject(t)) return violation(`${INVALID} clientContent.turns[] must be a Content.`);
      const role = t['role'] === undefined ? '' : t['role'];
      if (role !== '' && role !== 'user' && role !== 'model') return violation(`${INVALID} clientContent.turns[].role must be "user" or "model".`);
      const text = partsText(t['parts']);
      if (typeof text !== 'string') return text;
      turns.push({ role, text });
    }
  }
  const tc = body['turnComplete'];
  if (tc !== undefined && typeof tc !== 'boolean') return violation(`${INVALID} clientContent.turnComplete must be a boolean.`);
  return { kind: 'clientContent', turns, turnComplete: tc === true };
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function parseBlob(blob: unknown, field: string): AudioChunk | ProtocolViolation {
  if (!isObject(blob)) return violation(`${INVALID} ${field} must be a Blob.`);
  const data = blob['data'];
  const mimeType = blob['mimeType'];
  if (typeof data !== 'string' || !BASE64.test(data)) return violation(`${INVALID} ${field}.data must be base64.`);
  if (mimeType !== undefined && typeof mimeType !== 'string') return violation(`${INVALID} ${field}.mimeType must be a string.`);
  return { data, mimeType };
}

function parseRealtimeInput(body: unknown): ClientMessage | ProtocolViolation {
  if (!isObject(body)) return violation(`${INVALID} realtimeInput must be an object.`);
  const input: RealtimeInput = { audio: [], mediaChunks: false, text: undefined, activityStart: false, activityEnd: false, audioStreamEnd: false, video: false };
  if (body['audio'] !== undefined) {
    const chunk = parseBlob(body['audio'], 'realtimeInput.audio');
    if ('kind' in chunk) return chunk;
    input.audio.push(chunk);
  }
  const media = body['mediaChunks'];
  if (media !== undefined) {
    if (!Array.isArray(media)) return violation(`${INVALID} realtimeInput.mediaChunks must be a list.`);
    input.mediaChunks = true;
    for (const m of media) {
      const chunk = parseBlob(m, 'realtimeInput.mediaChunks[]');
      if ('kind' in chunk) return chunk;
      if (chunk.mimeType === undefined || chunk.mimeType.startsWith('audio/')) input.audio.push(chunk);
      else input.video = true;
    }
  }
  if (body['text'] !== undefined) {
    if (typeof body['text'] !== 'string') return violation(`${INVALID} realtimeInput.text must be a string.`);
    input.text = body['text'];
  }
  input.activityStart = body['activityStart'] !== undefined;
  input.activityEnd = body['activityEnd'] !== undefined;
  input.audioStreamEnd = body['audioStreamEnd'] === true;
  if (body['video'] !== undefined) input.video = true;
  return { kind: 'realtimeInput', input };
}

function parseToolResponse(body: unknown): ClientMessage | ProtocolViolation {
  if (!isObject(body)) return violation(`${INVALID} toolResponse must be an object.`);
  const list = body['functionResponses'];
  if (list === undefined) return { kind: 'toolResponse', responses: [] };
  if (!Array.isArray(list)) return violation(`${INVALID} toolResponse.functionResponses must be a list.`);
  const responses: FunctionResponse[] = [];
  for (const r of list) {
    if (!isObject(r)) return violation(`${INVALID} functionResponses[] must be an object.`);
    const id = r['id'];
    const name = r['name'];
    if (id !== undefined && typeof id !== 'string') return violation(`${INVALID} functionResponses[].id must be a string.`);
    if (name !== undefined && typeof name !== 'string') return violation(`${INVALID} functionResponses[].name must be a string.`);
    const scheduling = r['scheduling'];
    if (scheduling !== undefined && !['SCHEDULING_UNSPECIFIED', 'SILENT', 'WHEN_IDLE', 'INTERRUPT'].includes(scheduling as string)) {
      return violation(`${INVALID} functionResponses[].scheduling: unknown enum value.`);
    }
    const willContinue = r['willContinue'];
    if (willContinue !== undefined && typeof willContinue !== 'boolean') return violation(`${INVALID} functionResponses[].willContinue must be a boolean.`);
    responses.push({
      id: id ?? '',
      name: name ?? '',
      response: r['response'],
      scheduling: scheduling === undefined || scheduling === 'SCHEDULING_UNSPECIFIED' ? undefined : (scheduling as FunctionResponseScheduling),
      willContinue: willContinue === true,
    });
  }
  return { kind: 'toolResponse', responses };
}
