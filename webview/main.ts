/**
 * Webview entry point: wiring only. Paints the bootstrap state embedded in the HTML
 * (so the first frame is already right, before `init` arrives), builds the views,
 * connects the host channel and the audio, feeds each message through the panel's
 * reducer (panelState.ts: the state, what the views show, and the notices a message
 * causes), and owns every disposable: views, timers, listeners and audio nodes are
 * released on pagehide.
 */
import { DisposableStore, toDisposable } from '../src/common/disposable';
import type { FullState, ToWebview } from '../src/protocol/messages';
import { AudioEngine } from './audio/audioEngine';
import { CaptureController, type CaptureOptions } from './audio/captureController';
import { levelToMeter } from './audio/pcm';
import { PlaybackController } from './audio/playbackController';
import { parseBootstrap, parseWorklets } from './bootstrap';
import { HostChannel } from './hostChannel';
import { interval, listen } from './lifecycle';
import { shortcutFor, type ShortcutAction } from './shortcuts';
import { chatAccepts, gaugeInput, INITIAL_PANEL_STATE, inputMeterRests, isListening, notices, reduce, sameGauge, sendsAudio, voiceProcessing, type GaugeInput, type Notice, type PanelInput, type PanelState } from './panelState';
import { AudioPanel } from './ui/audioView';
import { ChatInput } from './ui/chatInput';
import { registerComponents } from './ui/components';
import { ContextGauge } from './ui/contextGauge';
import { DebugView } from './ui/debugView';
import { ErrorBanner } from './ui/errorBanner';
import { HistoryPanel } from './ui/historyView';
import { panelLayout } from './ui/layout';
import { LiveRegion } from './ui/liveRegion';
import { SessionPanel } from './ui/sessionView';
import { SettingsPanel } from './ui/settingsView';
import { TokenPanel } from './ui/tokenView';
import { ToolConfirmPanel } from './ui/toolConfirmView';
import { TranscriptPanel } from './ui/transcriptView';

/** Sends the input level to the host at most this often. */
const LEVEL_TO_HOST_MS = 200;

export function main(app: HTMLElement, api = acquireVsCodeApi()): DisposableStore {
  const store = new DisposableStore();
  registerComponents();
  const host = store.add(new HostChannel(api));
  const live = store.add(new LiveRegion());
  const banner = store.add(new ErrorBanner(host));
  const session = store.add(new SessionPanel(host));
  const token = store.add(new TokenPanel(host));
  const settings = store.add(new SettingsPanel(host));
  const gauge = store.add(new ContextGauge());
  const debug = store.add(new DebugView(host));
  const history = store.add(new HistoryPanel(host));
  const toolConfirms = store.add(new ToolConfirmPanel(host, (text) => live.announce(text)));
  const transcript = store.add(new TranscriptPanel(host.uiState.followTranscript, (follow) => host.updateUiState({ followTranscript: follow })));
  const chat = store.add(
    new ChatInput({
      draft: host.uiState.draft,
      onDraft: (draft) => host.updateUiState({ draft }),
      onSend: (text) => host.send(text),
    }),
  );

  // ---------------------------------------------------------------- audio
  const engine = store.add(new AudioEngine(parseWorklets(app.dataset.worklets)));
  let lastLevelSent = 0;
  const capture = store.add(
    new CaptureController(engine, {
      frame: (seq, pcm, level) => {
        // Muted: the meter keeps moving, nothing leaves the panel.
        if (sendsAudio(panel.view)) host.sendAudio(seq, pcm);
        audio.setInputLevel(levelToMeter(level));
        const now = performance.now();
        if (now - lastLevelSent >= LEVEL_TO_HOST_MS) {
          lastLevelSent = now;
          host.inputLevel(level);
        }
      },
    }, () => {
      host.stopAudio();
      banner.show('The microphone stopped (it was disconnected or access was revoked). Press Start Listening to try again.');
      renderAudio();
    }),
  );
  const playback = store.add(new PlaybackController(engine, host.uiState.volume));
  let panel: PanelState = INITIAL_PANEL_STATE;
  let captureBusy = false;

  const listening = () => isListening(panel.view, capture.active);
  const renderAudio = () => {
    if (panel.view) audio.update(panel.view.audio, listening(), captureBusy);
  };

  async function toggleListening(): Promise<void> {
    const state = panel.view;
    if (!state || captureBusy) return;
    void engine.resume();
    if (listening()) {
      capture.stop();
      audio.setInputLevel(0);
      host.stopAudio();
      live.announce('Stopped listening');
      renderAudio();
      return;
    }
    if (state.audio.captureBackend === 'webview' && !(await openMicrophone())) return;
    host.startAudio();
    live.announce('Listening');
    renderAudio();
  }

  function captureOptions(): CaptureOptions {
    return { deviceId: host.uiState.micDeviceId ?? '', voiceProcessing: voiceProcessing(panel.view) };
  }

  /** Reopens a running capture when the voice-processing setting changed under it. */
  function applyVoiceProcessing(): void {
    const wanted = captureOptions().voiceProcessing;
    audio.setVoiceProcessing(wanted);
    const running = capture.options;
    if (running && running.voiceProcessing !== wanted) {
      capture.stop();
      void startCaptureForHost();
    }
  }

  /** Opens the chosen microphone here; a failure is told to the host and shown. Returns whether capture runs. */
  async function openMicrophone(): Promise<boolean> {
    captureBusy = true;
    renderAudio();
    const result = await capture.start(captureOptions());
    captureBusy = false;
    if (!result.ok) {
      host.captureFailed(result.message);
      banner.show(result.message);
    }
    renderAudio();
    return result.ok;
  }

  /** Capture asked for by the host rather than by a click here; the first key or click resumes audio if the browser held it. */
  async function startCaptureForHost(): Promise<void> {
    void engine.resume();
    await openMicrophone();
  }

  const audio = store.add(
    new AudioPanel({
      volume: host.uiState.volume,
      onToggleListening: () => void toggleListening(),
      onVolume: (v) => {
        playback.setVolume(v);
        host.updateUiState({ volume: v });
      },
      onMute: (muted) => host.setMuted(muted),
      deviceId: host.uiState.micDeviceId ?? '',
      voiceProcessing: true, // the state's value arrives with applyFull below
      onVoiceProcessing: (on) => host.updateSettings({ voiceProcessing: on }),
      onDevice: (deviceId) => {
        host.updateUiState({ micDeviceId: deviceId });
        // Switching microphones while listening reopens capture on the new one.
        if (capture.active) {
          capture.stop();
          void startCaptureForHost();
        }
      },
    }),
  );
  const refreshDevices = () => void CaptureController.listInputs().then((d) => audio.setDevices(d));
  refreshDevices();
  if (navigator.mediaDevices) store.add(listen(navigator.mediaDevices, 'devicechange', refreshDevices));

  // ---------------------------------------------------------------- layout
  const layout = panelLayout({
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
    onTab: (id) => host.updateUiState({ activeTab: id }),
  });
  app.replaceChildren(layout);
  store.add(toDisposable(() => layout.remove()));

  // ---------------------------------------------------------------- state
  let gaugeShown: GaugeInput | null = null;
  let chatShown: boolean | null = null;

  /** Updates the views whose part of the state changed (the reducer replaces what a message changes). */
  function render(prev: FullState | null, next: FullState, input: PanelInput): void {
    if (input.type === 'init' || input.type === 'restored') transcript.reset(next.transcript);
    else if (input.type === 'transcript/cleared') transcript.reset([]);
    if (prev?.session !== next.session || prev.hasApiKey !== next.hasApiKey) session.update(next.session, next.hasApiKey);
    if (prev?.token !== next.token || prev.settings.useEphemeralTokens !== next.settings.useEphemeralTokens) token.update(next.token, next.settings.useEphemeralTokens);
    if (prev?.settings !== next.settings) {
      settings.update(next.settings);
      applyVoiceProcessing();
    }
    const shown = gaugeInput(next);
    if (!sameGauge(gaugeShown, shown)) gauge.update(shown.lastUsageTotal, shown.triggerTokens, shown.compressionEnabled);
    gaugeShown = shown;
    if (prev?.toolConfirmations !== next.toolConfirmations) toolConfirms.update(next.toolConfirmations ?? []);
    if (chatShown !== chatAccepts(next)) chat.setConnected((chatShown = chatAccepts(next)));
    if (prev?.audio !== next.audio) renderAudio();
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
        if (capture.active) {
          capture.stop();
          renderAudio(); // render ran before this notice, while capture was still on
        }
        break;
      case 'startCapture':
        if (!capture.active && !captureBusy) void startCaptureForHost();
        break;
      case 'resetInputLevel':
        audio.setInputLevel(0);
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
      case 'transcript/updated':
        transcript.upsert(msg.entry);
        break;
      case 'audio/play':
        playback.play(msg.pcm);
        break;
      case 'audio/interrupted':
        playback.interrupt();
        break;
      case 'audio/inputLevel':
        // Host capture (a system recorder): the level comes from the extension host.
        if (!capture.active) audio.setInputLevel(levelToMeter(msg.level));
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
      token.tick();
    }, 250),
  );
  let outputShown = 0;
  store.add(
    interval(() => {
      const pos = levelToMeter(playback.outputLevel());
      // Skip DOM writes while silent and already at zero.
      if (pos !== 0 || outputShown !== 0) audio.setOutputLevel(pos);
      outputShown = pos;
      // No capture here and no host capture running: the input meter rests at zero.
      if (inputMeterRests(panel.view, capture.active, captureBusy)) audio.setInputLevel(0);
      // Diagnostics for tests and bug reports: context state and rate, capture on/off (and unprocessed).
      const ctx = engine.existing;
      const capturing = capture.active ? (capture.options?.voiceProcessing === false ? ' capturing unprocessed' : ' capturing') : '';
      const diag = ctx ? `${ctx.state}@${ctx.sampleRate}${capturing}` : 'none';
      if (audio.element.dataset.context !== diag) audio.element.dataset.context = diag;
    }, 100),
  );
  const shortcuts: Record<ShortcutAction, () => void> = {
    connect: () => host.connect(),
    disconnect: () => host.disconnect(),
    toggleListening: () => void toggleListening(),
    focusChat: () => chat.focus(),
    refresh: () => host.refresh(),
  };
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
