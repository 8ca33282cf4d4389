/**
 * Turns bytes from the socket into a typed server frame. Never throws: a frame we
 * cannot read is reported and dropped, and the connection goes on.
 * Frames come as text or as binary messages holding JSON (both seen from the service).
 */
import type { ServerFrame } from '../core/messages';

export type ParseResult = { ok: true; frame: ServerFrame } | { ok: false; error: string };

const OBJECT_FIELDS = ['setupComplete', 'serverContent', 'toolCall', 'toolCallCancellation', 'usageMetadata', 'goAway', 'sessionResumptionUpdate'] as const;

export function decodeFrameData(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  if (Array.isArray(data) && data.every((d) => Buffer.isBuffer(d))) return Buffer.concat(data as Buffer[]).toString('utf8');
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

export function parseServerFrame(data: unknown): ParseResult {
  const text = decodeFrameData(data);
  if (text === undefined) return { ok: false, error: 'frame is neither text nor bytes' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not JSON (${(err as Error).message})` };
  }
  if (!isObject(value)) return { ok: false, error: 'frame is not a JSON object' };
  const frame: Record<string, unknown> = {};
  for (const field of OBJECT_FIELDS) {
    const v = value[field];
    if (v === undefined || v === null) continue;
    if (!isObject(v)) return { ok: false, error: `${field} must be an object` };
    frame[field] = v;
  }
  const content = frame.serverContent as Record<string, unknown> | undefined;
  if (content) {
    const turn = content.modelTurn;
    if (turn !== undefined && (!isObject(turn) || (turn.parts !== undefined && !Array.isArray(turn.parts)))) {
      return { ok: false, error: 'serverContent.modelTurn.parts must be an array' };
    }
    if (isObject(turn) && Array.isArray(turn.parts) && !turn.parts.every(isObject)) {
      return { ok: false, error: 'serverContent.modelTurn.parts must hold objects' };
    }
    for (const t of ['inputTranscription', 'outputTranscription'] as const) {
      const tr = content[t];
      if (tr !== undefined && (!isObject(tr) || (tr.text !== undefined && typeof tr.text !== 'string'))) {
        return { ok: false, error: `serverContent.${t}.text must be a string` };
      }
    }
  }
  const usage = frame.usageMetadata as Record<string, unknown> | undefined;
  if (usage) {
    // int64 counts may arrive as strings; the core wants numbers.
    const clean: Record<string, unknown> = { ...usage };
    for (const k of ['promptTokenCount', 'responseTokenCount', 'totalTokenCount', 'cachedContentTokenCount', 'toolUsePromptTokenCount', 'thoughtsTokenCount']) {
      if (usage[k] === undefined) continue;
      const n = toNumber(usage[k]);
      if (n === undefined) return { ok: false, error: `usageMetadata.${k} must be a number` };
      clean[k] = n;
    }
    frame.usageMetadata = clean;
  }
  const goAway = frame.goAway as Record<string, unknown> | undefined;
  if (goAway && goAway.timeLeft !== undefined && typeof goAway.timeLeft !== 'string' && typeof goAway.timeLeft !== 'number') {
    return { ok: false, error: 'goAway.timeLeft must be a duration string' };
  }
  const update = frame.sessionResumptionUpdate as Record<string, unknown> | undefined;
  if (update && update.newHandle !== undefined && typeof update.newHandle !== 'string') {
    return { ok: false, error: 'sessionResumptionUpdate.newHandle must be a string' };
  }
  const toolCall = frame.toolCall as Record<string, unknown> | undefined;
  if (toolCall && toolCall.functionCalls !== undefined && !(Array.isArray(toolCall.functionCalls) && toolCall.functionCalls.every(isObject))) {
    return { ok: false, error: 'toolCall.functionCalls must be an array of objects' };
  }
  const cancel = frame.toolCallCancellation as Record<string, unknown> | undefined;
  if (cancel && cancel.ids !== undefined && !(Array.isArray(cancel.ids) && cancel.ids.every((i) => typeof i === 'string'))) {
    return { ok: false, error: 'toolCallCancellation.ids must be strings' };
  }
  return { ok: true, frame: frame as ServerFrame };
}
