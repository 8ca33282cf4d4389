/**
 * The MoonTalk Voice Chat panel. VS Code nests a webview two iframes deep
 * (pre/index.html, then the content frame); this finds the content frame that holds
 * the panel's `#app` and reads it through the panel's `data-testid` hooks.
 */
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
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

export type PanelTab = 'token' | 'settings' | 'debug';

export class VoiceChatPanel {
  private constructor(
    private readonly page: Page,
    private current: Frame,
    private readonly artifacts: string,
  ) {}

  /** Waits (bounded) for the panel's content frame to have painted and handshaken (`#app[data-ready]`). */
  static async find(page: Page, artifacts: string, timeoutMs = 30_000): Promise<VoiceChatPanel> {
    const frame = await VoiceChatPanel.locateFrame(page, timeoutMs);
    return new VoiceChatPanel(page, frame, artifacts);
  }

  private static async locateFrame(page: Page, timeoutMs: number): Promise<Frame> {
    return waitUntil('the MoonTalk panel (a webview content frame with #app[data-ready])', timeoutMs, async () => {
      for (const frame of page.frames()) {
        if (frame.isDetached() || !frame.url().includes('/webview/')) continue;
        const ready = await frame.evaluate(`document.querySelector('#app')?.getAttribute('data-ready') === 'true'`).catch(() => false);
        if (ready) return frame;
      }
      return undefined;
    });
  }

  /** The content frame; found again if VS Code rebuilt the webview (hidden and shown). */
  async frame(): Promise<Frame> {
    if (this.current.isDetached()) this.current = await VoiceChatPanel.locateFrame(this.page, 15_000);
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

  // ---------------------------------------------------------------- conversation

  async transcript(): Promise<TranscriptLine[]> {
    return (await (await this.frame()).evaluate(`Array.from(document.querySelectorAll('[data-testid=transcript] article.mt-entry'), (el) => ({
      role: el.getAttribute('data-role') || '',
      text: ((el.querySelector('.mt-entry-text') || {}).textContent || '').trim(),
      partial: el.classList.contains('mt-partial'),
    }))`)) as TranscriptLine[];
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

  // ---------------------------------------------------------------- tabs: token, debug

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

  /** All of the panel's text, hidden tabs included (to check no secret is in it). */
  async allText(): Promise<string> {
    return (await (await this.frame()).evaluate('document.body.textContent')) as string;
  }

  /** Saves `<name>-panel.png`: the panel's editor area alone. */
  async screenshot(name: string): Promise<string> {
    const file = path.join(this.artifacts, `${name}-panel.png`);
    await this.page.locator('.part.editor').screenshot({ path: file });
    return file;
  }
}
