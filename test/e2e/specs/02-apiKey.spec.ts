/**
 * Set API Key through the palette: a password box, a shape check while typing, a real
 * token request to the in-process emulator, then the key in SecretStorage (seen
 * through the notification and the hasApiKey context key: Clear API Key appears).
 */
import assert from 'node:assert/strict';
import { e2e } from '../support/fixture';

/** Any key works with the emulator; this one has the shape of a Gemini key. */
const KEY = 'AIzaE2eTestKey-0123456789abcdefghijklm';

describe('setting the API key from the palette', () => {
  after(async () => {
    await e2e().workbench.closeQuickInput();
  });

  it('offers no Clear API Key while no key is stored', async () => {
    assert.equal(await e2e().workbench.paletteOffers('MoonTalk: Clear API Key'), false);
  });

  it('asks for the key in a password box and flags text that cannot be a key', async () => {
    const { workbench } = e2e();
    await workbench.runCommand('MoonTalk: Set API Key', { opensInput: true });
    const box = await workbench.inputBox();
    assert.equal(box.password, true, 'the key is typed in the clear');
    assert.match(box.title, /Set Gemini API Key/);
    assert.match(await workbench.typeIntoInputBox('not a key'), /no spaces/);
  });

  it('checks the key with the emulator, stores it, and never shows it', async () => {
    const { workbench } = e2e();
    await workbench.fillInputBox(KEY);
    const saved = await workbench.waitForNotification(/accepted the API key/, 20_000);
    assert.match(saved, /secret storage/);
    await workbench.screenshot('02-api-key-saved');
    for (const text of await workbench.notifications()) assert.ok(!text.includes(KEY), `a notification shows the key: ${text}`);
    assert.equal(await workbench.paletteOffers('MoonTalk: Clear API Key', 5_000), true, 'Clear API Key is not offered: no key stored');
    await workbench.clearNotifications();
  });
});
