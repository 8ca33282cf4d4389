/**
 * Runs the extension-host mocha suite (test/extensionHost, built to out/) inside a
 * real VS Code: the server bundled in code-server with the smoke-test driver on, the
 * repository as the extension development path, and the test module's run() writing
 * mocha's JSON report to MOONTALK_TEST_RESULTS (shared E2E-CODE-SERVER.md,
 * "Extension-host tests without packaging").
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { makeProfile, serveVsCodeServer } from './codeServer';
import { REPO, WORKBENCH_SETTINGS } from './paths';
import { waitUntil } from './processes';

/** An extension with two `languageModelTools` (test/extensionHost/lmTools.test.ts). */
const LM_TOOL_FIXTURE = path.join(REPO, 'test/fixtures/lm-tool-extension');

/**
 * Installs the fixture by copying its folder into the profile's extensions folder before the
 * server starts (the server takes in what it finds there when it first builds its list). A
 * second `extensionDevelopmentPath` in the page's payload is not an option: the web workbench
 * hands the server only one (tried: only the last one loaded).
 */
function installFixtureExtension(extensionsDir: string): void {
  const manifest = JSON.parse(readFileSync(path.join(LM_TOOL_FIXTURE, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  cpSync(LM_TOOL_FIXTURE, path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), { recursive: true });
}

/**
 * MCP in the test profile: a real MCP server (the devDependency
 * @modelcontextprotocol/server-everything, stdio, offline) configured the way a user does, in the
 * workspace's `.vscode/mcp.json`. Its tools reach `vscode.lm.tools` once VS Code started it.
 */
function writeMcpConfig(workspace: string): void {
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  const server = path.join(REPO, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
  writeFileSync(path.join(workspace, '.vscode', 'mcp.json'), JSON.stringify({ servers: { everything: { type: 'stdio', command: process.execPath, args: [server, 'stdio'] } } }, null, 2));
}

/**
 * User settings for the language-model tool specs: MCP on (chat.mcp.enabled), servers not
 * started on their own (the spec starts the one it needs).
 */
const LM_TOOL_SETTINGS = {
  'chat.mcp.enabled': true,
  'chat.mcp.autostart': 'never',
  'chat.mcp.discovery.enabled': false,
};

/** The parts of mocha's JSON report this reads. */
export interface MochaJsonReport {
  stats: { tests: number; passes: number; failures: number; pending: number; duration?: number };
  failures: Array<{ fullTitle?: string; title?: string; err?: { message?: string } }>;
}

function readReport(file: string): MochaJsonReport | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const report = JSON.parse(readFileSync(file, 'utf8')) as MochaJsonReport;
    return typeof report.stats?.failures === 'number' ? report : undefined;
  } catch {
    return undefined; // still being written
  }
}

/** The report, and the browser's console errors of the run beyond the expected ones. */
export type ExtensionHostRun = MochaJsonReport & { browserErrors: string[] };

/** Workbench noise in every run: fetches to the disabled gallery, and the server's 405 to secret storage's key request. */
const EXPECTED_BROWSER_ERRORS = /\/gallery\/|status of 405|Method Not Allowed/;

export async function runExtensionHostSuite(
  browser: Browser,
  options: { root: string; logDir: string; timeoutMs: number },
): Promise<ExtensionHostRun> {
  const entry = path.join(REPO, 'out/test/extensionHost/index.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: node esbuild.mjs builds it`);
  const profile = makeProfile(options.root, { ...WORKBENCH_SETTINGS, ...LM_TOOL_SETTINGS });
  installFixtureExtension(profile.extensionsDir);
  writeMcpConfig(profile.workspace);
  const results = path.join(options.root, 'extension-host-results.json');
  const served = await serveVsCodeServer(profile, path.join(options.root, 'server-data'), { MOONTALK_TEST_API: '1', MOONTALK_TEST_RESULTS: results }, options.logDir);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    const remote = `vscode-remote://${new URL(served.url).host}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `${remote}${REPO}`],
      ['extensionTestsPath', `${remote}${entry}`],
    ]);
    await page.goto(`${served.url}/?folder=${encodeURIComponent(profile.workspace)}&payload=${encodeURIComponent(payload)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    try {
      const report = await waitUntil('the extension-host suite to write its results', options.timeoutMs, () => {
        if (served.process.child.exitCode !== null) throw new Error(`the VS Code server exited with ${served.process.child.exitCode}`);
        return readReport(results);
      });
      return { ...report, browserErrors: consoleLines.filter((l) => l.startsWith('[error]') && !EXPECTED_BROWSER_ERRORS.test(l)) };
    } finally {
      writeFileSync(path.join(options.logDir, 'extension-host-browser-console.log'), consoleLines.join('\n'));
      if (existsSync(results)) writeFileSync(path.join(options.logDir, 'extension-host-results.json'), readFileSync(results));
      await page.screenshot({ path: path.join(options.logDir, 'extension-host-workbench.png') }).catch(() => undefined);
    }
  } finally {
    await context.close();
    await served.process.stop();
  }
}

/** Writes `{"suite":"extension-host",…}` next to the other suites' totals (.ci/run adds them up). */
export function writeExtensionHostTotals(report: MochaJsonReport | undefined, resultsDir = process.env.MOONTALK_RESULTS_DIR): void {
  if (!resultsDir) return;
  const totals = report
    ? { suite: 'extension-host', passed: report.stats.passes, failed: report.stats.failures, skipped: report.stats.pending }
    : { suite: 'extension-host', passed: 0, failed: 1, skipped: 0 };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, 'extension-host.json'), JSON.stringify(totals));
}
