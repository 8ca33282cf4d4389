/**
 * A conversation across goAway handoffs: connect from the palette, talk in the panel,
 * watch the emulator's goAway countdown and the switch to a new connection, and check
 * the resumed session still knows the first message. The profile's emulator ends each
 * connection after 20 s with a goAway 10 s before (fixture.ts, E2E_SETTINGS).
 *
 * The steps build on each other, in order.
 */
import assert from 'node:assert/strict';
import type { VoiceChatPanel } from '../pageObjects/voiceChatPanel';
import { e2e } from '../support/fixture';
import { waitUntil } from '../support/processes';
import { openVoiceChat } from '../support/steps';

const FIRST = 'My favourite moon is Europa';
/** Connected, with the session's duration, " · offline demo" (the profile's backend) and " · resumed" after a resume. */
const CONNECTED = /^MoonTalk \d+:\d\d · offline demo( · resumed)?$/;
/** A routine handoff: the duration goes on, with a small note; no countdown, no colour. */
const HANDING_OFF = /^MoonTalk \d+:\d\d · offline demo · reconnecting seamlessly$/;

describe('a conversation across goAway handoffs', () => {
  let panel: VoiceChatPanel;

  /** Since the last startStatusRecorder: no protocol words and never a warning or error colour on the item. */
  async function assertCalmHandoff(): Promise<void> {
    const history = await e2e().workbench.statusHistory();
    assert.ok(history.some((t) => HANDING_OFF.test(t)), `the handoff never showed: ${JSON.stringify(history)}`);
    for (const t of history) assert.doesNotMatch(t, /goAway|handing off/i, `jargon in the status bar: ${t}`);
    const colours = await e2e().workbench.statusBackgroundHistory();
    assert.deepEqual(colours.filter((c) => c !== ''), [], `the status bar was coloured during the handoff: ${JSON.stringify(colours)}`);
  }

  before(async () => {
    panel = await openVoiceChat();
    await e2e().workbench.clearNotifications();
  });

  it('connects from the palette and shows the connection time in the status bar', async () => {
    const { workbench } = e2e();
    await workbench.startStatusRecorder();
    await workbench.runCommand('MoonTalk: Connect');
    await workbench.waitForStatus(CONNECTED, 20_000);
    await panel.waitForSessionState('connected');
    assert.equal((await panel.sessionStateText()).label, 'Connected');
    await workbench.screenshot('05-connected');
  });

  it('answers a message typed in the panel, in the transcript', async () => {
    await panel.sendMessage(FIRST);
    await panel.waitForTranscriptEntry('user', new RegExp(`^${FIRST}$`));
    await panel.waitForTranscriptEntry('model', new RegExp(`^You said: ${FIRST}$`));
  });

  it('shows the goAway countdown, then hands off to a new connection with the transcript intact', async () => {
    const { workbench } = e2e();
    const before = await panel.sessionStateText();
    const transcriptBefore = await panel.transcript();
    await panel.startRecorder();
    // With no turn open the switch follows the goAway within milliseconds: the recorders
    // (MutationObservers in the page) catch what polling would miss.
    await workbench.waitForStatusHistory(HANDING_OFF, 30_000);
    await workbench.waitForStatus(CONNECTED, 20_000);
    await assertCalmHandoff();
    await panel.waitForSessionState('connected');
    const after = await panel.sessionStateText();
    assert.notEqual(after.connection, before.connection, `still on connection ${before.connection}`);
    assert.match(after.detail, /resumed/);
    assert.ok((await panel.recorded()).some((e) => /^handingOff goAway \d+ s$/.test(e)), `the panel never showed the countdown: ${JSON.stringify(await panel.recorded())}`);
    assert.deepEqual((await panel.transcript()).slice(0, transcriptBefore.length), transcriptBefore);
    await workbench.screenshot('05-after-handoff');
  });

  it('remembers the first message after the handoff (the session was resumed, not restarted)', async () => {
    await panel.sendMessage('What did I say first?');
    await panel.waitForTranscriptEntry('model', new RegExp(`^You first said: "${FIRST}"$`));
    await e2e().workbench.screenshot('05-resumed-history');
  });

  it('keeps counting down while a tool question is open, and switches before the goAway deadline', async () => {
    const { workbench } = e2e();
    const before = await panel.sessionStateText();
    await workbench.startStatusRecorder();
    await panel.startRecorder();
    // The emulator answers "call tool …" with that function call; the extension asks the
    // user before it opens a file (tools.confirmReadOnly). The call runs in the background
    // (3.8), but its answer belongs on this connection: the session holds the switch for it
    // and goes 2 s before the deadline.
    await panel.sendMessage('call tool open_file {"path":"README.md"}');
    assert.match(await panel.waitForToolQuestion(), /README\.md/);
    await workbench.waitForStatus(HANDING_OFF, 30_000);
    assert.equal(await workbench.statusBackground(), undefined, 'the status bar turned a warning colour during a routine handoff');
    assert.match((await panel.goAwayCountdown()) ?? '', /^\d+ s$/);
    await workbench.screenshot('05-handing-off');
    await workbench.waitForStatus(CONNECTED, 15_000);
    const after = await panel.sessionStateText();
    assert.notEqual(after.connection, before.connection);
    await assertCalmHandoff();
    // The countdown lives in the panel (its goAway bar), not in the status bar.
    const countdown = (await panel.recorded()).filter((e) => /^handingOff goAway \d+ s$/.test(e));
    const seconds = countdown.map((t) => Number(/ (\d+) s$/.exec(t)![1]));
    assert.ok(seconds.length >= 3, `a countdown of ${JSON.stringify(countdown)}`);
    assert.ok(seconds.every((s, i) => i === 0 || s < seconds[i - 1]!), `not counting down: ${JSON.stringify(countdown)}`);
    assert.ok(Math.min(...seconds) >= 1, `switched only at the deadline: ${JSON.stringify(countdown)}`);
    // The question survives the switch; the answer given now reaches the model as content on
    // the new connection, and the model speaks about it.
    await panel.waitForToolQuestion();
    await panel.answerToolQuestion(false);
    await panel.waitForTranscriptEntry('model', /before the connection changed: open_file/);
    await waitUntil('the question to close', 5_000, async () => ((await panel.toolQuestions()).length === 0 ? true : undefined));
  });

  it('disconnects from the palette', async () => {
    const { workbench } = e2e();
    await workbench.runCommand('MoonTalk: Disconnect');
    await workbench.waitForStatus(/^MoonTalk: disconnected$/, 15_000);
    await panel.waitForSessionState('closed');
    await workbench.screenshot('05-disconnected');
  });
});
