/**
 * Renders the webview panel outside VS Code: serves test/fixtures/webview-harness.html
 * on 127.0.0.1 (port 0) with the panel's CSP, a VS Code theme stylesheet (dark,
 * light, high contrast) and a fake acquireVsCodeApi that answers `ready` with
 * `init`; then drives Debian's Chromium through playwright-core to take screenshots
 * and check the basics (no CSP violations, toolkit registered, Enter sends,
 * microphone frames, playback reaches the analyser).
 *
 *   node esbuild.mjs && npx tsx test/e2e/webviewHarness.ts
 *   npx tsx test/e2e/webviewHarness.ts --serve    (serve only; prints the URL)
 *
 * Screenshots go to test-results/ (git-ignored). Exit code 1 when a check fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { FullState, ToWebview } from '../../src/protocol/messages';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';

const ROOT = resolve(__dirname, '../..');
const OUT = join(ROOT, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 15_000;

type Theme = 'dark' | 'light' | 'hc';

const THEMES: Record<Theme, { bodyClass: string; vars: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      foreground: '#cccccc', 'editor-background': '#1f1f1f', 'sideBar-background': '#181818', 'panel-background': '#181818', 'panel-border': '#2b2b2b', 'widget-border': '#313131',
      descriptionForeground: '#9d9d9d', errorForeground: '#f85149', focusBorder: '#0078d4', 'progressBar-background': '#0078d4',
      'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-border': '#ffffff12',
      'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
      'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'input-placeholderForeground': '#989898',
      'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100', 'inputValidation-errorForeground': '#cccccc',
      'checkbox-background': '#313131', 'checkbox-border': '#3c3c3c', 'checkbox-foreground': '#cccccc',
      'dropdown-background': '#313131', 'dropdown-border': '#3c3c3c', 'dropdown-foreground': '#cccccc', 'dropdown-listBackground': '#1f1f1f',
      'badge-background': '#616161', 'badge-foreground': '#f8f8f8',
      'panelTitle-activeForeground': '#cccccc', 'panelTitle-activeBorder': '#0078d4', 'panelTitle-inactiveForeground': '#9d9d9d',
      'textLink-foreground': '#4daafc', 'textBlockQuote-background': '#2b2b2b', 'textBlockQuote-border': '#616161', 'textCodeBlock-background': '#2b2b2b',
      'charts-green': '#89d185', 'charts-yellow': '#cca700', 'charts-red': '#f14c4c', 'charts-blue': '#3794ff',
      'scrollbarSlider-background': '#79797966', 'scrollbarSlider-hoverBackground': '#646464b3', 'scrollbarSlider-activeBackground': '#bfbfbf66',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      foreground: '#3b3b3b', 'editor-background': '#ffffff', 'sideBar-background': '#f8f8f8', 'panel-background': '#f8f8f8', 'panel-border': '#e5e5e5', 'widget-border': '#e5e5e5',
      descriptionForeground: '#717171', errorForeground: '#f85149', focusBorder: '#005fb8', 'progressBar-background': '#005fb8',
      'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-border': '#0000001a',
      'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
      'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'input-placeholderForeground': '#767676',
      'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100', 'inputValidation-errorForeground': '#3b3b3b',
      'checkbox-background': '#f8f8f8', 'checkbox-border': '#cecece', 'checkbox-foreground': '#3b3b3b',
      'dropdown-background': '#ffffff', 'dropdown-border': '#cecece', 'dropdown-foreground': '#3b3b3b', 'dropdown-listBackground': '#ffffff',
      'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b',
      'panelTitle-activeForeground': '#3b3b3b', 'panelTitle-activeBorder': '#005fb8', 'panelTitle-inactiveForeground': '#3b3b3b',
      'textLink-foreground': '#005fb8', 'textBlockQuote-background': '#f8f8f8', 'textBlockQuote-border': '#e5e5e5', 'textCodeBlock-background': '#f8f8f8',
      'charts-green': '#388a34', 'charts-yellow': '#bf8803', 'charts-red': '#e51400', 'charts-blue': '#1a85ff',
      'scrollbarSlider-background': '#64646466', 'scrollbarSlider-hoverBackground': '#646464b3', 'scrollbarSlider-activeBackground': '#00000099',
    },
  },
  hc: {
    bodyClass: 'vscode-high-contrast',
    vars: {
      foreground: '#ffffff', 'editor-background': '#000000', 'sideBar-background': '#000000', 'panel-background': '#000000', 'panel-border': '#6fc3df', 'widget-border': '#6fc3df',
      descriptionForeground: '#ffffffb3', errorForeground: '#f48771', focusBorder: '#f38518', 'progressBar-background': '#6fc3df',
      contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
      'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df', 'button-hoverBackground': '#000000',
      'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff', 'button-secondaryHoverBackground': '#000000',
      'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df', 'input-placeholderForeground': '#ffffffb3',
      'inputValidation-errorBackground': '#000000', 'inputValidation-errorBorder': '#6fc3df', 'inputValidation-errorForeground': '#ffffff',
      'checkbox-background': '#000000', 'checkbox-border': '#6fc3df', 'checkbox-foreground': '#ffffff',
      'dropdown-background': '#000000', 'dropdown-border': '#6fc3df', 'dropdown-foreground': '#ffffff', 'dropdown-listBackground': '#000000',
      'badge-background': '#000000', 'badge-foreground': '#ffffff',
      'panelTitle-activeForeground': '#ffffff', 'panelTitle-activeBorder': '#6fc3df', 'panelTitle-inactiveForeground': '#ffffff',
      'textLink-foreground': '#21a6ff', 'textBlockQuote-background': '#000000', 'textBlockQuote-border': '#ffffff', 'textCodeBlock-background': '#000000',
      'charts-green': '#89d185', 'charts-yellow': '#ffd700', 'charts-red': '#f48771', 'charts-blue': '#3794ff',
      'scrollbarSlider-background': '#6fc3df66', 'scrollbarSlider-hoverBackground': '#6fc3dfcc', 'scrollbarSlider-activeBackground': '#6fc3df',
    },
  },
};

function themeCss(theme: Theme): string {
  const common = {
    'font-family': "system-ui, -apple-system, 'Segoe UI', Ubuntu, sans-serif",
    'font-size': '13px',
    'font-weight': 'normal',
    'editor-font-family': "'DejaVu Sans Mono', monospace",
    'editor-font-size': '12px',
  };
  const vars = { ...common, ...THEMES[theme].vars };
  return `html {\n${Object.entries(vars).map(([k, v]) => `  --vscode-${k}: ${v};`).join('\n')}\n}\n`;
}

function scenario(now: number): FullState {
  return {
    session: {
      state: 'connected',
      detail: 'Server sent goAway; handing off to a new connection',
      model: 'gemini-live-2.5-flash-preview',
      backend: 'gemini',
      baseUrl: 'wss://generativelanguage.googleapis.com',
      authMode: 'token',
      connection: 3,
      resumed: true,
      startTime: now - 754_000,
      goAwayDeadline: now + 42_000,
      goAwayTimeLeftMs: 42_000,
      reconnectAttempt: null,
      handoffs: 2,
      reconnects: 1,
      lastHandoffGapMs: 184,
      lastUsageTotal: 27_400,
      contextFill: 0.86,
      hasValidResumptionData: true,
      errorMessage: null,
    },
    token: { hasToken: true, canStartNewSession: true, isValid: true, newSessionTimeLeft: 45_000, totalTimeLeft: 1_620_000, uses: 1, name: 'auth_tokens/ab…yz', expiresAt: '2026-11-26T23:30:00Z', newSessionExpiresAt: '2026-11-26T23:01:00Z' },
    settings: { compression: { enabled: true, triggerTokens: 32_000, compressionRatio: 0.5, useSlidingWindow: true }, resumption: true, useEphemeralTokens: true, responseModality: 'AUDIO' },
    transcript: [
      { id: 'u1', turn: 1, role: 'user', text: 'Can you explain what a goAway message means in the Live API?', partial: false, markers: [], at: now - 60_000 },
      { id: 'm1', turn: 1, role: 'model', text: 'A goAway is the server telling the client that this connection will close soon, with the time left. The client should resume the session on a new connection before then.', partial: false, markers: ['generationComplete'], at: now - 55_000 },
      { id: 's1', turn: 1, role: 'system', text: 'Handed off to connection #3 (gap 184 ms)', partial: false, markers: ['handoff', 'resumed'], at: now - 40_000 },
      { id: 'u2', turn: 2, role: 'user', text: 'And what happens to my context?', partial: false, markers: [], at: now - 20_000 },
      { id: 'm2', turn: 2, role: 'model', text: 'It is kept: the resumption handle', partial: false, markers: ['interrupted'], at: now - 15_000 },
      { id: 'u3', turn: 3, role: 'user', text: 'Sorry, go on.', partial: false, markers: [], at: now - 5_000 },
      { id: 'm3', turn: 3, role: 'model', text: 'No problem. The resumption handle carries the whole conversation, so', partial: true, markers: [], at: now - 2_000 },
    ],
    audio: { captureBackend: 'webview', listening: false, problem: null },
    hasApiKey: true,
  };
}

const debugJson = JSON.stringify({ session: { state: 'connected', connection: 3, url: 'wss://example/ws?key=AIzaSyDUMMYDUMMYDUMMYDUMMYDUMMYDUMMY12&alt=json' }, token: { name: 'auth_tokens/ab…yz', accessToken: '<token:3f2a>' }, stats: { handoffs: 2, reconnects: 1, lastUsageTotal: 27_400 } });

/** Runs in the page: the host's side of the protocol, recorded for the checks. */
function fakeApiScript(state: FullState): string {
  const followUps: ToWebview[] = [
    { type: 'debug/info', json: debugJson },
    { type: 'error', message: 'Gemini closed the connection (1011). Your conversation is kept; MoonTalk will resume it.', action: 'retry' },
  ];
  return `(() => {
  const posted = [];
  const violations = [];
  window.__harness = { posted, violations, audioChunks: [] };
  document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '')));
  // VS Code keeps setState across hide/restore; sessionStorage does the same across reloads here.
  const saved = () => { const s = sessionStorage.getItem('vscode-state'); return s ? JSON.parse(s) : undefined; };
  const state = ${JSON.stringify(state)};
  const followUps = ${JSON.stringify(followUps)};
  window.acquireVsCodeApi = () => ({
    postMessage(msg) {
      if (msg && msg.type === 'audio/chunk') {
        window.__harness.audioChunks.push({ seq: msg.seq, bytes: msg.pcm.byteLength, binary: msg.pcm instanceof ArrayBuffer });
        return;
      }
      posted.push(msg);
      if (msg && msg.type === 'ready') {
        setTimeout(() => {
          window.postMessage({ type: 'init', version: msg.version, state }, '*');
          for (const m of followUps) window.postMessage(m, '*');
        }, 10);
      }
    },
    getState() { return saved(); },
    setState(s) { sessionStorage.setItem('vscode-state', JSON.stringify(s)); },
  });
})();`;
}

const MIME: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.html': 'text/html' };

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function startServer(state: FullState): Promise<{ server: Server; origin: string }> {
  const template = readFileSync(join(ROOT, 'test/fixtures/webview-harness.html'), 'utf8');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const theme = (url.searchParams.get('theme') ?? 'dark') as Theme;
    if (url.pathname === '/' || url.pathname === '/harness') {
      const nonce = randomBytes(16).toString('base64');
      const html = template
        .replaceAll('{{CSP_SOURCE}}', origin)
        // As the host renders it (panelHtml.ts): a style nonce for FAST's focus-visible probe; ?noStyleNonce leaves it out.
        .replaceAll('{{STYLE_NONCE}}', url.searchParams.has('noStyleNonce') ? '' : ` 'nonce-${nonce}'`)
        .replaceAll('{{NONCE_META}}', url.searchParams.has('noStyleNonce') ? '' : `<meta property="csp-nonce" content="${nonce}" />`)
        .replaceAll('{{NONCE}}', nonce)
        .replaceAll('{{THEME}}', theme)
        .replaceAll('{{BODY_CLASS}}', THEMES[theme]?.bodyClass ?? 'vscode-dark')
        .replaceAll('{{BOOTSTRAP}}', (url.searchParams.has('nobootstrap') ? '' : escapeAttr(JSON.stringify(state))))
        .replaceAll('{{WORKLETS}}', escapeAttr(JSON.stringify({ capture: `${origin}/dist/worklets/captureProcessor.js`, playback: `${origin}/dist/worklets/playbackProcessor.js` })));
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/theme.css') {
      res.writeHead(200, { 'content-type': 'text/css' }).end(themeCss(theme in THEMES ? theme : 'dark'));
      return;
    }
    if (url.pathname === '/fake-vscode-api.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(fakeApiScript(state));
      return;
    }
    const rel = normalize(url.pathname).replace(/^\/+/, '');
    if (!/^(dist|media)\//.test(rel)) {
      res.writeHead(404).end();
      return;
    }
    try {
      res.writeHead(200, { 'content-type': MIME[extname(rel)] ?? 'application/octet-stream' }).end(readFileSync(join(ROOT, rel)));
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

const failures: string[] = [];
function check(ok: boolean, what: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

async function open(page: Page, origin: string, theme: Theme, query = ''): Promise<void> {
  await page.goto(`${origin}/harness?theme=${theme}${query}`, { timeout: STEP_TIMEOUT_MS });
  await page.waitForSelector('#app[data-ready="true"]', { timeout: STEP_TIMEOUT_MS });
  // Let the toolkit upgrade its elements and the 250 ms tick run.
  await page.waitForTimeout(400);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const { server, origin } = await startServer(scenario(Date.now()));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 860 } });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    if (process.env.HARNESS_VERBOSE) page.on('console', (m) => console.log(`[page ${m.type()}] ${m.text().slice(0, 300)}`));

    for (const theme of ['dark', 'light', 'hc'] as const) {
      await open(page, origin, theme);
      await page.screenshot({ path: join(OUT, `webview-${theme}.png`), fullPage: true });
    }

    // Narrow (a side-by-side editor group).
    await page.setViewportSize({ width: 400, height: 900 });
    await open(page, origin, 'dark');
    await page.screenshot({ path: join(OUT, 'webview-dark-narrow.png'), fullPage: true });
    await page.setViewportSize({ width: 1100, height: 860 });

    // The CSP as the host sets it: nothing the panel does is blocked.
    await open(page, origin, 'dark');
    const violations = (await page.evaluate('window.__harness.violations')) as string[];
    check(violations.length === 0, `the host's CSP blocks nothing (${violations.join('; ') || 'none'})`);
    // Without the style nonce, only FAST's focus-visible probe is blocked (documented in components.ts).
    await open(page, origin, 'dark', '&noStyleNonce');
    const unhardened = (await page.evaluate('window.__harness.violations')) as string[];
    check(unhardened.length <= 1 && unhardened.every((v) => v.startsWith('style-src-elem inline')), `without the style nonce: only the focus-visible probe is blocked (${unhardened.join('; ') || 'none'})`);
    check((await page.evaluate("!!customElements.get('vscode-button')")) === true, 'toolkit custom elements registered under the CSP');
    check((await page.evaluate("document.querySelector('vscode-button').shadowRoot.adoptedStyleSheets.length > 0")) === true, 'toolkit styles via adoptedStyleSheets');
    const posted = (await page.evaluate('window.__harness.posted')) as Array<{ type: string; version?: number; clientId?: string }>;
    check(posted[0]?.type === 'ready' && posted[0].version === PROTOCOL_VERSION && typeof posted[0].clientId === 'string', 'sends ready {version, clientId} first');
    check((await page.textContent('[data-testid="goaway-text"]'))?.trim().endsWith('s') === true, `goAway countdown shown (${await page.textContent('[data-testid="goaway-text"]')})`);

    // Microphone (fake device): Start Listening → audio/start and 640-sample binary frames.
    // A fresh page, so nothing earlier (playback, typing) is in play.
    const micPage = await context.newPage();
    await open(micPage, origin, 'dark');
    await micPage.click('[data-testid="mic-button"]');
    // Poll with evaluate: with waitForFunction's rAF polling, no capture frames arrived at all
    // (headless Chromium, fake device) — observed repeatedly, not explained.
    for (let i = 0; i < 75; i++) {
      if (((await micPage.evaluate('window.__harness.audioChunks.length')) as number) >= 5) break;
      await micPage.waitForTimeout(200);
    }
    const chunks = (await micPage.evaluate('window.__harness.audioChunks')) as Array<{ seq: number; bytes: number; binary: boolean }>;
    check(chunks.length >= 5 && chunks.every((c, i) => c.bytes === 1280 && c.binary && c.seq === i), `mic frames: ${chunks.length} × ${chunks[0]?.bytes} bytes, binary, consecutive seq`);
    check(((await micPage.evaluate("window.__harness.posted.map(m => m.type)")) as string[]).includes('audio/start'), 'Start Listening posts audio/start');
    let inputMax = 0;
    for (let i = 0; i < 30 && inputMax === 0; i++) {
      inputMax = Math.max(inputMax, Number(await micPage.getAttribute('[data-testid="input-meter"]', 'aria-valuenow')));
      await micPage.waitForTimeout(100);
    }
    check(inputMax > 0, `input meter moves while listening (max aria-valuenow ${inputMax})`);
    await micPage.screenshot({ path: join(OUT, 'webview-dark-listening.png') });
    await micPage.click('[data-testid="mic-button"]');
    await micPage.close();

    // Chat: Shift+Enter is a newline, Enter sends; the draft survives in setState.
    await page.click('[data-testid="chat-input"]');
    await page.keyboard.type('hello');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('world');
    const draft = (await page.evaluate('document.querySelector(\'[data-testid="chat-input"]\').value')) as string;
    check(draft === 'hello\nworld', `Shift+Enter inserts a newline (${JSON.stringify(draft)})`);
    await page.keyboard.press('Enter');
    const sent = (await page.evaluate("window.__harness.posted.filter(m => m.type === 'chat/send')")) as Array<{ text: string }>;
    check(sent.length === 1 && sent[0]!.text === 'hello\nworld', 'Enter sends chat/send with the text');

    // Keyboard: Tab reaches the controls with a visible focus ring.
    await page.keyboard.press('Shift+Tab');
    await page.screenshot({ path: join(OUT, 'webview-dark-focus.png') });

    // Invalid host message: dropped, counted, no throw.
    await page.evaluate("window.postMessage({ type: 'session/stateChanged', session: { state: 'bogus' } }, '*')");
    await page.waitForTimeout(100);
    check(/1 invalid message/.test((await page.textContent('[data-testid="rejected-count"]')) ?? ''), 'invalid message counted in the debug view');

    // Playback: 0.5 s of 440 Hz at 24 kHz PCM16 reaches the analyser.
    await page.evaluate(`(() => {
      const n = 12000, buf = new ArrayBuffer(n * 2), v = new DataView(buf);
      for (let i = 0; i < n; i++) v.setInt16(i * 2, Math.round(0.4 * 32767 * Math.sin(2 * Math.PI * 440 * i / 24000)), true);
      window.postMessage({ type: 'audio/play', seq: 0, pcm: buf }, '*');
    })()`);
    let outLevel = 0;
    for (let i = 0; i < 30 && outLevel === 0; i++) {
      await page.waitForTimeout(50);
      outLevel = Number(await page.getAttribute('[data-testid="output-meter"]', 'aria-valuenow'));
    }
    check(outLevel > 0, `playback reaches the output meter (aria-valuenow ${outLevel})`);
    await page.evaluate("window.postMessage({ type: 'audio/interrupted' }, '*')");
    await page.waitForTimeout(300);
    const afterFlush = Number(await page.getAttribute('[data-testid="output-meter"]', 'aria-valuenow'));
    check(afterFlush === 0, `audio/interrupted silences output (aria-valuenow ${afterFlush})`);

    // The other tabs.
    for (const tab of ['settings', 'debug'] as const) {
      await page.click(`#tab-${tab}`);
      await page.waitForTimeout(200);
      await page.screenshot({ path: join(OUT, `webview-dark-${tab}.png`), fullPage: true });
    }
    const debugText = (await page.textContent('[data-testid="debug-json"]')) ?? '';
    check(!debugText.includes('AIzaSy') && debugText.includes('"connection": 3'), 'debug JSON pretty-printed and masked');

    // Hide/restore: the page is rebuilt; the draft and the last state come back from getState.
    await page.click('[data-testid="chat-input"]');
    await page.keyboard.type('unsent draft');
    await open(page, origin, 'dark', '&nobootstrap');
    check((await page.evaluate('document.querySelector(\'[data-testid="chat-input"]\').value')) === 'unsent draft', 'draft survives the panel being rebuilt');
    check((await page.textContent('[data-testid="session-model"]')) === 'gemini-live-2.5-flash-preview', 'first paint from cached state when there is no bootstrap');
    check((await page.evaluate('document.querySelector("#tab-debug").getAttribute("aria-selected")')) === 'true', 'selected tab restored');

    // Expected: the dropped invalid message, and the focus-visible probe of the noStyleNonce page (checked above).
    const unexpected = consoleErrors.filter((e) => !e.includes('dropped invalid message') && !e.includes('Applying inline style violates'));
    check(unexpected.length === 0, `no console errors (${unexpected.join(' | ') || 'none'})`);
  } finally {
    await browser.close();
    server.close();
  }
  if (failures.length > 0) {
    console.error(`${failures.length} check(s) failed`);
    process.exitCode = 1;
  }
}

if (process.argv.includes('--serve')) {
  // Serve only, for poking at the panel by hand: prints the harness URL.
  void startServer(scenario(Date.now())).then(({ origin }) => console.log(`${origin}/harness?theme=dark`));
} else void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
