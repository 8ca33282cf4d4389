/**
 * What the panel persists with the webview API's setState, so a hidden and restored
 * panel (its iframe is rebuilt unless retainContextWhenHidden) comes back as it was:
 * the chat draft (input is never lost), volume, selected tab, transcript scroll, the
 * client id, and a trimmed copy of the last full state for an instant first paint
 * when the HTML carries no bootstrap. Pure: read/write are validated here.
 */
import * as v from 'valibot';
import { FullStateSchema, type FullState } from '../src/protocol/messages';

export const UI_STATE_VERSION = 1;
/** Cached transcript entries (the host resends all of them with `init`). */
export const CACHED_TRANSCRIPT_ENTRIES = 100;

export interface UiState {
  readonly v: typeof UI_STATE_VERSION;
  readonly clientId: string;
  readonly draft: string;
  /** Output volume 0..1. */
  readonly volume: number;
  readonly activeTab: string;
  /** Whether the transcript follows new text (false after the user scrolled up). */
  readonly followTranscript: boolean;
  readonly lastState: FullState | null;
  readonly debugJson: string | null;
  /** The microphone the user picked in the panel ('' = system default). */
  readonly micDeviceId?: string;
  /** The chat view's Details fold is open. */
  readonly detailsOpen?: boolean;
}

const UiStateSchema = v.object({
  v: v.literal(UI_STATE_VERSION),
  clientId: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  draft: v.string(),
  volume: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  activeTab: v.pipe(v.string(), v.maxLength(40)),
  followTranscript: v.boolean(),
  lastState: v.nullable(FullStateSchema),
  debugJson: v.nullable(v.string()),
  micDeviceId: v.optional(v.pipe(v.string(), v.maxLength(500))),
  detailsOpen: v.optional(v.boolean()),
});

export function defaultUiState(clientId: string): UiState {
  return { v: UI_STATE_VERSION, clientId, draft: '', volume: 0.8, activeTab: 'transcript', followTranscript: true, lastState: null, debugJson: null };
}

/**
 * Reads persisted state; anything unreadable (older version, corrupt) falls back to
 * defaults field by field, so one bad field never costs the user their draft.
 */
export function readUiState(raw: unknown, newClientId: () => string): UiState {
  const whole = v.safeParse(UiStateSchema, raw);
  if (whole.success) return whole.output as UiState;
  const base = defaultUiState(newClientId());
  if (typeof raw !== 'object' || raw === null) return base;
  const r = raw as Record<string, unknown>;
  const field = <T>(schema: v.GenericSchema<unknown, T>, value: unknown, fallback: T): T => {
    const res = v.safeParse(schema, value);
    return res.success ? res.output : fallback;
  };
  return {
    ...base,
    clientId: field(UiStateSchema.entries.clientId, r.clientId, base.clientId),
    draft: field(UiStateSchema.entries.draft, r.draft, ''),
    volume: field(UiStateSchema.entries.volume, r.volume, base.volume),
    activeTab: field(UiStateSchema.entries.activeTab, r.activeTab, base.activeTab),
    followTranscript: field(UiStateSchema.entries.followTranscript, r.followTranscript, true),
    lastState: field(UiStateSchema.entries.lastState, r.lastState, null),
    debugJson: field(UiStateSchema.entries.debugJson, r.debugJson, null),
    ...(typeof r.detailsOpen === 'boolean' ? { detailsOpen: r.detailsOpen } : {}),
  };
}

/** Trims the cached full state so setState stays small on every keystroke. */
export function trimForCache(state: FullState): FullState {
  return state.transcript.length <= CACHED_TRANSCRIPT_ENTRIES ? state : { ...state, transcript: state.transcript.slice(-CACHED_TRANSCRIPT_ENTRIES) };
}
