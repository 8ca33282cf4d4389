/**
 * Webview entry point: wiring only. The HTML's `data-surface` says which page this is
 * (the side bar chat view or the editor panel; ui/layout.ts). Paints the bootstrap state embedded in the HTML
 * (so the first frame is already right, before `init` arrives), builds the views,
 * connects the host channel and the audio, feeds each message through the panel's
 * reducer (panelState.ts: the state, what the views show, and the notices a message
 * causes), and owns every disposable: views, timers, listeners and audio nodes are
 * released on pagehide.
 */
import { DisposableStore, toDisposable } from '../src/common/disposable';
import type { FullState, ToWebview } from '../src/protocol/messages';
import { PanelAudio } from './audio/panelAudio';
import { parseBootstrap, parseWorklets } from './bootstrap';
import { HostChannel } from './hostChannel';
import { parseWebviewStrings, useWebviewStrings } from './l10n';
import { interval, listen } from './lifecycle';
import { chatAccepts, gaugeInput, INITIAL_PANEL_STATE, notices, reduce, sameGauge, type GaugeInput, type Notice, type PanelInput, type PanelState } from './panelState';
import { shortcutFor, type ShortcutAction } from './shortcuts';
import { ChatInput } from './ui/chatInput';
import { registerComponents } from './ui/components';
import { ContextGauge } from './ui/contextGauge';
import { DebugView } from './ui/debugView';
import { ErrorBanner } from './ui/errorBanner';
import { HistoryPanel } from './ui/historyView';
import { panelLayout, viewLayout } from './ui/layout';
import { FinishedAnswers } from './ui/finishedAnswers';
import { LiveRegion } from './ui/liveRegion';
import { SessionPanel } from './ui/sessionView';
import { SessionStrip } from './ui/sessionStrip';
import { SettingsPanel } from './ui/settingsView';
import { TokenPanel } from './ui/tokenView';
import { ToolConfirmPanel } from './ui/toolConfirmView';
import { TranscriptPanel } from './ui/transcriptView';

export function main(app: HTMLElement, api = acquireVsCodeApi()): DisposableStore {
  const store = new DisposableStore();
  /** What the host told the panel; only apply() below replaces it, through reduce(). */
  let panel: PanelState = INITIAL_PANEL_STATE;
  // The panel's text in the user's language (the host puts the strings into the HTML): before any view is built.
  useWebviewStrings(parseWebviewStrings(app.dataset.l10n));
  registerComponents();
  const host = store.add(new HostChannel(api));
  const live = store.add(new LiveRegion());
  const answers = new FinishedAnswers();
  const banner = store.add(new ErrorBanner(host));
  const session = store.add(new SessionPanel(host));
  const token = store.add(new TokenPanel(host));
  const settings = store.add(new SettingsPanel(host));
  const gauge = store.add(new ContextGauge());
  const debug = store.add(new DebugView(host));
  const history = store.add(new HistoryPanel(host));
  const toolConfirms = store.add(new ToolConfirmPanel(host, (text) => live.announce(text)));
  const surface = app.dataset.surface === 'view' ? 'view' : 'panel';
  const strip = store.add(new SessionStrip());
  const transcript = store.add(
    new TranscriptPanel(host.uiState.followTranscript, (follow) => host.updateUiState({ followTranscript: follow }), {
      copy: (code) => host.copyCode(code),
      insert: (code, language) => host.insertCode(code, language),
      openLink: (url) => host.openLink(url),
    }),
  );
  const chat = store.add(
    new ChatInput({
      draft: host.uiState.draft,
      onDraft: (draft) => host.updateUiState({ draft }),
      onSend: (text) => host.send(text),
    }),
  );

  // ---------------------------------------------------------------- audio
  const audio = store.add(
    new PanelAudio({
      host,
      worklets: parseWorklets(app.dataset.worklets),
      view: () => panel.view,
      announce: (text) => live.announce(text),
      showError: (message) => banner.show(message),
    }),
  );

  // ---------------------------------------------------------------- layout
  const parts = {
    banner: banner.element,
    session: session.element,
    audio: audio.element,
    transcript: transcript.element,
    toolConfirms: toolConfirms.element,
    chat: chat.element,
    gauge: gauge.element,
    token: token.element,
    settings: settings.element,
    debug: debug.element,
    history: history.element,
    live: live.element,
    activeTab: host.uiState.activeTab,
    onTab: (id: string) => host.updateUiState({ activeTab: id }),
  };
  const layout =
    surface === 'view'
      ? viewLayout({ ...parts, strip: strip.element, mic: audio.micButton, stopSpeaking: audio.stopSpeakingButton, detailsOpen: host.uiState.detailsOpen ?? false, onDetails: (open) => host.updateUiState({ detailsOpen: open }) })
      : panelLayout(parts);
  app.replaceChildren(layout);
  store.add(toDisposable(() => layout.remove()));

  // ---------------------------------------------------------------- state
  let gaugeShown: GaugeInput | null = null;
  let chatShown: boolean | null = null;

  /** Updates the views whose part of the state changed (the reducer replaces what a message changes). */
  function render(prev: FullState | null, next: FullState, input: PanelInput): void {
    if (input.type === 'init' || input.type === 'restored') {
      transcript.reset(next.transcript);
      answers.reset(next.transcript);
    } else if (input.type === 'transcript/cleared') transcript.reset([]);
    if (prev?.session !== next.session || prev.hasApiKey !== next.hasApiKey) session.update(next.session, next.hasApiKey);
    if (prev?.session !== next.session) strip.update(next.session);
    if (prev?.token !== next.token || prev.settings.useEphemeralTokens !== next.settings.useEphemeralTokens) token.update(next.token, next.settings.useEphemeralTokens);
    if (prev?.settings !== next.settings) {
      settings.update(next.settings);
      audio.applyVoiceProcessing();
    }
    const shown = gaugeInput(next);
    if (!sameGauge(gaugeShown, shown)) gauge.update(shown.lastUsageTotal, shown.triggerTokens, shown.compressionEnabled);
    gaugeShown = shown;
    if (prev?.toolConfirmations !== next.toolConfirmations) toolConfirms.update(next.toolConfirmations ?? []);
    if (chatShown !== chatAccepts(next)) chat.setConnected((chatShown = chatAccepts(next)));
    if (prev?.audio !== next.audio) {
      audio.render();
      strip.setDictating(next.audio.dictating === true);
    }
  }

  function perform(notice: Notice): void {
    switch (notice.kind) {
      case 'announce':
        live.announce(notice.text);
        break;
      case 'showBanner':
        banner.show(notice.message, notice.action);
        break;
      case 'hideBanner':
        if (banner.current) banner.hide();
        break;
      case 'stopCapture':
        audio.stopCapture();
        break;
      case 'startCapture':
        audio.startCapture();
        break;
      case 'resetInputLevel':
        audio.resetInputLevel();
        break;
      default: {
        const unhandled: never = notice;
        console.warn('[panel] unhandled notice', unhandled);
      }
    }
  }

  /** One step: reduce, re-render what changed, carry out the notices, cache what a hidden panel restores. */
  function apply(input: PanelInput): void {
    const prev = panel;
    panel = reduce(prev, input);
    const next = panel.view;
    if (next && next !== prev.view) render(prev.view, next, input);
    for (const n of notices(prev, input, panel)) perform(n);
    if (next && next !== prev.view) host.updateUiState({ lastState: { ...next, transcript: [...transcript.all] } });
  }

  /** Messages that are streams or views rather than state go straight to their view. */
  function route(msg: ToWebview): void {
    switch (msg.type) {
      case 'init':
        app.dataset.ready = 'true';
        break;
      case 'transcript/appended':
      case 'transcript/updated': {
        transcript.upsert(msg.entry);
        // A finished answer is read out once (polite), never chunk by chunk.
        const finished = answers.finished(msg.entry);
        if (finished) live.announce(finished);
        break;
      }
      case 'audio/play':
        audio.play(msg.pcm);
        break;
      case 'audio/interrupted':
        audio.interrupt();
        break;
      case 'audio/inputLevel':
        audio.hostInputLevel(msg.level);
        break;
      case 'debug/info':
        debug.setJson(msg.json);
        host.updateUiState({ debugJson: msg.json });
        break;
      case 'history/listed':
        history.setList(msg.conversations);
        break;
      case 'history/shown':
        history.show(msg.id, msg.title, msg.markdown);
        break;
      case 'tools/confirmationsChanged':
        // Shown even before any state arrived (the reducer keeps them only with one).
        if (!panel.view) toolConfirms.update(msg.confirmations);
        break;
      default:
        break;
    }
  }

  function handle(msg: ToWebview): void {
    apply(msg);
    route(msg);
  }

  store.add(host.onDidReceive(handle));
  store.add(host.onDidReject((r) => debug.setRejected(r.count, r.message)));

  // First paint: bootstrap from the HTML, else the cached state from before the panel was hidden.
  const first = parseBootstrap(app.dataset.bootstrap, (m) => console.warn(`[panel] ${m}`)) ?? host.uiState.lastState;
  if (first) apply({ type: 'restored', state: first });
  debug.setJson(host.uiState.debugJson);

  // ---------------------------------------------------------------- timers and keys
  store.add(
    interval(() => {
      session.tick();
      strip.tick();
      token.tick();
    }, 250),
  );
  const shortcuts: Record<ShortcutAction, () => void> = {
    connect: () => host.connect(),
    disconnect: () => host.disconnect(),
    toggleListening: () => void audio.toggleListening(),
    focusChat: () => chat.focus(),
    refresh: () => host.refresh(),
  };
  // Escape silences the model's voice (Stop Speaking) while it plays; otherwise Escape is left
  // alone. Capture phase on the document: a control that keeps Escape to itself (a text box, a
  // list) must not keep the voice talking.
  store.add(
    listen<KeyboardEvent>(
      document,
      'keydown',
      (e) => {
        if (e.key !== 'Escape' || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || !audio.stopSpeaking(true)) return;
        e.preventDefault();
        e.stopPropagation();
      },
      { capture: true },
    ),
  );
  store.add(
    listen<KeyboardEvent>(document, 'keydown', (e) => {
      const action = shortcutFor(e);
      if (!action) return;
      e.preventDefault();
      shortcuts[action]();
    }),
  );
  store.add(
    listen(window, 'pagehide', () => {
      // The store disposes everything even when one item throws, then rethrows: log it, the page is going anyway.
      try {
        store.dispose();
      } catch (err) {
        console.warn('[panel] dispose failed', err);
      }
    }),
  );

  host.start();
  return store;
}

const app = document.getElementById('app');
if (app) main(app);
