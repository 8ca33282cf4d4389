/**
 * The screenshots of docs/screenshots.md (docs/media/) and of the Getting Started walkthrough
 * (media/screenshots/, shipped), taken from the real UI:
 * the packaged .vsix in code-server, driven by Chromium, on the built-in offline demo (no
 * key, no network). Not a test: it fails loudly (every wait bounded) when the UI is not what
 * the pictures must show, and writes nothing to media/ then.
 *
 *   npm run screenshots            # about 2 minutes; needs bash test/e2e/install.sh once
 *
 * Raw shots and logs go to test-results/screenshots/; the optimised PNGs (pngquant, then
 * optipng, when installed) to media/screenshots/ (the walkthrough's) and docs/media/ (the
 * rest; the README shows none yet: docs/development.md). Then it reports whether the pictures load
 * where users see them: the walkthrough's "Open the chat" step and MoonTalk Live's page in
 * the Extensions view (walkthrough.json, extension-readme.json and a PNG of each, beside the
 * raw shots). On 2026-11-30 (code-server 4.139.1) the walkthrough's loaded and the README's
 * (relative, then) did not: VS Code drops README images that are not https (docs/development.md).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { VoiceChatPanel } from './pageObjects/voiceChatPanel';
import { Workbench } from './pageObjects/workbench';
import { buildAndPackage, installExtension, serveCodeServer, type Profile, type Served } from './support/codeServer';
import { CHROMIUM_ARGS } from './support/fixture';
import { CHROMIUM, CODE_SERVER_BIN, NODE24_BIN, REPO, WORKBENCH_SETTINGS } from './support/paths';
import { waitUntil } from './support/processes';
import { markdownImages } from '../support/markdownImages';

const OUT = path.join(REPO, 'test-results', 'screenshots');
/** The walkthrough's pictures ship in the .vsix; the others are for docs/screenshots.md. */
const WALKTHROUGH_MEDIA = path.join(REPO, 'media', 'screenshots');
const WALKTHROUGH_SHOTS = new Set(['chat-view-dark.png', 'panel-dark.png']);
const DOCS_MEDIA = path.join(REPO, 'docs', 'media');
const VIEWPORT = { width: 1280, height: 800 };
/** The side bar's width in the shots: the chat reads without wrapping every line. */
const SIDEBAR_WIDTH = 500;
/** The editor panel's shot is taller: its page (cards beside the conversation) needs about 950 px. */
const PANEL_HEIGHT = 960;

/** The workbench a user would have: the product's defaults (offline demo), no tips or AI chat in the way. */
const SETTINGS: Record<string, unknown> = {
  ...WORKBENCH_SETTINGS,
  'workbench.colorTheme': 'Default Dark Modern',
  'editor.minimap.enabled': false,
  // No code-action light bulb over the selection.
  'editor.lightbulb.enabled': 'off',
  'window.commandCenter': true,
  'breadcrumbs.enabled': true,
};

const THEMES = [
  { name: 'dark', theme: 'Default Dark Modern', cls: 'vscode-dark', workbenchCls: 'vs-dark' },
  { name: 'light', theme: 'Default Light Modern', cls: 'vscode-light', workbenchCls: 'vs' },
  { name: 'high-contrast', theme: 'Default High Contrast', cls: 'vscode-high-contrast', workbenchCls: 'hc-black' },
] as const;

/** A small project to talk about: the file the question is asked in. */
const PROJECT: Record<string, string> = {
  'README.md': '# Tide tables\n\nReads tide gauge exports and prints the daily high waters.\n',
  'package.json': `${JSON.stringify({ name: 'tide-tables', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  'src/readings.ts': [
    'export interface Reading {',
    '  time: Date;',
    '  metres: number;',
    '}',
    '',
    '/** The highest reading of each day, oldest day first. */',
    'export function dailyHighs(readings: Reading[]) {',
    '  const byDay = new Map<string, Reading>();',
    '  for (const r of readings) {',
    '    const day = r.time.toISOString().slice(0, 10);',
    '    const best = byDay.get(day);',
    '    if (!best || r.metres > best.metres) {',
    '      byDay.set(day, r);',
    '    }',
    '  }',
    '  return [...byDay.values()];',
    '}',
    '',
  ].join('\n'),
};
const SELECTED_LINES = { from: 7, to: 17 };
const FIRST_MESSAGE = 'Hi! I am cleaning up the tide tables project.';
const QUESTION = 'Does this keep the days in order?';
/** The emulator's answer echoes the question last. */
const ANSWER_END = /Does this keep the days in order\?$/;

function log(message: string): void {
  console.log(`[screenshots] ${message}`);
}

function makeProfile(root: string): Profile {
  const profile: Profile = {
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    workspace: path.join(root, 'tide-tables'),
    dataHome: path.join(root, 'xdg-data'),
  };
  for (const dir of [path.join(profile.userDataDir, 'User'), profile.extensionsDir, profile.dataHome]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(profile.userDataDir, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  for (const [file, text] of Object.entries(PROJECT)) {
    mkdirSync(path.dirname(path.join(profile.workspace, file)), { recursive: true });
    writeFileSync(path.join(profile.workspace, file), text);
  }
  return profile;
}

/** Drags the sash between the side bar and the editor so the side bar is `width` pixels wide. */
async function setSidebarWidth(page: Page, width: number): Promise<void> {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar) throw new Error('the side bar is not shown');
  const edge = sidebar.x + sidebar.width;
  // The workbench's vertical sashes: the one on the side bar's right edge.
  const sashes = await page.evaluate(`Array.from(document.querySelectorAll('.monaco-sash.vertical'), (e) => { const r = e.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2, h: r.height }; })`) as Array<{ x: number; y: number; h: number }>;
  const sash = sashes.filter((s) => Math.abs(s.x - edge) <= 4 && s.h > 100)[0];
  if (!sash) throw new Error(`no sash on the side bar's edge (x ${edge}); sashes: ${JSON.stringify(sashes)}`);
  await page.mouse.move(sash.x, sash.y);
  await page.mouse.down();
  await page.mouse.move(sash.x + 20, sash.y, { steps: 4 });
  await page.mouse.move(sidebar.x + width, sash.y, { steps: 10 });
  await page.mouse.up();
  let now: number | undefined;
  await waitUntil(`the side bar to be about ${width} px wide`, 5_000, async () => {
    now = (await page.locator('.part.sidebar').boundingBox())?.width;
    return now !== undefined && Math.abs(now - width) <= 12 ? true : undefined;
  }).catch((err: Error) => {
    throw new Error(`${err.message}; it is ${now} px (sash at x ${sash.x})`);
  });
}

/** Puts the mouse where it shows no hover or tooltip (the empty title bar right of the command center). */
async function parkMouse(page: Page): Promise<void> {
  await page.mouse.move(VIEWPORT.width - 240, 12);
  await page.waitForTimeout(300);
}

/**
 * A page at rest for a shot: Gemini's voice done,
 * the transcript scrolled to its end without keyboard focus in it (no focus ring), the page
 * itself at its top.
 */
async function settle(view: VoiceChatPanel): Promise<void> {
  const frame = await view.frame();
  // The side bar hides Stop Speaking when nothing plays, the editor panel disables it.
  await waitUntil("Gemini's voice to end (Stop Speaking hidden or disabled)", 120_000, async () =>
    (await frame.evaluate(`(() => {
      const b = document.querySelector('[data-testid=stop-speaking-button]');
      return !b || b.hasAttribute('disabled') || b.getClientRects().length === 0;
    })()`)) ? true : undefined,
  );
  await frame.evaluate(`(() => {
    const list = document.querySelector('[data-testid=transcript]');
    if (list) list.scrollTop = list.scrollHeight;
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    window.scrollTo(0, 0);
  })()`);
}

/** Selects whole lines `from`..`to` (1-based) in the active editor with the keyboard. */
async function selectLines(page: Page, from: number, to: number): Promise<void> {
  await page.locator('.part.editor .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  for (let i = 1; i < from; i++) await page.keyboard.press('ArrowDown');
  for (let i = from; i < to; i++) await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+End');
}

/** Sets the colour theme through settings.json and waits for the workbench and the page to take it. */
async function useTheme(workbench: Workbench, profile: Profile, view: VoiceChatPanel, theme: (typeof THEMES)[number]): Promise<void> {
  await workbench.replaceUserSettings({ ...SETTINGS, 'workbench.colorTheme': theme.theme }, path.join(profile.userDataDir, 'User', 'settings.json'));
  await view.waitForTheme(theme.cls);
  await waitUntil(`the workbench to take ${theme.theme}`, 10_000, async () =>
    (await workbench.page.evaluate(`document.querySelector('.monaco-workbench')?.classList.contains('${theme.workbenchCls}') === true`)) ? true : undefined,
  );
}

/** The images of a page's frame that shows `text`: what each asked for and whether it loaded. */
async function framedImages(page: Page, what: string, text: RegExp): Promise<unknown> {
  const frame = await waitUntil(what, 30_000, async () => {
    for (const f of page.frames()) {
      if (f.isDetached()) continue;
      const found = await f.evaluate(`document.querySelectorAll('img').length > 0 && ${text}.test(document.body.textContent || '')`).catch(() => false);
      if (found) return f;
    }
    return undefined;
  });
  // Give the images a moment to load (or fail) before reading them.
  await frame.waitForTimeout(2_000);
  return frame.evaluate(`Array.from(document.images, (i) => ({ src: i.getAttribute('src'), alt: i.getAttribute('alt'), loaded: i.complete && i.naturalWidth > 0 }))`);
}

/** The walkthrough's "Open the chat" step: do its relative images load? */
async function checkWalkthrough(workbench: Workbench, page: Page): Promise<unknown> {
  await workbench.runCommand('Welcome: Open Walkthrough...', { opensInput: true });
  await workbench.pickQuickPickItem('MoonTalk', 'Get Started with MoonTalk Live');
  await page.locator('.getting-started-step', { hasText: 'Open the chat' }).first().click({ timeout: 15_000 });
  const images = await framedImages(page, "the walkthrough step's Markdown", /MoonTalk: Open in Editor/);
  await page.screenshot({ path: path.join(OUT, 'walkthrough.png') });
  return images;
}

/** The Extensions view's page for MoonTalk Live: do the README's images load there? (None to check while it shows none.) */
async function checkExtensionReadme(workbench: Workbench, page: Page): Promise<unknown> {
  if (markdownImages(readFileSync(path.join(REPO, 'README.md'), 'utf8')).length === 0) return 'the README shows no images';
  await workbench.runCommand('Extensions: Show Installed Extensions');
  await page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'MoonTalk Live' }).first().click({ timeout: 15_000 });
  // The README's own words, so the workbench's frame (which names MoonTalk too) is not taken for it.
  const images = await framedImages(page, 'the README in the extension page', /Talk with Google/);
  await page.screenshot({ path: path.join(OUT, 'extension-readme.png') });
  return images;
}

/** pngquant (lossy palette, quality floor 80) then optipng, each only when installed; returns the tools used. */
function optimise(file: string): string[] {
  const used: string[] = [];
  const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
  if (has('pngquant')) {
    const run = spawnSync('pngquant', ['--quality', '80-98', '--speed', '1', '--skip-if-larger', '--force', '--ext', '.png', file]);
    // 99: quality floor not reached; 98: not smaller. Both keep the original.
    if (run.status !== 0 && run.status !== 98 && run.status !== 99) throw new Error(`pngquant ${file}: ${run.stderr}`);
    used.push('pngquant');
  }
  if (has('optipng')) {
    const run = spawnSync('optipng', ['-quiet', '-o5', '-strip', 'all', file]);
    if (run.status !== 0) throw new Error(`optipng ${file}: ${run.stderr}`);
    used.push('optipng');
  }
  return used;
}

async function main(): Promise<void> {
  for (const [file, what] of [[CODE_SERVER_BIN, 'code-server'], [path.join(NODE24_BIN, 'node'), 'Node 24'], [CHROMIUM, 'Chromium']] as const) {
    if (!existsSync(file)) throw new Error(`missing ${what}: run bash test/e2e/install.sh first`);
  }
  rmSync(OUT, { recursive: true, force: true });
  const logs = path.join(OUT, 'logs');
  mkdirSync(logs, { recursive: true });
  const tempRoot = mkdtempSync(path.join(os.tmpdir(), 'moontalk-screenshots-'));
  let served: Served | undefined;
  let browser: Browser | undefined;
  const shots: string[] = [];
  try {
    const vsix = path.join(OUT, 'moontalk-live.vsix');
    await buildAndPackage(vsix, logs);
    log('built and packaged');
    const profile = makeProfile(tempRoot);
    await installExtension(profile, vsix, logs);
    served = await serveCodeServer(profile, tempRoot, logs);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const workbench = await Workbench.open(page, `${served.url}/?folder=${encodeURIComponent(profile.workspace)}`, OUT);
    log(`workbench at ${served.url}`);

    await workbench.openFile('readings.ts');
    await workbench.openActivityBarItem('MoonTalk');
    const view = await VoiceChatPanel.find(page, OUT, 30_000, 'view');
    await setSidebarWidth(page, SIDEBAR_WIDTH);

    await view.sendMessage(FIRST_MESSAGE, 30_000);
    await view.waitForTranscriptEntry('model', /^You said: Hi!/, 30_000);
    await selectLines(page, SELECTED_LINES.from, SELECTED_LINES.to);
    await workbench.runCommand('MoonTalk: Ask About Selection', { opensInput: true });
    await workbench.fillInputBox(QUESTION);
    await view.waitForTranscriptEntry('model', ANSWER_END, 30_000);
    const blocks = await view.codeBlocks();
    const labels = blocks.at(-1)?.buttons.map((b) => b.label) ?? [];
    if (!labels.includes('Copy') || !labels.includes('Insert at Cursor')) throw new Error(`the answer's code block shows ${JSON.stringify(labels)}, not Copy and Insert at Cursor`);
    await workbench.clearNotifications();

    for (const theme of THEMES) {
      await useTheme(workbench, profile, view, theme);
      await workbench.waitForActiveEditor('readings.ts');
      await view.setDetailsOpen(false);
      await settle(view);
      await workbench.clearNotifications();
      await parkMouse(page);
      const full = path.join(OUT, `chat-${theme.name}.png`);
      await page.screenshot({ path: full });
      shots.push(full);
      if (theme.name === 'dark') {
        const crop = path.join(OUT, 'chat-view-dark.png');
        await page.locator('.part.sidebar').screenshot({ path: crop });
        shots.push(crop);
      }
      log(`${theme.name}: done`);
    }

    // The same conversation in an editor tab (MoonTalk: Open in Editor), dark theme, side bar
    // closed; taller, so the page's two columns fit without scrolling.
    await useTheme(workbench, profile, view, THEMES[0]);
    await page.setViewportSize({ width: VIEWPORT.width, height: PANEL_HEIGHT });
    await workbench.runCommand('View: Close Primary Side Bar');
    await workbench.runCommand('View: Close All Editor Groups');
    await workbench.runCommand('MoonTalk: Open in Editor');
    const panel = await VoiceChatPanel.find(page, OUT, 30_000, 'panel');
    await panel.waitForTranscriptEntry('model', ANSWER_END, 15_000);
    // The History tab (this conversation) rather than the token's fine print.
    await panel.openTab('history');
    await settle(panel);
    await workbench.clearNotifications();
    await parkMouse(page);
    const panelShot = path.join(OUT, 'panel-dark.png');
    await page.screenshot({ path: panelShot });
    shots.push(panelShot);

    await page.setViewportSize(VIEWPORT);
    const walkthroughImages = await checkWalkthrough(workbench, page).catch((err: Error) => `not checked: ${err.message}`);
    writeFileSync(path.join(OUT, 'walkthrough.json'), JSON.stringify(walkthroughImages, null, 2));
    log(`walkthrough images (Open the chat): ${JSON.stringify(walkthroughImages)}`);
    const readmeImages = await checkExtensionReadme(workbench, page).catch((err: Error) => `not checked: ${err.message}`);
    writeFileSync(path.join(OUT, 'extension-readme.json'), JSON.stringify(readmeImages, null, 2));
    log(`README images in the Extensions view: ${JSON.stringify(readmeImages)}`);
  } catch (err) {
    const page = browser?.contexts()[0]?.pages()[0];
    await page?.screenshot({ path: path.join(OUT, 'FAILED.png') }).catch(() => undefined);
    throw err;
  } finally {
    await browser?.close().catch(() => undefined);
    await served?.process.stop().catch(() => undefined);
    rmSync(tempRoot, { recursive: true, force: true });
  }

  for (const shot of shots) {
    const dir = WALKTHROUGH_SHOTS.has(path.basename(shot)) ? WALKTHROUGH_MEDIA : DOCS_MEDIA;
    mkdirSync(dir, { recursive: true });
    const target = path.join(dir, path.basename(shot));
    copyFileSync(shot, target);
    const tools = optimise(target);
    log(`${path.relative(REPO, target)}: ${statSync(shot).size} → ${statSync(target).size} bytes (${tools.join(', ') || 'not optimised: install pngquant / optipng'})`);
  }
}

main().catch((err: unknown) => {
  console.error(`[screenshots] failed: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
});
