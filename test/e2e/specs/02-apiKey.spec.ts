/**
 * Set API Key through the palette: a password box, a shape check while typing, then a real
 * check with Gemini, which here is an emulator process standing in for it (`moontalk.baseUrl`,
 * `--api-key`: it refuses every other key, as Gemini does), while the backend stays the
 * offline demo. A wrong key is refused and nothing is stored; the right one is stored, the
 * message offers to switch to Gemini, and Use Gemini switches.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { EmulatorProcess } from '../support/emulatorProcess';
import { e2e } from '../support/fixture';
import { openVoiceChat, writeUserSettings } from '../support/steps';
import type { VoiceChatPanel } from '../pageObjects/voiceChatPanel';

/** The one key the stand-in accepts; it has the shape of a Gemini key. */
const KEY = 'AIzaE2eTestKey-0123456789abcdefghijklm';
const WRONG_KEY = 'AIzaE2eWrongKey-9876543210zyxwvutsrqpo';

describe('setting the API key from the palette', () => {
  let gemini: EmulatorProcess | undefined;
  let panel: VoiceChatPanel;

  before(async function () {
    this.timeout(90_000);
    const { workbench, artifacts } = e2e();
    gemini = await EmulatorProcess.start(path.join(artifacts, 'logs', 'emulator-gemini-stand-in.log'), ['--api-key', KEY]);
    panel = await openVoiceChat();
    // Two writes, so the check can never go to the real API: the panel shows the URL only on the
    // gemini backend; once it does, the second write (the offline demo, the same URL) applies whole.
    await writeUserSettings({ 'moontalk.backend': 'gemini', 'moontalk.baseUrl': gemini.baseUrl });
    await panel.waitForBaseUrl(gemini.baseUrl);
    await writeUserSettings({ 'moontalk.baseUrl': gemini.baseUrl });
    await workbench.waitForStatus(/^MoonTalk · offline demo$/);
  });

  after(async () => {
    await e2e().workbench.closeQuickInput();
    await writeUserSettings();
    await e2e().workbench.waitForStatus(/^MoonTalk · offline demo$/);
    await gemini?.stop();
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

  it('a key Gemini refuses is not stored, and the message says so (not the network)', async () => {
    const { workbench } = e2e();
    await workbench.fillInputBox(WRONG_KEY);
    const refused = await workbench.waitForNotification(/Gemini rejected the API key/, 20_000);
    assert.match(refused, /Nothing was saved/);
    assert.doesNotMatch(refused, /network/);
    await workbench.clearNotifications();
    assert.equal(await workbench.paletteOffers('MoonTalk: Clear API Key', 3_000), false, 'a refused key was stored');
  });

  it('checks the key with Gemini on the offline demo, stores it, never shows it, and offers to switch', async () => {
    const { workbench } = e2e();
    await workbench.runCommand('MoonTalk: Set API Key', { opensInput: true });
    await workbench.fillInputBox(KEY);
    const saved = await workbench.waitForNotification(/Gemini accepted the API key/, 20_000);
    assert.match(saved, /secret storage/);
    assert.match(saved, /offline demo/);
    await workbench.screenshot('02-api-key-saved');
    for (const text of await workbench.notifications()) assert.ok(!text.includes(KEY), `a notification shows the key: ${text}`);
    await workbench.clickNotificationButton(/Gemini accepted the API key/, 'Use Gemini');
    await panel.waitForBaseUrl(gemini!.baseUrl);
    assert.match(await workbench.waitForStatus(/^MoonTalk$/), /^MoonTalk$/, 'the status bar still says offline demo after Use Gemini');
    await workbench.clearNotifications();
    assert.equal(await workbench.paletteOffers('MoonTalk: Clear API Key', 5_000), true, 'Clear API Key is not offered: no key stored');
  });
});
