/**
 * Voice end to end: Chromium's fake microphone plays a speech loop (fakeMicrophone.ts)
 * into the panel's capture worklet; the extension streams it to an emulator running in
 * its own process; the emulator answers each utterance with 24 kHz audio, which the
 * panel plays; the loop's next words arrive while that reply plays, the emulator sends
 * `interrupted`, and the panel must fall silent within one audio frame (40 ms).
 *
 * What reaches the emulator is compared with the source WAV by normalised
 * cross-correlation over every lag. The panel asks getUserMedia for echo cancellation,
 * noise suppression and gain control, so Chromium runs its voice processing (WebRTC's
 * audio processing module) on the fake device too; its high-pass filter alone takes
 * the waveform correlation with the unfiltered source down to about 0.81 (measured
 * with Chromium 156: processing off 1.00, gain control alone 0.99, echo cancellation
 * or noise suppression alone 0.81). So both are computed and logged: against the
 * source as is, and against the source through a fixed model of that high-pass
 * (audioAnalysis.ts, ≈ 0.99); the better of the two must reach 0.9. A broken path
 * (lost, repeated or reordered frames, a wrong rate, byte order) fails both.
 *
 * Last, the panel's Voice processing switch turns that processing off
 * (moontalk.audio.voiceProcessing); the running capture reopens without it, and what
 * arrives after that must match the source as is (NCC ≥ 0.98 in at least half of its
 * voiced 250 ms segments, so a few dropped render quanta cannot fail it).
 *
 * Playback is observed on the panel's own AnalyserNode (the one that drives the output
 * meter), tapped and sampled every few milliseconds in the page, and on the meter.
 * Steps build on each other, in order.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { VoiceChatPanel } from '../pageObjects/voiceChatPanel';
import { alignedSegmentCorrelation, decodePcm16Base64, maxNormalizedCrossCorrelation, measureInterrupts, readWav, shareAtLeast, voiceProcessingHighPass, type AudioClockStop, type InterruptMeasurement } from '../support/audioAnalysis';
import { median } from '../../../bench/stats';
import { EmulatorProcess } from '../support/emulatorProcess';
import { FAKE_MIC_PAD_S, REPLY_CHUNK_DELAY_MS, SPEECH_FIXTURE } from '../support/fakeMicrophone';
import { e2e } from '../support/fixture';
import { waitUntil } from '../support/processes';
import { leaveExternalEmulator, useExternalEmulator } from '../support/steps';

/** One audio frame: the capture worklet's 640 samples at 16 kHz. */
const FRAME_MS = 40;
/**
 * Measurement slack on the wall clock: the probe samples the analyser on a 2 ms timer
 * (2-5 ms apart in practice), and the analyser only changes when the audio thread has
 * rendered the next quanta, so "silent" is seen some milliseconds after it happened.
 * Seen: silent 2.5-11.4 ms after `interrupted` by wall clock; on the audio clock the first
 * render quantum after the message was already silent (0.0 ms) in every run.
 */
const SLACK_MS = 20;

/** "+2.5 ms" (no "-0.0" for a rounding error around zero); "?" when unknown. */
function ms(value: number | undefined): string {
  if (value === undefined) return '?';
  return `${value < 0 && value > -0.05 ? '+0.0' : `${value >= 0 ? '+' : ''}${value.toFixed(1)}`} ms`;
}

function log(message: string): void {
  console.log(`      [e2e] ${message}`);
}

describe('voice through the fake microphone, against an emulator process', () => {
  let emulator: EmulatorProcess | undefined;
  let panel: VoiceChatPanel;
  const source = readWav(SPEECH_FIXTURE);
  const loopMs = (source.samples.length / source.sampleRate + FAKE_MIC_PAD_S) * 1000;

  before(async function () {
    this.timeout(90_000);
    const fixture = e2e();
    emulator = await EmulatorProcess.start(path.join(fixture.artifacts, 'logs', 'emulator-voice.log'), ['--reply-chunk-delay-ms', String(REPLY_CHUNK_DELAY_MS)]);
    log(`voice emulator at ${emulator.baseUrl}; fake microphone ${path.relative(process.cwd(), fixture.fakeMicrophone)} (looped every ${(loopMs / 1000).toFixed(2)} s)`);
    // The barge-in timeline (fakeMicrophone.ts) is built on a 600 ms end of speech and a barge-in at
    // the first speech block: the turn-taking defaults (1200 ms, 300 ms) would move both.
    panel = await useExternalEmulator(emulator.baseUrl, {
      'moontalk.responseModality': 'AUDIO',
      'moontalk.turnTaking.silenceDurationMs': 600,
      'moontalk.turnTaking.prefixPaddingMs': 0,
    });
    await panel.installAudioProbe();
  });

  after(async function () {
    this.timeout(60_000);
    await leaveExternalEmulator(emulator, async () => {
      await panel?.stopAudioProbe();
      if ((await panel?.micButton())?.pressed) {
        await panel.clickMicButton();
        await panel.waitForListening(false);
      }
    });
  });

  it('streams the fake microphone to the emulator: what it received matches the source WAV (NCC ≥ 0.9)', async function () {
    this.timeout(90_000);
    const { workbench } = e2e();
    await panel.clickMicButton();
    await panel.waitForListening(true);
    await panel.waitForMeterAboveZero('input', 10_000);
    assert.match(await panel.audioContext(), /^running@\d+ capturing$/, 'the click did not start a running AudioContext');
    await workbench.screenshot('07-listening');
    await panel.screenshot('07-listening');

    // A whole copy of the source at any starting point: one loop plus one source length.
    const needMs = loopMs + (source.samples.length / source.sampleRate) * 1000 + 300;
    await waitUntil(`the emulator to receive ${Math.round(needMs)} ms of audio`, needMs + 20_000, async () => {
      const [s] = await emulator!.sessions();
      return s && s.receivedAudio.durationMs >= needMs ? true : undefined;
    });
    const sessions = await emulator!.sessions({ pcm: true });
    assert.equal(sessions.length, 1, `sessions: ${JSON.stringify(sessions.map((s) => s.id))}`);
    const audio = sessions[0]!.receivedAudio;
    assert.equal(audio.sampleRate, source.sampleRate, 'the emulator received audio at another rate than 16 kHz');
    const received = decodePcm16Base64(audio.pcm ?? '');
    const started = Date.now();
    const processedSource = voiceProcessingHighPass(source.samples, source.sampleRate);
    const asIs = maxNormalizedCrossCorrelation(received, source.samples);
    const processed = maxNormalizedCrossCorrelation(received, processedSource);
    const segments = alignedSegmentCorrelation(received, processedSource, { sampleRate: source.sampleRate });
    const segmentMedian = median(segments.values);
    log(
      `received ${(received.length / audio.sampleRate).toFixed(2)} s at ${audio.sampleRate} Hz; max NCC over ${asIs.lags} lags: ` +
        `${asIs.max.toFixed(4)} against the source as is (lag ${asIs.lag}), ${processed.max.toFixed(4)} against it through the voice-processing high-pass (lag ${processed.lag}); ` +
        `per 250 ms segment through the high-pass: ${segments.values.length} voiced, median ${segmentMedian.toFixed(4)}, min ${Math.min(...segments.values).toFixed(4)}; ${Date.now() - started} ms`,
    );
    assert.ok(asIs.lags >= (loopMs / 1000) * source.sampleRate, 'the search did not cover one whole loop of lags');
    assert.ok(segments.values.length >= 8, `only ${segments.values.length} voiced segments to compare`);
    // The whole source, or (a busy machine can drop a render quantum, which shifts everything
    // after it and costs the whole-source NCC though each piece arrived intact: 0.8904 seen
    // once beside a second CI run, 0.8600 with median segment 0.9804 beside three helpers'
    // jobs) the median aligned segment. Noise or a wrong rate leaves both far below 0.9
    // (test/unit/e2eSupport/audioAnalysis.test.ts).
    assert.ok(
      Math.max(asIs.max, processed.max) >= 0.9 || segmentMedian >= 0.9,
      `max NCC ${asIs.max.toFixed(4)} (as is) / ${processed.max.toFixed(4)} (voice-processed model), median segment ${segmentMedian.toFixed(4)}: all below 0.9`,
    );
  });

  it('plays the spoken reply: the output analyser carries sound and the output meter rises above zero', async function () {
    this.timeout(30_000);
    const { workbench } = e2e();
    // Each utterance gets a reply; one plays for about 0.3 s before the loop speaks over it.
    const level = await panel.waitForMeterAboveZero('output', 15_000);
    await workbench.screenshot('07-reply-playing');
    await panel.screenshot('07-reply-playing');
    const probe = await panel.audioProbe();
    assert.equal(probe.analysers, 1, 'the panel built no (or more than one) playback analyser');
    const loud = probe.polls.filter((p) => p[3] >= 0.05);
    const peak = Math.max(...probe.polls.map((p) => p[3]));
    const outputMax = Math.max(0, ...probe.meters.filter((m) => m[1] === 'output').map((m) => m[2]));
    log(`reply playing: analyser at ${probe.sampleRate} Hz peaked at ${peak.toFixed(3)} (${loud.length} of ${probe.polls.length} samples ≥ 0.05); output meter up to ${outputMax} (seen at ${level})`);
    assert.ok(loud.length > 0, `the analyser never carried the reply (peak ${peak})`);
    assert.ok(outputMax > 0, 'the output meter never rose above 0');
    const [session] = await emulator!.sessions();
    assert.ok(session!.history.some((t) => t.role === 'user' && /^\[speech \d+\.\d s\]$/.test(t.text)), `no spoken turn in ${JSON.stringify(session!.history)}`);
  });

  it('falls silent within one audio frame of `interrupted` when the user speaks over the reply (barge-in)', async function () {
    this.timeout(40_000);
    const { workbench } = e2e();
    let measured: InterruptMeasurement[] = [];
    // An interrupt that came while the reply played, with 400 ms of samples after it.
    const bargeIn = await waitUntil('an `interrupted` while the reply plays', 30_000, async () => {
      measured = measureInterrupts(await panel.audioProbe());
      // Sounding by the clock it is judged on (soundingAtStop), not only by the 2 ms poll.
      return measured.find((m) => m.wasPlaying && soundingAtStop(m) && m.staysSilentMs !== undefined && m.staysSilentMs >= 400);
    }).catch((err: Error) => {
      throw new Error(`${err.message}; interrupts seen: ${JSON.stringify(measured)}`);
    });
    const probe = await panel.audioProbe();
    const meterZero = probe.meters.find((m) => m[1] === 'output' && m[0] >= bargeIn.at && m[2] === 0);
    log(
      `barge-in: ${measured.length} interrupt(s), ${measured.filter((m) => m.wasPlaying).length} during playback; the first: ${describeStop(bargeIn)}; ` +
        `output meter at 0 ${ms(meterZero ? meterZero[0] - bargeIn.at : undefined)}`,
    );
    await workbench.screenshot('07-barge-in');
    await panel.screenshot('07-barge-in');
    // On the audio clock when the long tap read it: beside a second CI run the page's 2 ms poll
    // once did not run for 146 ms after the last sound (+8.3 ms), and the wall clock then said 154 ms.
    assertSilencedWithinAFrame(bargeIn, '`interrupted`', 400);
    assert.ok(meterZero && meterZero[0] - bargeIn.at <= 400, 'the output meter did not return to 0 within 400 ms');
  });

  it('with Voice processing switched off, the emulator receives the microphone unaltered (NCC ≥ 0.98 per aligned segment against the source as is)', async function () {
    this.timeout(90_000);
    assert.equal(await panel.voiceProcessing(), true, 'voice processing is on by default');
    assert.equal((await panel.micButton()).pressed, true, 'still listening from the steps above');
    await panel.setVoiceProcessing(false);
    // The switch writes the setting; the panel hears it back and reopens the running capture
    // without the browser's processing. Audio from before that is left out.
    await waitUntil('the capture to reopen unprocessed', 10_000, async () => (/ capturing unprocessed$/.test(await panel.audioContext()) ? true : undefined));
    await panel.waitForListening(true);
    const [before] = await emulator!.sessions();
    const fromSample = Math.round((before!.receivedAudio.durationMs / 1000) * source.sampleRate);
    const needMs = loopMs + (source.samples.length / source.sampleRate) * 1000 + 300;
    await waitUntil(`${Math.round(needMs)} ms more audio at the emulator`, needMs + 20_000, async () => {
      const [s] = await emulator!.sessions();
      return s && s.receivedAudio.durationMs - before!.receivedAudio.durationMs >= needMs ? true : undefined;
    });
    const [after] = await emulator!.sessions({ pcm: true });
    const received = decodePcm16Base64(after!.receivedAudio.pcm ?? '').subarray(fromSample);
    const asIs = maxNormalizedCrossCorrelation(received, source.samples);
    // Judged per aligned 250 ms segment: one render quantum dropped on a busy machine shifts
    // the rest of the stream and cost the whole-source NCC its 0.98 once (0.9794), while
    // every segment but the one holding the gap still matched. Processing changes them all.
    const segments = alignedSegmentCorrelation(received, source.samples, { sampleRate: source.sampleRate });
    const share = shareAtLeast(segments.values, 0.98);
    log(
      `voice processing off: ${(received.length / source.sampleRate).toFixed(2)} s received after the switch; max NCC against the source as is ${asIs.max.toFixed(4)} (lag ${asIs.lag}); ` +
        `per 250 ms segment: ${segments.values.length} voiced, ${(share * 100).toFixed(0)} % at ≥ 0.98, min ${Math.min(...segments.values).toFixed(4)}`,
    );
    assert.ok(segments.values.length >= 8, `only ${segments.values.length} voiced segments to compare`);
    // Half the segments: with processing on none reaches 0.98 (they sit near 0.8), while a busy
    // machine's dropped quanta cost one segment each (2 of 14 seen beside a second CI run).
    assert.ok(share >= 0.5, `only ${(share * 100).toFixed(0)} % of segments reach NCC 0.98 against the source as is (whole: ${asIs.max.toFixed(4)}): the capture is still processed`);
    await panel.setVoiceProcessing(true);
    await waitUntil('the capture to reopen with voice processing', 10_000, async () => (/ capturing$/.test(await panel.audioContext()) ? true : undefined));
    await panel.waitForListening(true);
  });
  /**
   * Stop Speaking: a typed question gets a 4 s spoken reply (four chunks 700 ms apart); it is
   * silenced mid-reply and must be silent within one audio frame, and stay silent while the
   * rest of that answer arrives (a chunk would sound again within about 0.8 s).
   */
  const LONG_QUESTION = 'Please tell me everything about the handoff, slowly and at length.';
  const ANSWER_TO_LONG_QUESTION = /^You said: Please tell me everything/;

  /** The first interrupt of `source` the panel saw after `fromMs` (its performance.now()), once 1.6 s of samples follow it. */
  async function measureStop(fromMs: number, source: 'message' | 'escape'): Promise<InterruptMeasurement> {
    let found: InterruptMeasurement | undefined;
    await waitUntil(`the ${source === 'escape' ? 'Escape' : 'Stop Speaking'} interrupt with 1.6 s of samples after it`, 15_000, async () => {
      const probe = await panel.audioProbe();
      // Earlier interrupts (the typed question cutting off an answer to the microphone's last words) are not this one.
      found = measureInterrupts({ ...probe, interrupts: probe.interrupts.filter((i) => i.t >= fromMs && (i.source ?? 'message') === source) })[0];
      const lastPoll = probe.polls.at(-1)?.[0] ?? 0;
      return found && lastPoll >= found.at + 1_600 ? found : undefined;
    });
    return found!;
  }

  function describeStop(stop: InterruptMeasurement): string {
    const audio = stop.audio && !stop.audio.unknown ? `; audio clock (long tap): ${stop.audio.wasPlaying ? 'sounding' : 'silent'} at the interrupt, silent ${stop.audio.silentAfterMs === null ? 'never' : ms(stop.audio.silentAfterMs)} after` : '';
    return `sound until ${ms(stop.soundUntilMs)}, silent by ${ms(stop.silentByMs)} (wall clock), first silent sample ${ms(stop.silentAfterAudioMs)} (audio clock), silent for ${stop.staysSilentMs?.toFixed(0)} ms after${audio}`;
  }

  /** The long tap's reading, when it has one: what a stop is judged on (a busy machine starves the 2 ms poll). */
  function audioClockReading(stop: InterruptMeasurement): AudioClockStop | undefined {
    return stop.audio && !stop.audio.unknown && stop.audio.wasPlaying !== undefined ? stop.audio : undefined;
  }

  /** The voice sounded when the stop came, by the clock the stop is judged on. */
  function soundingAtStop(stop: InterruptMeasurement): boolean {
    return audioClockReading(stop)?.wasPlaying ?? stop.wasPlaying;
  }

  /**
   * Asks the long question and stops its answer with `stop` (which returns the page's time
   * just before it), until a stop lands while the voice sounds, at most three times: on a busy
   * machine a reply chunk can arrive late and leave a moment of silence before the next, and a
   * stop that lands there measures nothing (seen once beside a second CI run: silent 5.8 ms
   * before Stop Speaking on the audio clock; the rest of the answer then stayed silent).
   */
  async function stopWhileSounding(source: 'message' | 'escape', stop: () => Promise<number>): Promise<InterruptMeasurement> {
    let measured: InterruptMeasurement | undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
      await waitForQuiet();
      await askAndAwaitItsAnswer(LONG_QUESTION);
      measured = await measureStop(await stop(), source);
      if (soundingAtStop(measured)) return measured;
      log(`${source === 'escape' ? 'Escape' : 'Stop Speaking'}, attempt ${attempt}, came in a silence between chunks (${describeStop(measured)}); again`);
    }
    return measured!;
  }

  /**
   * Silent within one audio frame, and the rest of the answer not played. Judged on the audio
   * clock when the long tap read it (a busy machine starves the page's 2 ms poll, and the wall
   * clock then measures the poll, not the audio); on the wall clock, as the barge-in step, otherwise.
   */
  function assertSilencedWithinAFrame(stop: InterruptMeasurement, what: string, staysSilentAtLeastMs = 1_500): void {
    const audio = audioClockReading(stop);
    if (audio) {
      assert.ok(audio.wasPlaying, `the reply was not playing when ${what} came (audio clock)`);
      assert.ok(audio.silentAfterMs !== null && audio.silentAfterMs! <= FRAME_MS, `the output fell silent ${audio.silentAfterMs} ms (audio clock) after ${what}`);
    } else if (stop.silentAfterAudioMs !== undefined) {
      // The 2 ms poll's own analyser window, read on the audio clock.
      assert.ok(stop.wasPlaying, `the reply was not playing when ${what} came`);
      assert.ok(stop.silentAfterAudioMs <= FRAME_MS, `the first silent sample came ${stop.silentAfterAudioMs} ms (audio clock) after ${what}`);
    } else {
      assert.ok(stop.wasPlaying, `the reply was not playing when ${what} came`);
      assert.ok(stop.silentByMs! <= FRAME_MS + SLACK_MS, `still sounding ${stop.silentByMs} ms after ${what} (limit ${FRAME_MS} + ${SLACK_MS} ms)`);
    }
    assert.ok(stop.staysSilentMs! >= staysSilentAtLeastMs, `the rest of the answer played ${stop.staysSilentMs} ms after ${what}`);
  }

  /**
   * Waits until nothing has played for 2 s: stopping the microphone flushes its last words into
   * one more answer, and an interrupt of that answer must not be taken for the one measured.
   */
  async function waitForQuiet(quietMs = 2_000): Promise<void> {
    await waitUntil(`${quietMs} ms with no answer playing`, 30_000, async () => {
      const polls = (await panel.audioProbe()).polls;
      const last = polls.at(-1);
      if (!last || last[0] - polls[0]![0] < quietMs) return undefined;
      return polls.filter((p) => p[0] >= last[0] - quietMs).every((p) => p[3] < 0.01) ? true : undefined;
    });
  }

  /**
   * Sends `text` and waits until the model's answer to it has begun in the transcript: the
   * sound measured next is then this answer's, not the tail of an earlier one (stopping the
   * microphone can flush its last words into an answer that arrives just after the question).
   */
  async function askAndAwaitItsAnswer(text: string): Promise<void> {
    const answers = async () => (await panel.transcript()).filter((e) => e.role === 'model' && ANSWER_TO_LONG_QUESTION.test(e.text)).length;
    const before = await answers();
    await panel.sendMessage(text);
    await waitUntil('the answer to the question to begin', 15_000, async () => ((await answers()) > before ? true : undefined));
  }

  async function waitForReplySound(): Promise<void> {
    await waitUntil('the spoken reply to sound', 15_000, async () => {
      const last = (await panel.audioProbe()).polls.at(-1);
      return last && last[3] >= 0.05 ? true : undefined;
    });
  }

  it('Stop Speaking (the command) silences the reply within one audio frame, and the rest of that answer stays silent', async function () {
    this.timeout(90_000);
    const { workbench } = e2e();
    // No more barge-ins from the looping microphone: only Stop Speaking may silence this reply.
    if ((await panel.micButton()).pressed) {
      await panel.clickMicButton();
      await panel.waitForListening(false);
    }
    const stop = await stopWhileSounding('message', async () => {
      let fromMs = 0;
      // The palette is opened and the command typed first; Enter only once the reply plays.
      await workbench.runCommand('MoonTalk: Stop Speaking', {
        beforeEnter: async () => {
          await waitForReplySound();
          // The button follows the worklet's playing state, which reaches the page a message after the first sound.
          await waitUntil('the Stop Speaking button to be enabled while the voice plays', 1_000, async () => ((await panel.stopSpeakingButton()).disabled ? undefined : true));
          fromMs = await panel.now();
        },
      });
      return fromMs;
    });
    log(`Stop Speaking: ${describeStop(stop)}`);
    await workbench.screenshot('07-stop-speaking');
    assertSilencedWithinAFrame(stop, 'Stop Speaking');
    await panel.waitForTranscriptEntry('model', /You said: Please tell me everything/);
  });

  it('Escape in the panel silences the reply within one audio frame', async function () {
    this.timeout(90_000);
    const stop = await stopWhileSounding('escape', async () => {
      await waitForReplySound();
      const fromMs = await panel.now();
      await panel.pressEscape();
      return fromMs;
    });
    log(`Escape: ${describeStop(stop)}`);
    await panel.screenshot('07-escape');
    assertSilencedWithinAFrame(stop, 'Escape');
    assert.equal((await panel.stopSpeakingButton()).disabled, true, 'Stop Speaking is disabled once nothing plays');
  });
});
