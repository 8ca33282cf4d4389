/**
 * The host <-> webview protocol: every message each way, as valibot schemas from
 * which the TypeScript types are inferred (each payload is written once). Both sides
 * import this module; neither may import vscode or the DOM here.
 *
 * Naming (STYLE.md §2): `area/verb`, past tense for host notifications
 * (`session/stateChanged`), imperative for webview commands (`session/connect`).
 *
 * Secrets never cross: the webview gets masked token names, no key, no handle.
 */
import * as v from 'valibot';
import { MAX_AUDIO_CHUNK_BYTES, MAX_USER_TEXT_CHARS } from './audioFormat';
import { RESPONSE_MODALITIES } from './panelSettings';
import { SESSION_STATE_KINDS } from './sessionState';

/** 2: history, tool confirmations, context and tool transcript markers. 3: code/copy, code/insert, link/open. */
export const PROTOCOL_VERSION = 3;

export { CAPTURE_FRAME_SAMPLES, CAPTURE_SAMPLE_RATE, MAX_AUDIO_CHUNK_BYTES, MAX_USER_TEXT_CHARS, PLAYBACK_SAMPLE_RATE } from './audioFormat';

const finite = v.pipe(v.number(), v.finite());
const nonNegative = v.pipe(v.number(), v.finite(), v.minValue(0));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

// ------------------------------------------------------------------ view models

export const SessionStateKindSchema = v.picklist(SESSION_STATE_KINDS);

export const SessionViewSchema = v.object({
  state: SessionStateKindSchema,
  /** Human text for the state ("Handing off in 42 s", "Reconnecting (attempt 2)"). */
  detail: text(500),
  model: text(200),
  backend: v.picklist(['emulator', 'gemini']),
  baseUrl: text(500),
  authMode: v.picklist(['key', 'token', 'broker']),
  connection: count,
  resumed: v.boolean(),
  startTime: v.nullable(nonNegative),
  /** Epoch ms of the goAway deadline while one is pending. */
  goAwayDeadline: v.nullable(nonNegative),
  goAwayTimeLeftMs: v.nullable(nonNegative),
  reconnectAttempt: v.nullable(count),
  handoffs: count,
  reconnects: count,
  lastHandoffGapMs: v.nullable(nonNegative),
  lastUsageTotal: v.nullable(nonNegative),
  contextFill: v.nullable(nonNegative),
  hasValidResumptionData: v.boolean(),
  errorMessage: v.nullable(text(2_000)),
});
export type SessionView = v.InferOutput<typeof SessionViewSchema>;

export const TokenViewSchema = v.object({
  hasToken: v.boolean(),
  canStartNewSession: v.boolean(),
  isValid: v.boolean(),
  newSessionTimeLeft: nonNegative,
  totalTimeLeft: nonNegative,
  uses: v.nullable(count),
  /** Masked: `auth_tokens/ab…yz`. */
  name: v.nullable(v.pipe(v.string(), v.maxLength(40), v.check((s) => !/^auth_tokens\/[A-Za-z0-9_-]{5,}$/.test(s), 'token names must be masked'))),
  expiresAt: v.nullable(text(40)),
  newSessionExpiresAt: v.nullable(text(40)),
});
export type TokenView = v.InferOutput<typeof TokenViewSchema>;

export const CompressionViewSchema = v.object({
  enabled: v.boolean(),
  triggerTokens: v.pipe(v.number(), v.integer(), v.minValue(1)),
  compressionRatio: v.pipe(v.number(), v.gtValue(0), v.ltValue(1)),
  useSlidingWindow: v.boolean(),
});
export type CompressionView = v.InferOutput<typeof CompressionViewSchema>;

export const SettingsViewSchema = v.object({
  compression: CompressionViewSchema,
  resumption: v.boolean(),
  useEphemeralTokens: v.boolean(),
  responseModality: v.picklist(RESPONSE_MODALITIES),
  /**
   * The panel's microphone with the browser's voice processing (echo cancellation, noise
   * suppression, gain control). Optional: a state cached by an older panel lacks it (→ on).
   */
  voiceProcessing: v.optional(v.boolean()),
});
export type SettingsView = v.InferOutput<typeof SettingsViewSchema>;

/** One transcript entry's text, at most; a code block copied or inserted from an answer is part of one. */
export const MAX_TRANSCRIPT_TEXT_CHARS = 100_000;
/** A link from an answer the host may open, at most (browsers cut far longer URLs anyway). */
export const MAX_LINK_CHARS = 8_192;

/** http and https only: the links in an answer the host opens in the browser (no javascript:, data:, file:, command:). */
export function isWebUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** A web page an answer rests on (Google Search grounding): shown as a link under the answer. */
export const SourceLinkSchema = v.object({
  uri: v.pipe(v.string(), v.maxLength(2_000), v.regex(/^https?:\/\//i, 'only http and https links')),
  title: text(200),
});
export type SourceLink = v.InferOutput<typeof SourceLinkSchema>;
export const MAX_SOURCE_LINKS = 10;

export const TranscriptEntrySchema = v.object({
  id: text(100),
  turn: count,
  role: v.picklist(['user', 'model', 'system']),
  text: text(MAX_TRANSCRIPT_TEXT_CHARS),
  /** Streaming: more text may be appended to this entry. */
  partial: v.boolean(),
  markers: v.array(v.picklist(['generationComplete', 'interrupted', 'restarted', 'resumed', 'handoff', 'context', 'tool', 'thinking'])),
  at: nonNegative,
  /** Google Search grounding: the pages the answer rests on. Optional: older entries have none. */
  sources: v.optional(v.pipe(v.array(SourceLinkSchema), v.maxLength(MAX_SOURCE_LINKS))),
});
export type TranscriptEntry = v.InferOutput<typeof TranscriptEntrySchema>;

export const AudioStatusSchema = v.object({
  captureBackend: v.picklist(['webview', 'host', 'none']),
  listening: v.boolean(),
  /** Why capture is unavailable and what to install, when it is. */
  problem: v.nullable(text(2_000)),
  /** Listening, but frames are not sent to the session. */
  muted: v.optional(v.boolean()),
  /**
   * This page (the chat view or the editor panel) plays the model's voice and, with
   * capture in the webview, opens the microphone; false on the other open page, which
   * shows the state only (src/extension/surfaceHub.ts). Absent: this page.
   */
  thisSurface: v.optional(v.boolean()),
  /** The page's microphone is open for dictation (MoonTalk: Dictate), which types what is said into the editor. */
  dictating: v.optional(v.boolean()),
});
export type AudioStatus = v.InferOutput<typeof AudioStatusSchema>;

/** A tool call waiting for the user's Allow or Deny (the panel shows it inline). */
export const ToolConfirmationSchema = v.object({
  /** The function call id the question belongs to. */
  id: text(200),
  tool: text(100),
  /** One sentence: what Gemini wants to do, and where. */
  title: text(1_000),
  /** The text to insert, the command to run, the path: what the user is agreeing to. */
  detail: text(5_000),
  /** The question may be answered "Always allow" (a tool of another extension or an MCP server). */
  alwaysAllow: v.optional(v.boolean()),
});
export type ToolConfirmation = v.InferOutput<typeof ToolConfirmationSchema>;

/** One conversation in the History tab (no turn text: that comes with `history/shown`). */
export const HistorySummarySchema = v.object({
  id: text(100),
  /** The first user line. */
  title: text(200),
  startedAt: nonNegative,
  updatedAt: nonNegative,
  entryCount: count,
});
export type HistorySummary = v.InferOutput<typeof HistorySummarySchema>;

/** Conversations the History tab lists at most (the store keeps 50). */
export const MAX_HISTORY_LISTED = 100;
/** A conversation's Markdown shown read-only in the panel, at most. */
export const MAX_HISTORY_MARKDOWN_CHARS = 2_000_000;

export const FullStateSchema = v.object({
  session: SessionViewSchema,
  token: TokenViewSchema,
  settings: SettingsViewSchema,
  transcript: v.array(TranscriptEntrySchema),
  audio: AudioStatusSchema,
  hasApiKey: v.boolean(),
  /** Optional so that a state cached by an older panel still validates. */
  toolConfirmations: v.optional(v.pipe(v.array(ToolConfirmationSchema), v.maxLength(50))),
});
export type FullState = v.InferOutput<typeof FullStateSchema>;

// ------------------------------------------------------------------ webview -> host

const binary = v.custom<ArrayBuffer>((x) => x instanceof ArrayBuffer || ArrayBuffer.isView(x), 'expected binary audio (ArrayBuffer)');

export const ToHostSchema = v.variant('type', [
  v.object({ type: v.literal('ready'), version: v.pipe(v.number(), v.integer()), clientId: text(100) }),
  v.object({ type: v.literal('session/connect') }),
  v.object({ type: v.literal('session/disconnect') }),
  v.object({ type: v.literal('session/refresh') }),
  v.object({ type: v.literal('chat/send'), text: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_USER_TEXT_CHARS)) }),
  v.object({ type: v.literal('token/create') }),
  v.object({ type: v.literal('settings/update'), settings: v.partial(SettingsViewSchema) }),
  v.object({ type: v.literal('debug/copy') }),
  v.object({ type: v.literal('audio/start') }),
  v.object({ type: v.literal('audio/stop') }),
  v.object({ type: v.literal('audio/setMuted'), muted: v.boolean() }),
  /** Stop Speaking in the panel (button, Escape): the panel has already flushed its playback. */
  v.object({ type: v.literal('audio/stopSpeaking') }),
  /** The panel's playback of the model's voice started or stopped. */
  v.object({ type: v.literal('audio/speaking'), playing: v.boolean() }),
  v.object({
    type: v.literal('audio/chunk'),
    seq: count,
    /** 16 kHz PCM16 LE mono, as binary (never a JSON array of numbers). */
    pcm: v.pipe(binary, v.check((b) => (b as ArrayBuffer).byteLength <= MAX_AUDIO_CHUNK_BYTES && (b as ArrayBuffer).byteLength % 2 === 0, 'pcm must be whole PCM16 samples, at most 1 s')),
  }),
  v.object({ type: v.literal('audio/captureFailed'), message: text(2_000) }),
  v.object({ type: v.literal('audio/level'), input: v.pipe(finite, v.minValue(0), v.maxValue(1)) }),
  v.object({ type: v.literal('logs/show') }),
  v.object({ type: v.literal('apiKey/set') }),
  v.object({ type: v.literal('history/list') }),
  v.object({ type: v.literal('history/show'), id: text(100) }),
  v.object({ type: v.literal('history/export'), id: text(100) }),
  v.object({ type: v.literal('tools/confirm'), id: text(200), allow: v.boolean(), always: v.optional(v.boolean()) }),
  /** A code block's Copy button: the host writes the clipboard (vscode.env.clipboard works in every webview host). */
  v.object({ type: v.literal('code/copy'), text: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TRANSCRIPT_TEXT_CHARS)) }),
  /** A code block's Insert at Cursor: into the active text editor, replacing its selection. */
  v.object({ type: v.literal('code/insert'), code: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TRANSCRIPT_TEXT_CHARS)), language: v.pipe(v.string(), v.maxLength(50)) }),
  /** A link in an answer: opened in the browser by the host, never by navigating the webview. */
  v.object({ type: v.literal('link/open'), url: v.pipe(v.string(), v.maxLength(MAX_LINK_CHARS), v.check(isWebUrl, 'url must be an http or https URL')) }),
]);
export type ToHost = v.InferOutput<typeof ToHostSchema>;

// ------------------------------------------------------------------ host -> webview

export const ToWebviewSchema = v.variant('type', [
  v.object({ type: v.literal('init'), version: v.pipe(v.number(), v.integer()), state: FullStateSchema }),
  v.object({ type: v.literal('session/stateChanged'), session: SessionViewSchema }),
  v.object({ type: v.literal('token/statusChanged'), token: TokenViewSchema }),
  v.object({ type: v.literal('settings/changed'), settings: SettingsViewSchema }),
  v.object({ type: v.literal('transcript/appended'), entry: TranscriptEntrySchema }),
  v.object({ type: v.literal('transcript/updated'), entry: TranscriptEntrySchema }),
  v.object({ type: v.literal('transcript/cleared') }),
  v.object({ type: v.literal('audio/play'), seq: count, pcm: binary }),
  v.object({ type: v.literal('audio/interrupted') }),
  /** The input level of host capture (a system recorder), 0..1 RMS, a few times a second. */
  v.object({ type: v.literal('audio/inputLevel'), level: v.pipe(finite, v.minValue(0), v.maxValue(1)) }),
  v.object({ type: v.literal('audio/statusChanged'), audio: AudioStatusSchema }),
  v.object({ type: v.literal('debug/info'), json: text(200_000) }),
  v.object({ type: v.literal('error'), message: text(2_000), action: v.optional(v.picklist(['setApiKey', 'showLogs', 'retry'])) }),
  v.object({ type: v.literal('history/listed'), conversations: v.pipe(v.array(HistorySummarySchema), v.maxLength(MAX_HISTORY_LISTED)) }),
  v.object({ type: v.literal('history/shown'), id: text(100), title: text(200), markdown: text(MAX_HISTORY_MARKDOWN_CHARS) }),
  v.object({ type: v.literal('tools/confirmationsChanged'), confirmations: v.pipe(v.array(ToolConfirmationSchema), v.maxLength(50)) }),
]);
export type ToWebview = v.InferOutput<typeof ToWebviewSchema>;

// ------------------------------------------------------------------ parsing

export interface ProtocolError {
  readonly kind: 'protocolError';
  /** Which field was wrong, e.g. `session.state`, or `type` for an unknown message. */
  readonly field: string;
  readonly message: string;
}

function parseWith<T>(schema: v.GenericSchema<unknown, T>, raw: unknown): T | ProtocolError {
  const result = v.safeParse(schema, raw);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const field = issue ? v.getDotPath(issue) ?? 'message' : 'message';
  return { kind: 'protocolError', field, message: `${field}: ${issue?.message ?? 'invalid message'}` };
}

/** Validates a message from the webview. Never throws. */
export function parseToHost(raw: unknown): ToHost | ProtocolError {
  return parseWith(ToHostSchema, raw);
}

/** Validates a message from the host. Never throws. */
export function parseToWebview(raw: unknown): ToWebview | ProtocolError {
  return parseWith(ToWebviewSchema, raw);
}

export function isProtocolError(x: unknown): x is ProtocolError {
  return typeof x === 'object' && x !== null && (x as ProtocolError).kind === 'protocolError';
}
