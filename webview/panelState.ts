/**
 * The panel's state as a reducer: what the host told it (the last full state, kept
 * current by each notification) and what follows from it — what the views show
 * (selectors), and what a message should make happen beyond a re-render (notices:
 * announcements, the error banner, the microphone). Pure and DOM-free, so the whole
 * behaviour is table-tested in Node (test/unit/webview/panelState.test.ts); main.ts
 * only wires messages in and views and audio out.
 *
 * @remarks
 * Transcript entries are the one part kept outside: the transcript view owns them,
 * because a streaming answer updates an entry many times a second and copying the list
 * per update would be wasted work. `view.transcript` is the snapshot from the last
 * `init` (or bootstrap), and `transcript/cleared` empties it.
 */
import type { FullState, TokenView, ToWebview } from '../src/protocol/messages';
import { PROTOCOL_VERSION } from '../src/protocol/messages';
import { acceptsInput } from '../src/protocol/sessionState';
import { stateAnnouncement } from './ui/format';
import { t } from './l10n';

export interface PanelState {
  /** The host's state; null until the bootstrap, the cache or `init` supplies one. */
  readonly view: FullState | null;
}

export const INITIAL_PANEL_STATE: PanelState = { view: null };

/** What the reducer takes: a validated host message, or a full state from the HTML bootstrap or the panel's cache. */
export type PanelInput = ToWebview | { readonly type: 'restored'; readonly state: FullState };

export type BannerAction = NonNullable<Extract<ToWebview, { type: 'error' }>['action']>;

/** Something a message makes happen besides re-rendering the state. */
export type Notice =
  | { readonly kind: 'announce'; readonly text: string }
  | { readonly kind: 'showBanner'; readonly message: string; readonly action?: BannerAction }
  /** The session came back: a banner about its failure is out of date. */
  | { readonly kind: 'hideBanner' }
  /** The host stopped listening (session closed, backend changed): release the microphone. */
  | { readonly kind: 'stopCapture' }
  /** The host started listening (a command or keybinding) with capture in the panel: open the microphone here. */
  | { readonly kind: 'startCapture' }
  /** Not listening: the input meter drops to zero. */
  | { readonly kind: 'resetInputLevel' };

/** The next state after `input`. Messages that carry no state (audio, debug, history) leave it as it is. */
export function reduce(state: PanelState, input: PanelInput): PanelState {
  const view = state.view;
  switch (input.type) {
    case 'init':
    case 'restored':
      return { view: input.state };
    case 'session/stateChanged':
      return view ? { view: { ...view, session: input.session } } : state;
    case 'token/statusChanged':
      return view ? { view: { ...view, token: input.token } } : state;
    case 'settings/changed':
      return view ? { view: { ...view, settings: input.settings } } : state;
    case 'audio/statusChanged':
      return view ? { view: { ...view, audio: input.audio } } : state;
    case 'tools/confirmationsChanged':
      return view ? { view: { ...view, toolConfirmations: input.confirmations } } : state;
    case 'transcript/cleared':
      return view && view.transcript.length > 0 ? { view: { ...view, transcript: [] } } : state;
    case 'transcript/appended':
    case 'transcript/updated':
    case 'audio/play':
    case 'audio/interrupted':
    case 'audio/inputLevel':
    case 'debug/info':
    case 'error':
    case 'history/listed':
    case 'history/shown':
      return state;
    default: {
      const unhandled: never = input;
      return unhandled;
    }
  }
}

/** The action the banner offers for a failed session: without a key, setting one is the fix. */
function failureAction(view: FullState): BannerAction {
  return view.hasApiKey ? 'retry' : 'setApiKey';
}

const announce = (text: string): Notice => ({ kind: 'announce', text });

/** A user of the microphone (the conversation, or dictation), and this page is the one that captures (AudioStatus.thisSurface; absent means this page). */
function capturesHere(audio: FullState['audio']): boolean {
  return (audio.listening || audio.dictating === true) && audio.thisSurface !== false;
}

/** The microphone opens in this page: the conversation captures in the panel, or dictation (which only asks a page for it when it does). */
function opensMicrophoneHere(audio: FullState['audio']): boolean {
  return capturesHere(audio) && (audio.captureBackend === 'webview' || audio.dictating === true);
}

/** What `input` makes happen, given the state before it and after `reduce`. */
export function notices(prev: PanelState, input: PanelInput, next: PanelState): Notice[] {
  const out: Notice[] = [];
  const before = prev.view;
  const after = next.view;
  switch (input.type) {
    case 'init':
    case 'restored': {
      if (input.type === 'init' && input.version !== PROTOCOL_VERSION) {
        out.push({ kind: 'showBanner', message: `The panel (protocol ${PROTOCOL_VERSION}) and the extension (protocol ${input.version}) differ. Close and reopen the panel.`, action: 'showLogs' });
      }
      const s = input.state;
      if (s.session.errorMessage && s.session.state === 'failed') out.push({ kind: 'showBanner', message: s.session.errorMessage, action: failureAction(s) });
      // Listening already (Start Listening brought this page up, or the page reloaded): the microphone opens here.
      if (input.type === 'init' && opensMicrophoneHere(s.audio)) out.push({ kind: 'startCapture' });
      if (before && before.session.state !== s.session.state) out.push(announce(stateAnnouncement(s.session)));
      break;
    }
    case 'session/stateChanged': {
      if (!before || !after) break;
      const was = before.session;
      const now = input.session;
      if (was.state !== now.state) {
        out.push(announce(stateAnnouncement(now)));
        if (now.state === 'connected') out.push({ kind: 'hideBanner' });
      }
      if (now.state === 'failed' && now.errorMessage && now.errorMessage !== was.errorMessage) out.push({ kind: 'showBanner', message: now.errorMessage, action: failureAction(after) });
      break;
    }
    case 'token/statusChanged':
      if (before && before.token.name !== input.token.name && input.token.hasToken) out.push(announce(t('New ephemeral token ready')));
      break;
    case 'transcript/appended':
    case 'transcript/updated':
      if (input.entry.markers.includes('interrupted') && !input.entry.partial) out.push(announce(t('Gemini was interrupted')));
      break;
    case 'audio/statusChanged': {
      if (!before) break;
      const wasListening = before.audio.listening;
      const { listening } = input.audio;
      // Only the page that speaks captures (the other open page would send every word twice).
      if (capturesHere(before.audio) && !capturesHere(input.audio)) out.push({ kind: 'stopCapture' });
      if (!listening && input.audio.dictating !== true) out.push({ kind: 'resetInputLevel' });
      if (opensMicrophoneHere(input.audio)) out.push({ kind: 'startCapture' });
      if (wasListening !== listening) out.push(announce(listening ? t('Listening') : t('Stopped listening')));
      break;
    }
    case 'error':
      out.push({ kind: 'showBanner', message: input.message, ...(input.action ? { action: input.action } : {}) });
      break;
    default:
      break;
  }
  return out;
}

// ------------------------------------------------------------------ selectors

export interface GaugeInput {
  readonly lastUsageTotal: number | null;
  readonly triggerTokens: number;
  readonly compressionEnabled: boolean;
}

/** The context gauge: the last usage against the compression trigger. */
export function gaugeInput(view: FullState): GaugeInput {
  return { lastUsageTotal: view.session.lastUsageTotal, triggerTokens: view.settings.compression.triggerTokens, compressionEnabled: view.settings.compression.enabled };
}

export function sameGauge(a: GaugeInput | null, b: GaugeInput): boolean {
  return a !== null && a.lastUsageTotal === b.lastUsageTotal && a.triggerTokens === b.triggerTokens && a.compressionEnabled === b.compressionEnabled;
}

export type TokenState = 'none' | 'expired' | 'valid' | 'resume-only';

/**
 * The ephemeral token's status: none, expired, valid, or resume-only (too late to start
 * new sessions; open sessions can still resume until it expires).
 */
export function tokenState(token: TokenView): TokenState {
  return !token.hasToken ? 'none' : !token.isValid ? 'expired' : token.canStartNewSession ? 'valid' : 'resume-only';
}

/** Whether the chat box sends: the session takes typed input (it queues it through handoffs and reconnects). */
export function chatAccepts(view: FullState | null): boolean {
  return view !== null && acceptsInput(view.session.state);
}

/** Captured frames go to the host unless the user muted the conversation (mute is the conversation's; dictation always hears). */
export function sendsAudio(view: FullState | null): boolean {
  return view?.audio.muted !== true || view.audio.dictating === true;
}

/** Listening as the panel shows it: the host says so, or the panel's own capture runs for the conversation (not for dictation). */
export function isListening(view: FullState | null, captureActive: boolean): boolean {
  return view?.audio.listening === true || (captureActive && view?.audio.dictating !== true);
}

/** Browser voice processing for the panel's microphone; on unless the settings turn it off (older states lack the field). */
export function voiceProcessing(view: FullState | null): boolean {
  return view?.settings.voiceProcessing ?? true;
}

/** The input meter rests at zero: no capture here, none starting, and no host capture feeding it levels. */
export function inputMeterRests(view: FullState | null, captureActive: boolean, captureBusy: boolean): boolean {
  return !captureActive && !captureBusy && !(view?.audio.listening === true && view.audio.captureBackend === 'host');
}
