/**
 * No spoken answer lost (issue 12): a spoken answer that arrives while no MoonTalk page
 * is open brings the chat view up without taking focus, and is heard. The question is
 * asked with Ask About File from the editor, with the panel closed and the chat view
 * never shown in this window (this spec runs before 13-chatView), so no page can play
 * it; the emulator process spreads the answer's audio over a few seconds, so some
 * of it arrives before the view is up (it is replayed from the start, surfaceHub.ts).
 * Heard is read on the view's own playback analyser, tapped by an init script before
 * the view's scripts run (VoiceChatPanel.installAudioProbeInEveryFrame).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { VoiceChatPanel } from '../pageObjects/voiceChatPanel';
import { EmulatorProcess } from '../support/emulatorProcess';
import { e2e } from '../support/fixture';
import { waitUntil } from '../support/processes';
import { closeAllEditorsDiscardingChanges, leaveExternalEmulator, useExternalEmulator } from '../support/steps';

/** Between the emulator's reply chunks: the answer lasts a few seconds, longer than the view takes to load. */
const CHUNK_DELAY_MS = 250;

describe('no spoken answer lost', () => {
  let emulator: EmulatorProcess | undefined;

  before(async function () {
    this.timeout(150_000);
    const fixture = e2e();
    emulator = await EmulatorProcess.start(path.join(fixture.artifacts, 'logs', 'emulator-no-answer-lost.log'), ['--reply-chunk-delay-ms', String(CHUNK_DELAY_MS)]);
    await useExternalEmulator(emulator.baseUrl, { 'moontalk.responseModality': 'AUDIO' });
    await VoiceChatPanel.installAudioProbeInEveryFrame(fixture.context);
    // No MoonTalk page: close the panel; the chat view was never shown in this window (checked below).
    await closeAllEditorsDiscardingChanges();
  });

  after(async function () {
    this.timeout(60_000);
    await leaveExternalEmulator(emulator);
  });

  it('a spoken answer with no MoonTalk page open brings the chat view up without focus, and is heard', async function () {
    this.timeout(90_000);
    const { workbench } = e2e();
    await assert.rejects(e2e().chatView(1_000), /timed out/, 'precondition: no chat view page yet');
    await assert.rejects(e2e().panel(1_000), /timed out/, 'precondition: no editor panel');
    await workbench.runCommand('Go to File...', { opensInput: true });
    await workbench.pickQuickPickItem('README.md', 'README.md');
    await workbench.waitForActiveEditor('README.md');
    const asked = Date.now();
    await workbench.runCommand('MoonTalk: Ask About This File', { opensInput: true });
    await workbench.fillInputBox('What is in this file?');
    const view = await e2e().chatView(30_000);
    const shownMs = Date.now() - asked;
    assert.equal(await workbench.webviewHasFocus(), false, 'the chat view took the keyboard focus');
    const heard = await waitUntil('the view to play the answer (its analyser carrying sound)', 30_000, async () => {
      const probe = await view.audioProbe().catch(() => undefined);
      const loud = probe?.polls.find((p) => p[3] >= 0.05);
      return loud && probe ? { probe, at: loud[0] } : undefined;
    });
    const { probe } = heard;
    const peak = Math.max(...probe.polls.map((p) => p[3]));
    console.log(`      [e2e] chat view up ${shownMs} ms after the question; analyser at ${probe.sampleRate} Hz peaked at ${peak.toFixed(3)}; ${probe.polls.filter((p) => p[3] >= 0.05).length} of ${probe.polls.length} samples ≥ 0.05`);
    assert.equal(probe.analysers, 1, 'the view built no (or more than one) playback analyser');
    assert.equal(await workbench.webviewHasFocus(), false, 'the chat view took the keyboard focus while playing');
    await workbench.waitForActiveEditor('README.md');
    await workbench.screenshot('12-answer-heard');
  });
});
