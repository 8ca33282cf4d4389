/**
 * Runs the extension-host specs inside VS Code. Loaded as `extensionTestsPath` by
 * @vscode/test-electron (.vscode-test.mjs) or by the code-server runner
 * (shared E2E-CODE-SERVER.md), which waits for the results file.
 *
 * Results: mocha's JSON report (`stats`, `tests`, `failures`, `passes`) written to
 * MOONTALK_TEST_RESULTS, or test-results/extension-host.json at the repository root.
 * run() resolves when the file is written, and rejects when a test failed, so both
 * kinds of runner see the outcome.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function resultsPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.MOONTALK_TEST_RESULTS ?? path.resolve(__dirname, '..', '..', '..', 'test-results', 'extension-host.json');
}

export async function run(): Promise<void> {
  const output = resultsPath();
  mkdirSync(path.dirname(output), { recursive: true });
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 30_000,
    color: false,
    reporter: 'json',
    reporterOptions: { output },
    grep: process.env.MOONTALK_TEST_GREP,
  });
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  let failures: number;
  try {
    failures = await new Promise<number>((resolve) => mocha.run(resolve));
  } catch (err) {
    // Loading a spec failed before mocha could report: leave a results file all the same.
    const message = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
    writeFileSync(output, JSON.stringify({ stats: { tests: 0, passes: 0, failures: 1 }, tests: [], passes: [], failures: [{ title: 'load', err: { message } }] }, null, 2));
    throw err;
  }
  console.log(`[moontalk tests] ${files.length} spec files, ${failures} failure(s); results in ${output}`);
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed; see ${output}`);
}
