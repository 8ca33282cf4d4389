/** Where the e2e suite finds its tools (installed by test/e2e/install.sh) and puts its artifacts. */
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');
export const CACHE = process.env.MOONTALK_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'moontalk-e2e');
export const NODE24_BIN = path.join(CACHE, 'node24/node_modules/node/bin');
export const CODE_SERVER_PKG = path.join(CACHE, 'code-server/node_modules/code-server');
export const CODE_SERVER_BIN = path.join(CACHE, 'code-server/node_modules/.bin/code-server');
export const SERVER_MAIN = path.join(CODE_SERVER_PKG, 'lib/vscode/out/server-main.js');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** Screenshots and logs, kept as CI artifacts (git-ignored). */
export const ARTIFACTS = path.join(REPO, 'test-results', 'e2e');

/** Point the workbench's extension gallery at a closed loopback port: no traffic off the machine. */
export const NO_GALLERY = JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item' });

export const WORKBENCH_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  // Keep the chat/Copilot UI out of the way (chat.disableAIFeatures alone was reported not to
  // stop a sign-in dialog): no empty chat view in the secondary side bar, no title bar sign-in,
  // no "unified agents" quick access in place of the command palette.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.titleBar.signIn.enabled': false,
  'chat.welcomePage.signIn.enabled': false,
  'chat.unifiedAgentsBar.enabled': false,
  'workbench.disableAICustomizations': true,
  'workbench.welcome.enabled': false,
  // The emulator listens on 127.0.0.1: no "application running on port …" toasts over the panel.
  'remote.autoForwardPorts': false,
};
