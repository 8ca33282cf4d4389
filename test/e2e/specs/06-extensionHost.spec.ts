/**
 * The extension-host suite (test/extensionHost) run inside code-server's VS Code
 * server, with the repository as the development extension. Its counts go to
 * $MOONTALK_RESULTS_DIR/extension-host.json for .ci/run.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runExtensionHostSuite, writeExtensionHostTotals, type ExtensionHostRun } from '../support/extensionHostSuite';
import { e2e } from '../support/fixture';

describe('the extension-host suite inside code-server', () => {
  it('runs every extension-host spec with no failures', async function () {
    this.timeout(360_000);
    const fixture = e2e();
    let report: ExtensionHostRun | undefined;
    try {
      report = await runExtensionHostSuite(fixture.browser, {
        root: path.join(fixture.tempRoot, 'extension-host'),
        logDir: path.join(fixture.artifacts, 'logs'),
        timeoutMs: 300_000,
      });
    } finally {
      writeExtensionHostTotals(report);
    }
    const { stats } = report;
    console.log(`      [e2e] extension-host suite: ${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped in ${stats.duration ?? '?'} ms`);
    const failing = report.failures.map((f) => `${f.fullTitle ?? f.title}: ${f.err?.message ?? ''}`);
    if (failing.length > 0) {
      // CI shows stdout only: put the browser's errors (webview loading, CSP) next to the failure.
      console.log(`      [e2e] last browser errors of the extension-host run:\n${report.browserErrors.slice(-15).map((l) => `        ${l.slice(0, 300)}`).join('\n')}`);
    }
    assert.equal(stats.failures, 0, `failing extension-host tests:\n${failing.join('\n')}`);
    assert.ok(stats.passes > 0, 'the extension-host suite ran no tests');
  });
});
