/**
 * Create Ephemeral Token from the palette: the emulator mints one, the notification
 * and the panel's token view show it masked (`auth_tokens/ab…yz`) with its time left.
 */
import assert from 'node:assert/strict';
import { e2e } from '../support/fixture';
import { openVoiceChat } from '../support/steps';

const MASKED = /^auth_tokens\/[A-Za-z0-9_-]{2}…[A-Za-z0-9_-]{2}$/;
/** What a whole token name looks like (the masked form has an ellipsis). */
const WHOLE_NAME = /auth_tokens\/[A-Za-z0-9_-]{5,}/;

describe('creating an ephemeral token', () => {
  it('mints a token from the palette and shows its masked name and time left in the panel', async () => {
    const { workbench } = e2e();
    const panel = await openVoiceChat();
    await panel.openTab('token');
    await workbench.runCommand('MoonTalk: Create Ephemeral Token');
    const note = await workbench.waitForNotification(/^Created auth_tokens\//, 20_000);
    assert.match(note, /^Created auth_tokens\/[A-Za-z0-9_-]{2}…[A-Za-z0-9_-]{2}: valid for \d+:\d\d, new sessions within \d+:\d\d, 1 use\(s\) left\./);

    let fields = await panel.tokenFields();
    for (let i = 0; i < 25 && fields.state !== 'valid'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      fields = await panel.tokenFields();
    }
    assert.equal(fields.state, 'valid', JSON.stringify(fields));
    assert.equal(fields.badge, 'Valid');
    assert.match(fields.name, MASKED);
    assert.ok(note.includes(fields.name), `the notification names ${note}, the panel ${fields.name}`);
    assert.equal(fields.uses, '1');
    // Defaults: 30 minutes in total, 60 s to start a new session.
    assert.match(fields.totalLeft, /^(29 min [0-5]\d|30 min 00) s$/);
    assert.match(fields.newSessionLeft, /^(\d{1,2} s|1 min 00 s)$/);

    const panelText = await panel.allText();
    assert.doesNotMatch(panelText, WHOLE_NAME, 'the panel shows a whole token name');
    for (const text of await workbench.notifications()) assert.doesNotMatch(text, WHOLE_NAME);

    await workbench.screenshot('03-token');
    await panel.screenshot('03-token');
    await workbench.clearNotifications();
  });
});
