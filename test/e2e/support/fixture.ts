/**
 * The e2e suite's global fixture (mocha root hooks, loaded by test/e2e/.mocharc.json):
 * builds and packages the extension, installs the .vsix into a fresh code-server
 * profile, serves the workbench on 127.0.0.1, opens it in Debian's Chromium, and tears
 * all of it down afterwards: the processes it started (by process group), the browser,
 * and its temp folders. Specs reach it through `e2e()`.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage } from 'playwright-core';
import { VoiceChatPanel } from '../pageObjects/voiceChatPanel';
import { Workbench } from '../pageObjects/workbench';
import { buildAndPackage, installExtension, makeProfile, serveCodeServer, type Profile, type Served } from './codeServer';
import { fakeMicrophoneArgs, makeFakeMicrophoneFile } from './fakeMicrophone';
import { ARTIFACTS, CHROMIUM, CODE_SERVER_BIN, NODE24_BIN, WORKBENCH_SETTINGS } from './paths';

/**
 * Settings of the profile under test. Text answers make the transcript assertable;
 * short emulator connections bring a goAway 10 s after each connection starts (its
 * deadline 10 s later), so a spec sees a handoff within seconds.
 */
export const E2E_SETTINGS = {
  ...WORKBENCH_SETTINGS,
  'moontalk.responseModality': 'TEXT',
  'moontalk.emulator.connectionLifetimeSeconds': 20,
  'moontalk.emulator.goAwayLeadSeconds': 10,
  // Read-only tools ask too: a question waiting for the user keeps a turn open (05-conversation).
  'moontalk.tools.confirmReadOnly': true,
};

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface E2E {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly workbench: Workbench;
  readonly profile: Profile;
  readonly served: Served;
  /** `--list-extensions --show-versions` right after installing the .vsix. */
  readonly installed: readonly string[];
  readonly vsix: string;
  /** The suite's temp root (removed afterwards): specs put their own folders here. */
  readonly tempRoot: string;
  /** The WAV Chromium's fake microphone plays, looped (fakeMicrophone.ts). */
  readonly fakeMicrophone: string;
  readonly artifacts: string;
  /** The panel, once a spec opened it (found again by each caller of panel()). */
  panel(timeoutMs?: number): Promise<VoiceChatPanel>;
  /** The side bar chat view, once it is shown. */
  chatView(timeoutMs?: number): Promise<VoiceChatPanel>;
  /** Browser console errors and warnings so far (the workbench's and every webview's). */
  consoleProblems(): readonly string[];
}

let current: E2E | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
const consoleLines: string[] = [];

/** The running fixture; throws when the root hook did not run (or failed). */
export function e2e(): E2E {
  if (!current) throw new Error('the e2e fixture is not set up (the root before-all hook failed; see its error)');
  return current;
}

function log(message: string): void {
  console.log(`      [e2e] ${message}`);
}

function assertToolsInstalled(): void {
  const missing = [
    [CODE_SERVER_BIN, 'code-server'],
    [path.join(NODE24_BIN, 'node'), 'Node 24'],
    [CHROMIUM, 'Chromium'],
  ].filter(([file]) => !existsSync(file!));
  if (missing.length > 0) throw new Error(`missing ${missing.map(([, what]) => what).join(', ')}: run bash test/e2e/install.sh first`);
}

async function setUp(): Promise<void> {
  const started = Date.now();
  assertToolsInstalled();
  // Fresh artifacts each run, so a stale screenshot is never mistaken for this run's.
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const logs = path.join(ARTIFACTS, 'logs');
  mkdirSync(logs, { recursive: true });

  const vsix = path.join(ARTIFACTS, 'moontalk-live.vsix');
  await buildAndPackage(vsix, logs);
  log(`built and packaged ${path.relative(process.cwd(), vsix)} in ${Date.now() - started} ms`);

  const tempRoot = mkdtempSync(path.join(os.tmpdir(), 'moontalk-e2e-'));
  cleanups.push(() => rmSync(tempRoot, { recursive: true, force: true }));
  const profile = makeProfile(path.join(tempRoot, 'code-server'), E2E_SETTINGS);
  const installed = await installExtension(profile, vsix, logs);
  log(`installed: ${installed.join(', ') || '(nothing)'}`);

  const served = await serveCodeServer(profile, path.join(tempRoot, 'code-server'), logs);
  cleanups.push(() => served.process.stop());
  log(`code-server at ${served.url}`);

  // The fake microphone plays a speech loop; harmless for specs that never capture.
  const fakeMicrophone = await makeFakeMicrophoneFile(logs);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...fakeMicrophoneArgs(fakeMicrophone)], timeout: 60_000 });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(`[${m.type()}] ${m.text()}`);
  });
  const workbench = await Workbench.open(page, `${served.url}/?folder=${encodeURIComponent(profile.workspace)}`, ARTIFACTS);
  log(`workbench ready ${Date.now() - started} ms after the start`);

  current = {
    browser,
    context,
    workbench,
    profile,
    served,
    installed,
    vsix,
    tempRoot,
    fakeMicrophone,
    artifacts: ARTIFACTS,
    panel: (timeoutMs = 30_000) => VoiceChatPanel.find(page, ARTIFACTS, timeoutMs),
    chatView: (timeoutMs = 30_000) => VoiceChatPanel.find(page, ARTIFACTS, timeoutMs, 'view'),
    consoleProblems: () => [...consoleLines],
  };
}

async function tearDown(): Promise<void> {
  if (current && current.workbench.dismissedDialogs.length > 0) log(`dismissed dialogs: ${JSON.stringify(current.workbench.dismissedDialogs)}`);
  current = undefined;
  writeFileSync(path.join(ARTIFACTS, 'logs', 'browser-console.log'), consoleLines.join('\n'));
  // Reverse order: browser, then servers, then folders. One failure does not stop the rest.
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (err) {
      console.error(`[e2e] cleanup failed: ${(err as Error).message}`);
    }
  }
  cleanups.length = 0;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(360_000);
    try {
      await setUp();
    } catch (err) {
      await tearDown();
      throw err;
    }
  },
  async afterEach(this: Mocha.Context): Promise<void> {
    const test = this.currentTest;
    if (!current || !test || test.state !== 'failed') return;
    const name = `FAILED-${test.fullTitle().replace(/[^A-Za-z0-9]+/g, '-').slice(0, 100)}`;
    await current.workbench.screenshot(name).catch(() => undefined);
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    await tearDown();
  },
};
