import { parseInt64 } from './protoDuration';

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
  raw: Record<string, unknown>;
}

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
  text: string | undefined;
  activityStart: boolean;
  activityEnd: boolean;
  audioStreamEnd: boolean;
  video: boolean;
}

export interface FunctionResponse {
  id: string;
  name: string;
  response: unknown;
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
  return parseClientMessage(json);
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
  const ric = body['realtimeInputConfig'];
  if (ric !== undefined) {
    if (!isObject(ric)) return violation(`${INVALID} setup.realtimeInputConfig must be an object.`);
    const aad = ric['automaticActivityDetection'];
    if (aad !== undefined) {
      if (!isObject(aad)) return violation(`${INVALID} realtimeInputConfig.automaticActivityDetection must be an object.`);
      if (aad['disabled'] === true) automaticActivityDetection = false;
    }
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
      raw: body,
    },
  };
}

function parseClientContent(body: unknown): ClientMessage | ProtocolViolation {
  if (!isObject(body)) return violation(`${INVALID} clientContent must be an object.`);
  const turns: ContentTurn[] = [];
  const rawTurns = body['turns'];
  if (rawTurns !== undefined) {
    if (!Array.isArray(rawTurns)) return violation(`${INVALID} clientContent.turns must be a list.`);
    for (const t of rawTurns) {
      if (!isObject(t)) return violation(`${INVALID} clientContent.turns[] must be a Content.`);
      const role = t['role'] === undefined ? 'user' : t['role'];
      if (role !== 'user' && role !== 'model') return violation(`${INVALID} clientContent.turns[].role must be "user" or "model".`);
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
  const input: RealtimeInput = { audio: [], text: undefined, activityStart: false, activityEnd: false, audioStreamEnd: false, video: false };
  if (body['audio'] !== undefined) {
    const chunk = parseBlob(body['audio'], 'realtimeInput.audio');
    if ('kind' in chunk) return chunk;
    input.audio.push(chunk);
  }
  const media = body['mediaChunks'];
  if (media !== undefined) {
    if (!Array.isArray(media)) return violation(`${INVALID} realtimeInput.mediaChunks must be a list.`);
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
    responses.push({ id: id ?? '', name: name ?? '', response: r['response'] });
  }
  return { kind: 'toolResponse', responses };
}
