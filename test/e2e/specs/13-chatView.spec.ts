/**
 * The side bar chat view: opened from the Activity Bar, Send connects and the answer
 * shows, the one-line session strip follows the session, and the view reads well in
 * dark, light and high-contrast themes (screenshots 13-view-*-view.png).
 *
 * The steps build on each other, in order.
 */
import assert from 'node:assert/strict';
import type { VoiceChatPanel } from '../pageObjects/voiceChatPanel';
import { e2e } from '../support/fixture';
import { disconnectIfConnected, writeUserSettings } from '../support/steps';

const MESSAGE = 'Hello from the side bar';

describe('the chat view in the side bar', () => {
  let view: VoiceChatPanel;

  before(async () => {
    await disconnectIfConnected();
    await e2e().workbench.clearNotifications();
  });

  after(async () => {
    await writeUserSettings();
  });

  it('opens from the MoonTalk icon in the Activity Bar, conversation first', async () => {
    const { workbench } = e2e();
    await workbench.openActivityBarItem('MoonTalk');
    view = await e2e().chatView();
    const strip = await view.strip();
    assert.match(strip.state, /^(Idle|Disconnected|Closed)$/);
    assert.ok(strip.model.length > 0, 'the strip names the model');
    assert.equal(strip.countdown, null, 'no countdown while nothing is counting down');
  });

  it('connects on Send and shows the answer', async () => {
    await view.sendMessage(MESSAGE);
    await view.waitForTranscriptEntry('user', new RegExp(`^${MESSAGE}$`));
    await view.waitForTranscriptEntry('model', new RegExp(`^You said: ${MESSAGE}$`), 20_000);
    await view.waitForSessionState('connected');
    assert.equal((await view.strip()).state, 'Connected');
  });

  for (const [theme, themeClass, name] of [
    ['Default Dark Modern', 'vscode-dark', 'dark'],
    ['Default Light Modern', 'vscode-light', 'light'],
    ['Default High Contrast', 'vscode-high-contrast', 'hc'],
  ] as const) {
    it(`reads in the ${name} theme (screenshot 13-view-${name}-view.png, Details open in 13-view-${name}-details-view.png)`, async () => {
      await writeUserSettings({ 'workbench.colorTheme': theme });
      await view.waitForTheme(themeClass);
      await view.setDetailsOpen(false);
      const shot = await view.screenshot(`13-view-${name}`);
      await view.setDetailsOpen(true);
      await view.screenshot(`13-view-${name}-details`);
      await view.setDetailsOpen(false);
      assert.ok(shot.endsWith(`13-view-${name}-view.png`));
    });
  }
});
