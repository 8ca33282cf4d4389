/**
 * Voice over the session core and the emulator: host capture through a recorder
 * stand-in, a goAway in the middle of a spoken sentence, and barge-in.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { probeRecorder, SystemRecorder } from '../../src/audio/systemRecorder';
import { parseWav, floatToPcm16 } from '../../src/audio/wav';
import { startHarness, type Harness } from './helpers/liveHarness';
import { DEFAULT_MODEL } from '../../src/core/models';

const SPEECH = parseWav(readFileSync(path.join(__dirname, '../fixtures/speech-16k.wav')));
const SPEECH_PCM = Buffer.from(floatToPcm16(SPEECH.samples));
const FRAME = 1_280;

function int16(buf: Uint8Array): Int16Array {
  const copy = Buffer.from(buf);
  return new Int16Array(copy.buffer, copy.byteOffset, copy.byteLength / 2);
}

/** Normalised cross-correlation at lag 0 over the common length. */
function correlation(a: Int16Array, b: Int16Array): number {
  const n = Math.min(a.length, b.length);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}

async function speak(h: Harness, pcm: Buffer, frameDelayMs: number, midway?: () => void): Promise<void> {
  const frames = Math.ceil(pcm.length / FRAME);
  for (let i = 0; i < frames; i++) {
    h.client.session.sendAudio(pcm.subarray(i * FRAME, (i + 1) * FRAME).toString('base64'));
    if (i === Math.floor(frames / 2)) midway?.();
    if (frameDelayMs > 0) await new Promise((r) => setTimeout(r, frameDelayMs));
  }
}

describe('voice through the session core (emulator, loopback)', function () {
  this.timeout(30_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('captures through a system recorder stand-in and the emulator receives exactly what it recorded', async () => {
    h = await startHarness({ session: { setup: { model: DEFAULT_MODEL, responseModality: 'AUDIO' } } });
    await h.client.session.connect();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'moontalk-voice-'));
    writeFileSync(path.join(dir, 'speech.raw'), SPEECH_PCM);
    // Followed by a second of silence, so the emulator's activity detection ends the turn.
    writeFileSync(path.join(dir, 'silence.raw'), Buffer.alloc(32_000));
    const stand = path.join(dir, 'arecord');
    writeFileSync(stand, `#!/bin/sh\ncat "${dir}/speech.raw" "${dir}/silence.raw"\nexec sleep 30\n`);
    chmodSync(stand, 0o755);
    const recorder = new SystemRecorder(probeRecorder({ env: { PATH: dir }, platform: 'linux' })!);
    recorder.onDidCaptureFrame((frame) => h!.client.session.sendAudio(Buffer.from(frame).toString('base64')));
    await recorder.start();
    const reply = await h.waitFor('audio', undefined, 10_000);
    assert.match(reply.mimeType, /rate=24000/);
    await h.waitFor('turnComplete', undefined, 10_000);
    recorder.stop();
    const received = h.emulator.sessions()[0]!.receivedAudio;
    assert.equal(received.sampleRate, 16_000);
    const sent = int16(SPEECH_PCM);
    assert.ok(correlation(received.pcm.subarray(0, sent.length), sent) > 0.999, 'the emulator heard the recorder’s audio unchanged');
    assert.ok(h.events.some((e) => e.type === 'inputTranscription'), 'input transcription reached the transcript');
    assert.ok(h.events.some((e) => e.type === 'text' && e.source === 'outputTranscription'), 'output transcription reached the transcript');
  });

  it('hears a whole sentence exactly once, in order, across a goAway handoff in its middle', async () => {
    h = await startHarness({ session: { setup: { model: DEFAULT_MODEL, responseModality: 'AUDIO' } } });
    await h.client.session.connect();
    await speak(h, SPEECH_PCM, 2, () => h!.emulator.goAwayAll(5_000));
    const handoff = await h.waitFor('handoff', (e) => e.phase === 'completed', 10_000);
    assert.equal(handoff.phase === 'completed' && handoff.warm, true);
    // Let the buffered tail reach the new connection.
    await new Promise((r) => setTimeout(r, 300));
    const sessions = h.emulator.sessions();
    assert.equal(sessions.length, 1, 'one session across both connections');
    const received = sessions[0]!.receivedAudio.pcm;
    const sent = int16(SPEECH_PCM);
    assert.equal(received.length, sent.length, 'no frame lost or sent twice');
    assert.deepEqual(Buffer.from(received.buffer, received.byteOffset, received.byteLength), Buffer.from(sent.buffer, sent.byteOffset, sent.byteLength));
  });

  it('reports barge-in: speech during the spoken reply interrupts it', async () => {
    h = await startHarness({
      emulator: { replyChunkDelayMs: 100 },
      session: { setup: { model: DEFAULT_MODEL, responseModality: 'AUDIO' } },
    });
    await h.client.session.connect();
    const turn = h.client.session.sendText('tell me a long story about the moon and its many craters');
    await h.waitFor('audio', (e) => e.turn === turn, 10_000);
    const t0 = Date.now();
    await speak(h, SPEECH_PCM.subarray(0, FRAME * 10), 0);
    const interrupted = await h.waitFor('interrupted', undefined, 5_000);
    assert.equal(interrupted.turn, turn);
    assert.ok(Date.now() - t0 < 1_000, 'interrupted within a second of speech');
  });
});
