// @vscode/test-cli configuration, for machines that can download VS Code:
//   npm run test:extension
// (On machines without that, the code-server runner loads out/test/extensionHost/index.js;
// see shared E2E-CODE-SERVER.md.) The bundles come from `node esbuild.mjs`.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'extensionHost',
  files: 'out/test/extensionHost/**/*.test.js',
  version: 'stable',
  workspaceFolder: '.',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  env: { MOONTALK_TEST_API: '1' },
  mocha: { ui: 'bdd', timeout: 30_000, color: false },
});
