/**
 * A MoonTalk page: the editor panel (Open in Editor) or the side bar chat view. VS Code
 * nests a webview two iframes deep (pre/index.html, then the content frame); this finds
 * the content frame whose `#app` has the page's `data-surface` and reads it through the
 * `data-testid` hooks (the same bundle draws both pages).
 */
import * as path from 'node:path';
import type { BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { waitUntil } from '../support/processes';

export interface TranscriptLine {
  readonly role: string;
  readonly text: string;
  readonly partial: boolean;
}

export interface TokenFields {
  /** none | valid | resume-only | expired (the view's data-state). */
  readonly state: string;
  readonly badge: string;
  readonly name: string;
  readonly uses: string;
  /** Time left to start new sessions / in total, as shown ("29 min 59 s"). */
  readonly newSessionLeft: string;
  readonly totalLeft: string;
}

export type PanelTab = 'token' | 'settings' | 'debug' | 'history';

export type Meter = 'input' | 'output';

/** Which page: the editor panel or the side bar chat view (`#app[data-surface]`). */
export type Surface = 'panel' | 'view';

/**
 * What the audio probe (installAudioProbe) saw in the panel. Times are the content
 * frame's performance.now() (ms) and the AudioContext's currentTime (s).
 */
export interface AudioProbeRecord {
  /** AnalyserNodes the panel created since the probe was installed (the playback path makes one). */
  readonly analysers: number;
  readonly sampleRate: number;
  /** The analyser's window, in samples (fftSize). */
  readonly window: number;
  /** [t, currentTime, index of the last non-zero sample in the window (−1: all zero), peak |sample|], every ~2-4 ms. */
  readonly polls: ReadonlyArray<readonly [number, number, number, number]>;
  /** Each `audio/interrupted` as it reached the panel, before the panel handled it, and each Escape pressed in it. */
  readonly interrupts: ReadonlyArray<{ readonly t: number; readonly ct: number; readonly source?: 'message' | 'escape'; readonly audio?: AudioClockStop }>;
  /** [t, meter, aria-valuenow] for every change of the input and output meters. */
  readonly meters: ReadonlyArray<readonly [number, Meter, number]>;
}

/**
 * An interrupt timed on the audio clock from the long tap (0.7 s window): whether output was
 * sounding at the interrupt's currentTime, and when the first silent render quantum began,
 * relative to it (ms; null: it did not fall silent within the window). `unknown`: read too late.
 */
export interface AudioClockStop {
  readonly wasPlaying?: boolean;
  readonly silentAfterMs?: number | null;
  readonly unknown?: boolean;
}

/**
 * The audio probe's `poll`, as page source shared by both ways of installing the probe: reads
 * the first analyser's window into `probe.buf` and records [t, currentTime, last non-zero
 * sample, peak] in `probe.polls` (bounded). It expects a `probe` in scope.
 */
const PROBE_POLL_SOURCE = `const poll = () => {
        const a = probe.analysers[0];
        if (!a) return;
        if (!probe.buf || probe.buf.length !== a.fftSize) probe.buf = new Float32Array(a.fftSize);
        const buf = probe.buf;
        a.getFloatTimeDomainData(buf);
        let last = -1;
        for (let i = buf.length - 1; i >= 0; i--) if (buf[i] !== 0) { last = i; break; }
        let peak = 0;
        for (let i = 0; i <= last; i++) { const v = Math.abs(buf[i]); if (v > peak) peak = v; }
        probe.polls.push([performance.now(), a.context.currentTime, last, peak]);
        if (probe.polls.length > 40000) probe.polls.splice(0, 10000);
      };`;

export class VoiceChatPanel {
  private constructor(
    private readonly page: Page,
    private current: Frame,
    private readonly artifacts: string,
    readonly surface: Surface,
  ) {}

  /** Waits (bounded) for the page's content frame to have painted and handshaken (`#app[data-ready]`). */
  static async find(page: Page, artifacts: string, timeoutMs = 30_000, surface: Surface = 'panel'): Promise<VoiceChatPanel> {
    const frame = await VoiceChatPanel.locateFrame(page, timeoutMs, surface);
    return new VoiceChatPanel(page, frame, artifacts, surface);
  }

  private static async locateFrame(page: Page, timeoutMs: number, surface: Surface): Promise<Frame> {
    return waitUntil(`the MoonTalk ${surface} (a webview content frame with #app[data-surface=${surface}][data-ready])`, timeoutMs, async () => {
      for (const frame of page.frames()) {
        if (frame.isDetached() || !frame.url().includes('/webview/')) continue;
        const ready = await frame.evaluate(`(() => { const app = document.querySelector('#app'); return app?.getAttribute('data-ready') === 'true' && app.getAttribute('data-surface') === '${surface}'; })()`).catch(() => false);
        if (ready) return frame;
      }
      return undefined;
    });
  }

  /** The content frame; found again if VS Code rebuilt the webview (hidden and shown). */
  async frame(): Promise<Frame> {
    if (this.current.isDetached()) this.current = await VoiceChatPanel.locateFrame(this.page, 15_000, this.surface);
    return this.current;
  }

  private async locator(selector: string): Promise<Locator> {
    return (await this.frame()).locator(selector);
  }

  private async text(selector: string): Promise<string> {
    const loc = (await this.locator(selector)).first();
    return ((await loc.textContent({ timeout: 5_000 })) ?? '').replace(/\s+/g, ' ').trim();
  }

  // ---------------------------------------------------------------- session

  /** The state kind (idle, connecting, connected, handingOff, …): the session card's data-state. */
  async sessionState(): Promise<string> {
    return (await (await this.locator('section.mt-session')).getAttribute('data-state', { timeout: 5_000 })) ?? '';
  }

  /** The state as shown to the user ("Connected") and the detail line. */
  async sessionStateText(): Promise<{ label: string; detail: string; connection: string }> {
    return { label: await this.text('[data-testid=session-state]'), detail: await this.text('[data-testid=session-detail]'), connection: await this.text('[data-testid=session-connection]') };
  }

  async waitForSessionState(state: string | RegExp, timeoutMs = 15_000): Promise<void> {
    const pattern = typeof state === 'string' ? new RegExp(`^${state}$`) : state;
    let last = '';
    await waitUntil(`the panel's session state to be ${pattern}`, timeoutMs, async () => {
      last = await this.sessionState();
      return pattern.test(last) ? true : undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; it is ${JSON.stringify(last)}`);
    });
  }

  /** The goAway countdown ("7 s") while it is shown, else null. */
  async goAwayCountdown(): Promise<string | null> {
    const box = (await this.locator('[data-testid=goaway]')).first();
    if (await box.isHidden()) return null;
    return this.text('[data-testid=goaway-text]');
  }

  /**
   * Records, inside the webview, every session state and goAway countdown text the
   * panel shows from now on (a MutationObserver), so short states are not missed.
   */
  async startRecorder(): Promise<void> {
    // A string, not a function: tsx's keepNames would add a `__name` helper the page lacks.
    await (await this.frame()).evaluate(`(() => {
      const w = window;
      if (w.__moontalkPanel) w.__moontalkPanel.observer.disconnect();
      const events = [];
      const read = () => {
        const card = document.querySelector('section.mt-session');
        const state = card ? card.getAttribute('data-state') || '' : '';
        const goAway = document.querySelector('[data-testid=goaway]');
        const text = document.querySelector('[data-testid=goaway-text]');
        const countdown = goAway && !goAway.hidden ? ' goAway ' + (text ? text.textContent : '') : '';
        const entry = state + countdown;
        if (events[events.length - 1] !== entry) events.push(entry);
      };
      const observer = new MutationObserver(read);
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-state', 'hidden'] });
      read();
      w.__moontalkPanel = { events, observer };
    })()`);
  }

  /** "connected", "handingOff goAway 7 s", … as recorded since startRecorder. */
  async recorded(): Promise<string[]> {
    return (await (await this.frame()).evaluate('window.__moontalkPanel ? window.__moontalkPanel.events.slice() : []')) as string[];
  }

  /** The session card's backend line ("Gemini · API key") and the endpoint in its tooltip. */
  /** The model the session card shows (the running session's, else the one the next connect uses). */
  async sessionModel(): Promise<string> {
    return this.text('[data-testid=session-model]');
  }

  async waitForSessionModel(model: string, timeoutMs = 15_000): Promise<void> {
    let last = '';
    await waitUntil(`the panel to show the model ${model}`, timeoutMs, async () => {
      last = await this.sessionModel();
      return last === model ? true : undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; it shows ${JSON.stringify(last)}`);
    });
  }

  async backendShown(): Promise<{ label: string; baseUrl: string }> {
    const dd = (await this.locator('[data-testid=session-backend]')).first();
    return { label: await this.text('[data-testid=session-backend]'), baseUrl: (await dd.getAttribute('title', { timeout: 5_000 })) ?? '' };
  }

  /** Waits until the panel says the next connection goes to `baseUrl` (settings are applied). */
  async waitForBaseUrl(baseUrl: string, timeoutMs = 15_000): Promise<void> {
    let last = { label: '', baseUrl: '' };
    await waitUntil(`the panel to show the endpoint ${baseUrl}`, timeoutMs, async () => {
      last = await this.backendShown();
      return last.baseUrl === baseUrl ? true : undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; it shows ${JSON.stringify(last)}`);
    });
  }

  // ---------------------------------------------------------------- voice

  /** Clicks the panel's Start / Stop Listening button (a real click: the user gesture that lets audio start). */
  async clickMicButton(): Promise<void> {
    await (await this.locator('[data-testid=mic-button]')).click({ timeout: 5_000 });
  }

  /** Whether the Voice processing switch is on (it mirrors moontalk.audio.voiceProcessing). */
  async voiceProcessing(): Promise<boolean> {
    return (await this.locator('[data-testid=voice-processing]')).first().evaluate((el) => (el as unknown as { checked: boolean }).checked === true);
  }

  /** Clicks the Voice processing switch until it shows `on` (the panel writes the setting and hears it back). */
  async setVoiceProcessing(on: boolean, timeoutMs = 10_000): Promise<void> {
    if ((await this.voiceProcessing()) !== on) await (await this.locator('[data-testid=voice-processing]')).first().click({ timeout: 5_000 });
    await waitUntil(`the Voice processing switch to show ${on ? 'on' : 'off'}`, timeoutMs, async () => ((await this.voiceProcessing()) === on ? true : undefined));
  }

  /** The content frame's performance.now(): the clock the audio probe's times are on. */
  async now(): Promise<number> {
    return (await (await this.frame()).evaluate('performance.now()')) as number;
  }

  /** Presses Escape in the chat box (the panel's Stop Speaking key). */
  async pressEscape(): Promise<void> {
    await (await this.locator('[data-testid=chat-input] textarea')).press('Escape', { timeout: 5_000 });
  }

  /** The Stop Speaking button: enabled while the model's voice plays. */
  async stopSpeakingButton(): Promise<{ disabled: boolean; label: string }> {
    const b = (await this.locator('[data-testid=stop-speaking-button]')).first();
    const disabled = (await b.getAttribute('disabled', { timeout: 5_000 })) !== null || (await b.getAttribute('aria-disabled')) === 'true';
    return { disabled, label: (await b.getAttribute('aria-label')) ?? ((await b.textContent()) ?? '').trim() };
  }

  /** The Voice card's line that says where the microphone is ("Microphone: this panel, for dictation …"). */
  async audioStatusText(): Promise<string> {
    const line = (await this.locator('[data-testid=audio-status]')).first();
    return ((await line.textContent({ timeout: 5_000 })) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The mic button's state: its label and aria-pressed. */
  async micButton(): Promise<{ label: string; pressed: boolean; disabled: boolean }> {
    const button = (await this.locator('[data-testid=mic-button]')).first();
    return {
      label: ((await button.textContent({ timeout: 5_000 })) ?? '').trim(),
      pressed: (await button.getAttribute('aria-pressed')) === 'true',
      disabled: (await button.getAttribute('disabled')) !== null,
    };
  }

  async waitForListening(listening: boolean, timeoutMs = 15_000): Promise<void> {
    let last = { label: '', pressed: false, disabled: false };
    await waitUntil(`the mic button to show ${listening ? 'Stop' : 'Start'} Listening`, timeoutMs, async () => {
      last = await this.micButton();
      // Not disabled: the button is disabled while the microphone (re)opens, and a click then does nothing.
      return last.pressed === listening && !last.disabled && last.label === (listening ? 'Stop Listening' : 'Start Listening') ? true : undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; it is ${JSON.stringify(last)}`);
    });
  }

  /** A level meter's position, 0..100 (its aria-valuenow). */
  async meterLevel(meter: Meter): Promise<number> {
    return Number(await (await this.locator(`[data-testid=${meter}-meter]`)).getAttribute('aria-valuenow', { timeout: 5_000 }));
  }

  /** Polls (every 25 ms) until the meter is above zero; returns the level seen. */
  async waitForMeterAboveZero(meter: Meter, timeoutMs: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      const level = await this.meterLevel(meter);
      if (level > 0) return level;
      if (Date.now() - started > timeoutMs) throw new Error(`the ${meter} meter stayed at 0 for ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** The panel's audio diagnostics: AudioContext state and rate ("running@44100 capturing", "… capturing unprocessed" without voice processing), or "none". */
  async audioContext(): Promise<string> {
    return (await (await this.locator('section.mt-audio')).getAttribute('data-context', { timeout: 5_000 })) ?? '';
  }

  /**
   * Instruments the panel's audio output, in the page: a tap on every AnalyserNode the
   * panel creates from now on (the playback path's analyser, the one that drives the
   * output meter) sampled every few milliseconds, the arrival of each
   * `audio/interrupted` message (a capturing listener runs before the panel's own),
   * and every change of the two meters (a MutationObserver). Must run before the panel
   * plays its first audio: the playback graph is built then, once per webview.
   */
  async installAudioProbe(): Promise<void> {
    // A string, not a function: tsx's keepNames would add a `__name` helper the page lacks.
    const installed = await (await this.frame()).evaluate(`(() => {
      const w = window;
      if (w.__mtAudioProbe) return w.__mtAudioProbe.analysers.length === 0;
      const probe = { analysers: [], polls: [], interrupts: [], meters: [], buf: null, timer: 0, observer: null, long: null, longBuf: null, longTimer: 0 };
      const create = BaseAudioContext.prototype.createAnalyser;
      BaseAudioContext.prototype.createAnalyser = function () {
        const node = create.call(this);
        probe.analysers.push(node);
        if (probe.analysers.length === 1) {
          // A second tap with the longest window (32768 samples, about 0.7 s): read every 40 ms, it
          // still holds the moment of an interrupt when a busy page polls late, so the silence is
          // timed on the audio clock whatever the main thread was doing.
          const long = create.call(this);
          long.fftSize = 32768;
          node.connect(long);
          probe.long = long;
        }
        return node;
      };
      ${PROBE_POLL_SOURCE}
      window.addEventListener('message', (e) => {
        const d = e.data;
        if (!d || typeof d !== 'object' || d.type !== 'audio/interrupted') return;
        const a = probe.analysers[0];
        probe.interrupts.push({ t: performance.now(), ct: a ? a.context.currentTime : -1, source: 'message' });
        poll();
      }, true);
      // Escape in the panel (Stop Speaking) flushes playback without a message: timed the same way.
      window.addEventListener('keydown', (e) => {
        if (e.key !== 'Escape') return;
        const a = probe.analysers[0];
        probe.interrupts.push({ t: performance.now(), ct: a ? a.context.currentTime : -1, source: 'escape' });
        poll();
      }, true);
      probe.timer = setInterval(poll, 2);
      const quantum = 128;
      const longPoll = () => {
        const a = probe.long;
        if (!a) return;
        if (!probe.longBuf) probe.longBuf = new Float32Array(a.fftSize);
        const buf = probe.longBuf;
        a.getFloatTimeDomainData(buf);
        const now = a.context.currentTime;
        const rate = a.context.sampleRate;
        for (const i of probe.interrupts) {
          if (i.audio || i.ct < 0) continue;
          const ago = now - i.ct;
          if (ago < 0.1) continue;
          if (ago > (buf.length - 4 * quantum) / rate) { i.audio = { unknown: true }; continue; }
          const at = Math.round(buf.length - 1 - ago * rate);
          let sound = false;
          for (let k = Math.max(0, at - 2 * quantum); k <= at; k++) if (buf[k] !== 0) { sound = true; break; }
          let silentFrom = -1;
          let run = 0;
          for (let k = Math.max(0, at - 2 * quantum); k < buf.length; k++) {
            run = buf[k] === 0 ? run + 1 : 0;
            if (run >= quantum) { silentFrom = k - quantum + 1; break; }
          }
          i.audio = { wasPlaying: sound, silentAfterMs: silentFrom < 0 ? null : ((silentFrom - at) / rate) * 1000 };
        }
      };
      probe.longTimer = setInterval(longPoll, 40);
      const meters = [['input', document.querySelector('[data-testid=input-meter]')], ['output', document.querySelector('[data-testid=output-meter]')]];
      const shown = {};
      const read = () => {
        for (const [name, el] of meters) {
          if (!el) continue;
          const v = Number(el.getAttribute('aria-valuenow'));
          if (shown[name] !== v) probe.meters.push([performance.now(), name, v]);
          shown[name] = v;
        }
        if (probe.meters.length > 20000) probe.meters.splice(0, 5000);
      };
      probe.observer = new MutationObserver(read);
      for (const [, el] of meters) if (el) probe.observer.observe(el, { attributes: true, attributeFilter: ['aria-valuenow'] });
      read();
      w.__mtAudioProbe = probe;
      return true;
    })()`);
    if (!installed) throw new Error('the panel built its playback graph before the audio probe was installed: reopen the panel first');
  }

  /**
   * The same probe for a page that plays as soon as it loads (an answer replayed to a
   * chat view that came up for it), where there is no moment to install it before the
   * playback graph is built: an init script taps createAnalyser in every frame before
   * the frame's own scripts run. Meters are not recorded (the DOM is not there yet).
   */
  static async installAudioProbeInEveryFrame(context: BrowserContext): Promise<void> {
    await context.addInitScript(`(() => {
      const w = window;
      if (w.__mtAudioProbe || typeof BaseAudioContext === 'undefined') return;
      const probe = { analysers: [], polls: [], interrupts: [], meters: [], buf: null, timer: 0, observer: null };
      ${PROBE_POLL_SOURCE}
      const create = BaseAudioContext.prototype.createAnalyser;
      BaseAudioContext.prototype.createAnalyser = function () {
        const node = create.call(this);
        probe.analysers.push(node);
        if (!probe.timer) probe.timer = setInterval(poll, 2);
        return node;
      };
      w.__mtAudioProbe = probe;
    })()`);
  }

  async audioProbe(): Promise<AudioProbeRecord> {
    const record = (await (await this.frame()).evaluate(`(() => {
      const p = window.__mtAudioProbe;
      if (!p) return null;
      const a = p.analysers[0];
      return { analysers: p.analysers.length, sampleRate: a ? a.context.sampleRate : 0, window: a ? a.fftSize : 0, polls: p.polls.slice(), interrupts: p.interrupts.slice(), meters: p.meters.slice() };
    })()`)) as AudioProbeRecord | null;
    if (!record) throw new Error('no audio probe in the panel (installAudioProbe first)');
    return record;
  }

  /** Stops the probe's sampling and observer (the analyser tap stays; it is harmless). */
  async stopAudioProbe(): Promise<void> {
    if (this.current.isDetached()) return;
    await this.current.evaluate(`(() => {
      const p = window.__mtAudioProbe;
      if (!p) return;
      clearInterval(p.timer);
      clearInterval(p.longTimer);
      if (p.observer) p.observer.disconnect();
    })()`);
  }

  // ---------------------------------------------------------------- conversation

  async transcript(): Promise<TranscriptLine[]> {
    return (await (await this.frame()).evaluate(`Array.from(document.querySelectorAll('[data-testid=transcript] article.mt-entry'), (el) => ({
      role: el.getAttribute('data-role') || '',
      text: ((el.querySelector('.mt-entry-text') || {}).textContent || '').trim(),
      partial: el.classList.contains('mt-partial'),
    }))`)) as TranscriptLine[];
  }

  /** Scrolls the transcript to its newest entry, as the End key in it does (for screenshots after scrolling away). */
  async scrollTranscriptToEnd(): Promise<void> {
    const list = (await this.frame()).locator('[data-testid=transcript]');
    await list.focus();
    await list.press('End');
  }

  /** The source links (Google Search grounding) under the model entry whose text matches `pattern`. */
  async sourceLinks(pattern: RegExp): Promise<Array<{ title: string; href: string; tooltip: string }>> {
    const frame = await this.frame();
    const entries = frame.locator('[data-testid=transcript] article.mt-entry[data-role=model]').filter({ has: frame.locator('.mt-entry-text', { hasText: pattern }) });
    const links = entries.last().locator('[data-testid=sources] a');
    const out: Array<{ title: string; href: string; tooltip: string }> = [];
    for (let i = 0; i < (await links.count()); i++) {
      const link = links.nth(i);
      out.push({ title: ((await link.textContent()) ?? '').trim(), href: (await link.getAttribute('href')) ?? '', tooltip: (await link.getAttribute('title')) ?? '' });
    }
    return out;
  }

  /** Waits for a complete (not streaming) entry of `role` whose text matches. */
  async waitForTranscriptEntry(role: string, pattern: RegExp, timeoutMs = 15_000): Promise<TranscriptLine> {
    try {
      return await waitUntil(`a ${role} transcript entry matching ${pattern}`, timeoutMs, async () =>
        (await this.transcript()).find((e) => e.role === role && !e.partial && pattern.test(e.text)),
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; the transcript: ${JSON.stringify(await this.transcript())}`);
    }
  }

  /**
   * Types `text` into the panel's message box and sends it with Enter. Waits first for
   * Send to be enabled (the panel enables it only while connected).
   */
  async sendMessage(text: string, timeoutMs = 15_000): Promise<void> {
    const frame = await this.frame();
    const send = frame.locator('[data-testid=chat-send]');
    const field = frame.locator('[data-testid=chat-input] textarea');
    await field.fill(text, { timeout: timeoutMs });
    await waitUntil('Send to be enabled (connected, text typed)', timeoutMs, async () => ((await send.getAttribute('disabled')) === null && (await send.getAttribute('aria-disabled')) !== 'true' ? true : undefined));
    await field.press('Enter');
    // The box is cleared only once the message was handed to the host.
    await waitUntil('the message box to clear after sending', 5_000, async () => ((await field.inputValue()) === '' ? true : undefined));
  }

  /** The code blocks of the answers (Markdown): language, code, and each button's label, tooltip and state. */
  async codeBlocks(): Promise<Array<{ language: string; code: string; buttons: Array<{ testid: string; label: string; title: string; disabled: boolean }> }>> {
    return (await (await this.frame()).evaluate(`Array.from(document.querySelectorAll('[data-testid=transcript] article.mt-entry[data-role=model] .mt-code'), (block) => ({
      language: ((block.querySelector('.mt-code-lang') || {}).textContent || ''),
      code: ((block.querySelector('pre') || {}).textContent || ''),
      buttons: Array.from(block.querySelectorAll('.mt-code-bar [data-testid]'), (b) => ({
        testid: b.getAttribute('data-testid') || '',
        label: (b.textContent || '').trim(),
        title: b.getAttribute('title') || '',
        disabled: b.hasAttribute('disabled'),
      })),
    }))`)) as Array<{ language: string; code: string; buttons: Array<{ testid: string; label: string; title: string; disabled: boolean }> }>;
  }

  /** Clicks Copy or Insert at Cursor on the last code block of the answers. */
  async clickCodeButton(which: 'copy' | 'insert'): Promise<void> {
    const frame = await this.frame();
    await frame.locator(`[data-testid=transcript] article.mt-entry[data-role=model] .mt-code [data-testid=code-${which}]`).last().click({ timeout: 5_000 });
  }

  /** The label a code block button shows now (Copy turns into "Copied" for a moment). */
  async codeButtonLabel(which: 'copy' | 'insert'): Promise<string> {
    const frame = await this.frame();
    return ((await frame.locator(`[data-testid=transcript] article.mt-entry[data-role=model] .mt-code [data-testid=code-${which}]`).last().textContent({ timeout: 5_000 })) ?? '').trim();
  }

  // ---------------------------------------------------------------- tool questions

  /** Titles of the tool calls waiting for the user's Allow / Deny, inline above the chat. */
  async toolQuestions(): Promise<string[]> {
    const frame = await this.frame();
    if (await frame.locator('[data-testid=tool-confirms]').isHidden()) return [];
    return (await frame.locator('[data-testid=tool-confirms] .mt-tool-title').allTextContents()).map((t) => t.trim());
  }

  async waitForToolQuestion(timeoutMs = 10_000): Promise<string> {
    return waitUntil('a tool question in the panel', timeoutMs, async () => (await this.toolQuestions())[0]);
  }

  /** Answers the first waiting tool question. */
  async answerToolQuestion(allow: boolean): Promise<void> {
    const frame = await this.frame();
    await frame.locator(`[data-testid=tool-confirms] [data-testid=${allow ? 'tool-allow' : 'tool-deny'}]`).first().click({ timeout: 5_000 });
  }

  // ---------------------------------------------------------------- history

  /** The History tab's conversations, newest first: title and id. */
  async historyItems(): Promise<Array<{ id: string; title: string }>> {
    return (await (await this.frame()).evaluate(`Array.from(document.querySelectorAll('[data-testid=history-list] .mt-history-item'), (el) => ({
      id: el.getAttribute('data-id') || '',
      title: ((el.querySelector('.mt-history-line') || {}).textContent || '').trim(),
    }))`)) as Array<{ id: string; title: string }>;
  }

  async waitForHistoryItem(title: string, timeoutMs = 10_000): Promise<{ id: string; title: string }> {
    try {
      return await waitUntil(`a History item titled ${JSON.stringify(title)}`, timeoutMs, async () => (await this.historyItems()).find((i) => i.title === title));
    } catch (err) {
      throw new Error(`${(err as Error).message}; the list: ${JSON.stringify(await this.historyItems())}`);
    }
  }

  /** Selects a conversation in the History tab; resolves when its Markdown is shown. */
  async openHistoryItem(id: string, timeoutMs = 10_000): Promise<string> {
    const frame = await this.frame();
    await frame.locator(`[data-testid=history-list] .mt-history-item[data-id="${id}"]`).click({ timeout: 5_000 });
    const body = frame.locator('[data-testid=history-body]');
    await waitUntil('the selected conversation to show', timeoutMs, async () => ((await body.isVisible()) && ((await body.textContent()) ?? '').trim() !== '' ? true : undefined));
    return this.historyBody();
  }

  /** The shown conversation's Markdown, as the panel shows it (text). */
  async historyBody(): Promise<string> {
    return ((await (await this.locator('[data-testid=history-body]')).textContent({ timeout: 5_000 })) ?? '').trim();
  }

  /** Export… on the shown conversation (the host then opens its save dialog). */
  async exportShownConversation(): Promise<void> {
    await (await this.locator('[data-testid=history-export]')).click({ timeout: 5_000 });
  }

  // ---------------------------------------------------------------- tabs: token, debug, history

  async openTab(tab: PanelTab): Promise<void> {
    const frame = await this.frame();
    await frame.locator(`#tab-${tab}`).click({ timeout: 5_000 });
    await waitUntil(`the ${tab} tab to show`, 5_000, async () => ((await frame.locator(`#view-${tab}`).isVisible()) ? true : undefined));
  }

  async tokenFields(): Promise<TokenFields> {
    const frame = await this.frame();
    const view = frame.locator('[data-testid=token-view]');
    // The two time-left texts have no test id; their progress bars carry the same text (product gap, see the report).
    const leftOf = async (label: string) => ((await view.locator(`[role=progressbar][aria-label="${label}"]`).getAttribute('aria-valuetext', { timeout: 5_000 })) ?? '').replace(/ left$/, '');
    return {
      state: (await view.getAttribute('data-state', { timeout: 5_000 })) ?? '',
      badge: ((await view.locator('.mt-row').first().locator('vscode-badge, .mt-badge').first().textContent()) ?? '').trim(),
      name: await this.text('[data-testid=token-name]'),
      uses: await this.text('[data-testid=token-uses]'),
      newSessionLeft: await leftOf('Time left to start a new session with this token'),
      totalLeft: await leftOf('Time left before this token expires'),
    };
  }

  /** The debug view's count of dropped (invalid) host messages. */
  async rejectedCount(): Promise<number> {
    const text = await this.text('[data-testid=rejected-count]');
    if (/^No invalid messages$/.test(text)) return 0;
    const m = /^(\d+) invalid messages? dropped$/.exec(text);
    if (!m) throw new Error(`unexpected rejected-count text: ${JSON.stringify(text)}`);
    return Number(m[1]);
  }

  /** The last rejection's validation message (the count's tooltip). */
  async lastRejection(): Promise<string> {
    return ((await (await this.locator('[data-testid=rejected-count]')).getAttribute('title')) ?? '').trim();
  }

  async debugJson(): Promise<string> {
    return ((await (await this.locator('[data-testid=debug-json]')).textContent()) ?? '').trim();
  }

  /**
   * Delivers `data` to the panel exactly as a host message arrives: a `message`
   * event on the content frame's window, which the panel's HostChannel validates.
   */
  async dispatchRawMessage(data: unknown): Promise<void> {
    // A string (this Node-typed project has no DOM lib); `data` travels as JSON, like postMessage's clone of it.
    await (await this.frame()).evaluate(`window.dispatchEvent(new MessageEvent('message', { data: ${JSON.stringify(data)} }))`);
  }

  /** The chat view's session strip: state, countdown (when shown), the dictation badge (when shown) and model. */
  async strip(): Promise<{ state: string; countdown: string | null; dictating: string | null; model: string }> {
    return (await (await this.frame()).evaluate(`(() => {
      const q = (id) => document.querySelector('[data-testid=' + id + ']');
      const shown = (el) => (el && !el.hidden ? el.textContent : null);
      return { state: q('strip-state')?.textContent ?? '', countdown: shown(q('strip-countdown')), dictating: shown(q('strip-dictating')), model: q('strip-model')?.textContent ?? '' };
    })()`)) as { state: string; countdown: string | null; dictating: string | null; model: string };
  }

  /** Opens or closes the chat view's Details fold (by its summary, as a user does). */
  async setDetailsOpen(open: boolean): Promise<void> {
    const frame = await this.frame();
    const isOpen = async () => (await frame.evaluate(`document.querySelector('[data-testid=details]')?.open === true`)) as boolean;
    if ((await isOpen()) !== open) await frame.locator('[data-testid=details] > summary').click();
    await waitUntil(`Details to be ${open ? 'open' : 'closed'}`, 5_000, async () => ((await isOpen()) === open ? true : undefined));
  }

  /** Waits (bounded) until the page's body carries the theme class VS Code sets (vscode-dark, vscode-light, vscode-high-contrast). */
  async waitForTheme(themeClass: string, timeoutMs = 15_000): Promise<void> {
    await waitUntil(`the page to take the ${themeClass} theme`, timeoutMs, async () =>
      (await (await this.frame()).evaluate(`document.body.classList.contains('${themeClass}')`)) ? true : undefined,
    );
  }

  /** All of the panel's text, hidden tabs included (to check no secret is in it). */
  async allText(): Promise<string> {
    return (await (await this.frame()).evaluate('document.body.textContent')) as string;
  }

  /** Saves `<name>-panel.png`: the panel's editor area alone. */
  async screenshot(name: string): Promise<string> {
    const file = path.join(this.artifacts, `${name}-${this.surface}.png`);
    await this.page.locator(this.surface === 'view' ? '.part.sidebar, .part.auxiliarybar' : '.part.editor').first().screenshot({ path: file });
    return file;
  }
}
