/**
 * The broker's signing policy, pure: turns a client's request body into the exact
 * mint request the broker will send upstream, or a refusal with its HTTP status.
 *
 * - The model must be on `allowedModels` (and on the client's own list, if it has one);
 *   `model` and `constraints.model` must agree. Refused: 403.
 * - The token is always locked (`bidiGenerateContentSetup`) to that model and to
 *   response modalities from `allowedModalities` (default lock: `["AUDIO"]`). The lock
 *   may also carry `sessionResumption: {}` and `contextWindowCompression`
 *   (`{triggerTokens?, slidingWindow?: {targetTokens?}}`, whole numbers, target below
 *   trigger), checked field by field. A Live setup field the broker does not sign
 *   (`tools`, `systemInstruction`, `generationConfig.temperature`, …) is refused with 403;
 *   a field that is not a Live setup field at all is a 400 naming it. The broker signs
 *   only what it understands, and copies only the fields it checked.
 * - Lifetimes past the maximum are clamped, never refused, and the answer carries the
 *   real `expireTime`; a time in the past or not RFC 3339 is a 400.
 * - `uses` above `maxUses` (or 0 = unlimited, when `maxUses` is not 0) is clamped.
 */
import type { ClientSetup } from '../core/messages';
import type { MintRequest } from '../core/tokens';
import { bareModelId } from '../core/models';
import type { BrokerClient, BrokerConfig } from './brokerConfig';

export type PolicyResult =
  | { ok: true; request: MintRequest; model: string; clamped: string[] }
  | { ok: false; status: 400 | 403; message: string };

/** The API's default token lifetime and new-session window (LIVE-PROTOCOL.md "Ephemeral tokens"). */
const DEFAULT_LIFETIME_MS = 30 * 60_000;
const DEFAULT_NEW_SESSION_WINDOW_MS = 60_000;

const CONSTRAINT_FIELDS = new Set(['model', 'generationConfig', 'sessionResumption', 'contextWindowCompression']);
/** Live setup fields (BidiGenerateContentSetup, LIVE-PROTOCOL.md) the broker understands but will not sign: 403. */
const UNSIGNED_SETUP_FIELDS = new Set([
  'systemInstruction',
  'tools',
  'realtimeInputConfig',
  'inputAudioTranscription',
  'outputAudioTranscription',
  'proactivity',
  'historyConfig',
  'explicitVadSignal',
]);
/** GenerationConfig fields other than responseModalities: known, not signed (403). */
const UNSIGNED_GENERATION_FIELDS = new Set([
  'candidateCount',
  'maxOutputTokens',
  'temperature',
  'topP',
  'topK',
  'presencePenalty',
  'frequencyPenalty',
  'speechConfig',
  'thinkingConfig',
  'enableAffectiveDialog',
  'mediaResolution',
  'seed',
]);
/** SessionResumptionConfig fields: a lock may only say "resumption on" (`{}`), never carry a handle. */
const UNSIGNED_RESUMPTION_FIELDS = new Set(['handle', 'transparent']);
/** The API's int64 token counts arrive as numbers or decimal strings. */
const MAX_TOKEN_COUNT = 10_000_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const bad = (message: string): PolicyResult => ({ ok: false, status: 400, message });
const denied = (message: string): PolicyResult => ({ ok: false, status: 403, message });

export function checkTokenRequest(body: unknown, client: BrokerClient, config: BrokerConfig, nowMs: number): PolicyResult {
  if (!isObject(body)) return bad('The request body must be a JSON object.');
  const constraints = body['constraints'] ?? {};
  if (!isObject(constraints)) return bad('constraints must be an object (a Live setup).');
  for (const k of Object.keys(constraints)) {
    if (CONSTRAINT_FIELDS.has(k)) continue;
    if (UNSIGNED_SETUP_FIELDS.has(k)) return denied(`constraints.${k} is not something this broker signs; it signs model, generationConfig.responseModalities, sessionResumption and contextWindowCompression.`);
    return bad(`constraints.${k} is not a field of a Live setup.`);
  }

  // Model: from `model`, else `constraints.model`; both given must agree.
  const topModel = body['model'];
  const lockModel = constraints['model'];
  if (topModel !== undefined && (typeof topModel !== 'string' || topModel === '')) return bad('model must be a non-empty string.');
  if (lockModel !== undefined && (typeof lockModel !== 'string' || lockModel === '')) return bad('constraints.model must be a non-empty string.');
  const asked = (topModel ?? lockModel) as string | undefined;
  if (asked === undefined) return bad('model is required.');
  const model = bareModelId(asked);
  if (lockModel !== undefined && bareModelId(lockModel as string) !== model) return denied('constraints.model differs from model.');
  if (!config.allowedModels.some((m) => bareModelId(m) === model)) return denied(`The model "${model}" is not on this broker's allow-list.`);
  if (client.models && !client.models.some((m) => bareModelId(m) === model)) return denied(`The model "${model}" is not allowed for this client.`);

  // Modalities.
  let modalities: string[] = ['AUDIO'];
  const gc = constraints['generationConfig'];
  if (gc !== undefined) {
    if (!isObject(gc)) return bad('constraints.generationConfig must be an object.');
    for (const k of Object.keys(gc)) {
      if (k === 'responseModalities') continue;
      if (UNSIGNED_GENERATION_FIELDS.has(k)) return denied(`constraints.generationConfig.${k} is not something this broker signs.`);
      return bad(`constraints.generationConfig.${k} is not a field of a generation config.`);
    }
    const rm = gc['responseModalities'];
    if (rm !== undefined) {
      if (!Array.isArray(rm) || rm.length === 0 || rm.some((m) => typeof m !== 'string')) return bad('constraints.generationConfig.responseModalities must be a non-empty list of strings.');
      modalities = (rm as string[]).map((m) => m.toUpperCase());
    }
  }
  const notAllowed = modalities.find((m) => !(config.allowedModalities as readonly string[]).includes(m));
  if (notAllowed !== undefined) return denied(`The response modality "${notAllowed}" is not allowed by this broker.`);

  const locked: Record<string, unknown> = { model: `models/${model}`, generationConfig: { responseModalities: modalities } };
  const sr = constraints['sessionResumption'];
  if (sr !== undefined) {
    if (!isObject(sr)) return bad('constraints.sessionResumption must be an object.');
    for (const k of Object.keys(sr)) {
      if (UNSIGNED_RESUMPTION_FIELDS.has(k)) return denied(`constraints.sessionResumption.${k}: sessionResumption may only be {} in a token lock.`);
      return bad(`constraints.sessionResumption.${k} is not a field of a session resumption config.`);
    }
    locked['sessionResumption'] = {};
  }
  const cwc = constraints['contextWindowCompression'];
  if (cwc !== undefined) {
    const checked = checkCompression(cwc);
    if (typeof checked === 'string') return bad(checked);
    locked['contextWindowCompression'] = checked;
  }

  // Uses.
  const clamped: string[] = [];
  let uses = 1;
  if (body['uses'] !== undefined) {
    const u = body['uses'];
    const n = typeof u === 'string' && /^\d+$/.test(u) ? Number(u) : u;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return bad('uses must be a whole number (0 = unlimited).');
    uses = n;
  }
  if (config.maxUses > 0 && (uses === 0 || uses > config.maxUses)) {
    uses = config.maxUses;
    clamped.push('uses');
  }

  // Lifetimes.
  const maxExpire = nowMs + config.maxLifetimeS * 1000;
  const expire = readTime(body, 'expireTime', Math.min(nowMs + DEFAULT_LIFETIME_MS, maxExpire), nowMs);
  if (typeof expire === 'string') return bad(expire);
  let expireMs = expire;
  if (expireMs > maxExpire) {
    expireMs = maxExpire;
    clamped.push('expireTime');
  }
  const maxNewSession = Math.min(expireMs, nowMs + config.maxNewSessionWindowS * 1000);
  const newSession = readTime(body, 'newSessionExpireTime', Math.min(nowMs + DEFAULT_NEW_SESSION_WINDOW_MS, maxNewSession), nowMs);
  if (typeof newSession === 'string') return bad(newSession);
  let newSessionMs = newSession;
  if (newSessionMs > maxNewSession) {
    newSessionMs = maxNewSession;
    clamped.push('newSessionExpireTime');
  }

  return {
    ok: true,
    model: `models/${model}`,
    clamped,
    request: {
      uses,
      expireTime: new Date(expireMs).toISOString(),
      newSessionExpireTime: new Date(newSessionMs).toISOString(),
      constraints: locked as ClientSetup,
    },
  };
}

/** A positive whole token count (number or decimal string, as int64 travels in JSON), or an error naming `field`. */
function tokenCount(value: unknown, field: string): number | string {
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > MAX_TOKEN_COUNT) return `${field} must be a whole number of tokens from 1 to ${MAX_TOKEN_COUNT}.`;
  return n;
}

/**
 * ContextWindowCompressionConfig, field by field: `triggerTokens`, `slidingWindow.targetTokens`,
 * nothing else. Returns a fresh object holding only the checked fields (never the client's
 * object, which could carry more), or the error naming the field.
 */
function checkCompression(cwc: unknown): Record<string, unknown> | string {
  const at = 'constraints.contextWindowCompression';
  if (!isObject(cwc)) return `${at} must be an object.`;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(cwc)) {
    if (k !== 'triggerTokens' && k !== 'slidingWindow') return `${at}.${k} is not a field of a context window compression config (triggerTokens, slidingWindow).`;
  }
  let trigger: number | undefined;
  if (cwc['triggerTokens'] !== undefined) {
    const t = tokenCount(cwc['triggerTokens'], `${at}.triggerTokens`);
    if (typeof t === 'string') return t;
    trigger = t;
    out['triggerTokens'] = cwc['triggerTokens']; // as given: the lock must equal the setup the client will send
  }
  const sw = cwc['slidingWindow'];
  if (sw !== undefined) {
    if (!isObject(sw)) return `${at}.slidingWindow must be an object.`;
    for (const k of Object.keys(sw)) {
      if (k !== 'targetTokens') return `${at}.slidingWindow.${k} is not a field of a sliding window (targetTokens).`;
    }
    const window: Record<string, unknown> = {};
    if (sw['targetTokens'] !== undefined) {
      const t = tokenCount(sw['targetTokens'], `${at}.slidingWindow.targetTokens`);
      if (typeof t === 'string') return t;
      if (trigger !== undefined && t >= trigger) return `${at}.slidingWindow.targetTokens (${t}) must be less than triggerTokens (${trigger}).`;
      window['targetTokens'] = sw['targetTokens'];
    }
    out['slidingWindow'] = window;
  }
  return out;
}

function readTime(body: Record<string, unknown>, field: string, fallback: number, nowMs: number): number | string {
  const raw = body[field];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string') return `${field} must be an RFC 3339 timestamp string.`;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) return `${field} is not a valid RFC 3339 timestamp.`;
  if (ms <= nowMs) return `${field} must be in the future.`;
  return ms;
}
