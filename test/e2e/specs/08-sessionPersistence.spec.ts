/**
 * The conversation survives a window reload: hold a conversation with an emulator in
 * its own process, reload the window, and the next turn continues the same session
 * there (resumed with the handle the extension kept in secret storage); the History
 * tab still lists the conversation, with both turns, and Export writes it as Markdown.
 *
 * The steps build on each other, in order.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { VoiceChatPanel } from '../pageObjects/voiceChatPanel';
import { EmulatorProcess } from '../support/emulatorProcess';
import { e2e } from '../support/fixture';
import { waitUntil } from '../support/processes';
import { leaveExternalEmulator, openVoiceChat, useExternalEmulator } from '../support/steps';

const FIRST = 'Remember the word lantern.';
/** Connected, with the session's duration (and " · resumed" after a resume). */
const CONNECTED = /^MoonTalk \d+:\d\d( · (offline demo|resumed))*$/;
/** Connected to a session resumed from the stored record. */
const RESUMED = /^MoonTalk \d+:\d\d · resumed$/;
/** The resumption record is written 1 s after the last handle update (sessionPersistence.ts): wait past it. */
const SAVE_SETTLE_MS = 2_000;

describe('a conversation across a window reload', () => {
  /** When the first connect before the reload succeeded (Date.now()). */
  let connectedAt = 0;
  let emulator: EmulatorProcess | undefined;
  let panel: VoiceChatPanel;

  before(async function () {
    this.timeout(60_000);
    const fixture = e2e();
    emulator = await EmulatorProcess.start(path.join(fixture.artifacts, 'logs', 'emulator-persistence.log'));
    console.log(`      [e2e] persistence emulator at ${emulator.baseUrl}`);
    panel = await useExternalEmulator(emulator.baseUrl, { 'moontalk.responseModality': 'TEXT' });
  });

  after(async function () {
    this.timeout(60_000);
    const { workbench } = e2e();
    await leaveExternalEmulator(emulator, () => workbench.closeQuickInput());
  });

  it('holds a conversation with the emulator process', async () => {
    const { workbench } = e2e();
    await workbench.runCommand('MoonTalk: Connect');
    await workbench.waitForStatus(CONNECTED, 20_000);
    connectedAt = Date.now();
    await panel.waitForSessionState('connected');
    assert.equal((await panel.sessionStateText()).connection, '#1');
    await panel.sendMessage(FIRST);
    await panel.waitForTranscriptEntry('user', /^Remember the word lantern\.$/);
    await panel.waitForTranscriptEntry('model', /^You said: Remember the word lantern\.$/);
    const sessions = await emulator!.sessions();
    assert.equal(sessions.length, 1);
    assert.deepEqual(sessions[0]!.history.map((t) => t.text), [FIRST, `You said: ${FIRST}`]);
    await new Promise((r) => setTimeout(r, SAVE_SETTLE_MS));
    await workbench.screenshot('08-before-reload');
  });

  it('continues the same session on the emulator after Developer: Reload Window', async function () {
    this.timeout(120_000);
    const { workbench } = e2e();
    await workbench.reloadWindow();
    // The panel was open: the new window restores it (the extension activates for it).
    panel = await openVoiceChat(30_000);
    // The first connect of the new window reads the stored session and resumes it.
    await workbench.runCommand('MoonTalk: Connect');
    // The window before the reload may still hold the conversation's lease (its release on
    // deactivation does not always reach storage in code-server). The new window watches one
    // heartbeat and takes over silently; should a question come anyway, answer Take Over and log it.
    const first = await waitUntil('the status bar to show a resumed session, or a take-over question', 20_000, async () => {
      const dialog = await workbench.modalDialog();
      if (dialog && /live in another window/.test(dialog.text)) return { dialog };
      const text = await workbench.statusText();
      return text && RESUMED.test(text) ? { dialog: undefined } : undefined;
    });
    if (first.dialog) {
      console.log(`      [e2e] after the reload the window asked ${JSON.stringify(first.dialog.text)} ${JSON.stringify(first.dialog.buttons)}: answering Take Over`);
      await workbench.screenshot('08-after-reload-take-over-question');
      await workbench.answerModalDialog('Take Over');
    }
    const status = await workbench.waitForStatus(RESUMED, 20_000);
    const statusAt = Date.now();
    await panel.waitForSessionState('connected');
    // The resumed session goes on counting: its duration from the first connect before the
    // reload (not 0:00 again), its connections from #1 (this is #2 or later).
    const [, minutes, seconds] = /^MoonTalk (\d+):(\d\d)/.exec(status)!;
    const shownS = Number(minutes) * 60 + Number(seconds);
    const sinceFirstConnectS = (statusAt - connectedAt) / 1000;
    assert.ok(shownS >= sinceFirstConnectS - 3, `the status bar shows ${shownS} s, but the session began ${sinceFirstConnectS.toFixed(1)} s ago`);
    assert.match((await panel.sessionStateText()).connection, /^#([2-9]|\d\d+)/);
    // The panel shows the conversation from before the reload (from the history store).
    await panel.waitForTranscriptEntry('user', /^Remember the word lantern\.$/, 10_000);
    await panel.sendMessage('what did i say last');
    await panel.waitForTranscriptEntry('model', /^You last said: "Remember the word lantern\."$/, 20_000);
    assert.match((await panel.sessionStateText()).detail, /resumed/);
    const sessions = await emulator!.sessions();
    const summary = sessions.map((s) => ({ id: s.id, connectionCount: s.connectionCount, resumeCount: s.resumeCount, turns: s.history.length }));
    console.log(`      [e2e] after the reload: status ${JSON.stringify(status)}; emulator sessions ${JSON.stringify(summary)}`);
    assert.equal(sessions.length, 1, `the reload started another session: ${JSON.stringify(summary)}`);
    assert.ok(sessions[0]!.connectionCount >= 2, `one connection only: ${JSON.stringify(summary)}`);
    assert.ok(sessions[0]!.resumeCount >= 1, `never resumed: ${JSON.stringify(summary)}`);
    await workbench.screenshot('08-after-reload-resumed');
    await panel.screenshot('08-after-reload-resumed');
  });

  it('keeps the conversation in the History tab, with the turns from before and after the reload', async () => {
    await panel.openTab('history');
    const item = await panel.waitForHistoryItem(FIRST);
    const body = await panel.openHistoryItem(item.id);
    assert.match(body, /^# Remember the word lantern\./);
    for (const text of [FIRST, `You said: ${FIRST}`, 'what did i say last', 'You last said: "Remember the word lantern."']) {
      assert.ok(body.includes(text), `the shown conversation lacks ${JSON.stringify(text)}:\n${body}`);
    }
    await e2e().workbench.screenshot('08-history');
    await panel.screenshot('08-history');
  });

  it('exports the conversation as Markdown through the save dialog', async function () {
    this.timeout(60_000);
    const { workbench, profile } = e2e();
    const file = path.join(profile.workspace, 'lantern-conversation.md');
    await panel.exportShownConversation();
    const dialog = await workbench.answerSaveDialog(file);
    assert.match(dialog.title, /Export Conversation as Markdown/);
    assert.match(dialog.suggested, /moontalk-[\dT-]+Z\.md$/);
    const markdown = await waitUntil(`${file} to be written`, 10_000, () => (existsSync(file) && readFileSync(file, 'utf8').length > 0 ? readFileSync(file, 'utf8') : undefined));
    assert.ok(markdown.startsWith(`# ${FIRST}\n`), `the export starts with ${JSON.stringify(markdown.slice(0, 80))}`);
    assert.match(markdown, /^### Turn 1 · You · \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/m);
    assert.match(markdown, /^### Turn \d+ · Gemini · /m);
    assert.ok(markdown.includes('You last said: "Remember the word lantern."'), markdown);
    await workbench.clickNotificationButton(/^Exported the conversation to .*lantern-conversation\.md\.?$/, 'Open');
    await workbench.waitForActiveEditor('lantern-conversation.md');
    await workbench.screenshot('08-exported-markdown');
  });
});
