import assert from 'node:assert/strict';
import { VoiceActivityDetector, type VadEvent } from '../../../src/emulator/voiceActivityDetector';

function tone(ms: number, rate = 16_000): Int16Array {
  const n = Math.round((ms / 1000) * rate);
  return Int16Array.from({ length: n }, (_, i) => Math.round(Math.sin((2 * Math.PI * 300 * i) / rate) * 5000));
}
const silence = (ms: number, rate = 16_000) => new Int16Array(Math.round((ms / 1000) * rate));

function feed(vad: VoiceActivityDetector, blocks: Int16Array[], rate = 16_000, chunk = 333): VadEvent[] {
  const events: VadEvent[] = [];
  for (const b of blocks) for (let i = 0; i < b.length; i += chunk) events.push(...vad.push(b.subarray(i, i + chunk), rate));
  return events;
}

describe('emulator voice activity detection', () => {
  it('ends an utterance after >= 500 ms of speech and 600 ms of silence, counted in samples', () => {
    const vad = new VoiceActivityDetector();
    const events = feed(vad, [silence(100), tone(800), silence(599)]);
    assert.deepEqual(events, [{ type: 'speechStarted' }]);
    const end = feed(vad, [silence(30)]);
    assert.deepEqual(end, [{ type: 'utteranceEnded', durationMs: 800, speechMs: 800, reason: 'silence' }]);
  });

  it('keeps short pauses inside one utterance', () => {
    const vad = new VoiceActivityDetector();
    const events = feed(vad, [tone(300), silence(400), tone(300), silence(600)]);
    assert.deepEqual(events.map((e) => e.type), ['speechStarted', 'utteranceEnded']);
    assert.equal((events[1] as Extract<VadEvent, { type: 'utteranceEnded' }>).durationMs, 1000);
  });

  it('discards bursts shorter than 500 ms', () => {
    const vad = new VoiceActivityDetector();
    assert.deepEqual(feed(vad, [tone(200), silence(700)]).map((e) => e.type), ['speechStarted', 'noiseDiscarded']);
  });

  it('works at other sample rates and flushes on audioStreamEnd', () => {
    const vad = new VoiceActivityDetector();
    feed(vad, [tone(400, 24_000)], 24_000);
    assert.deepEqual(vad.flush(), [{ type: 'utteranceEnded', durationMs: 400, speechMs: 400, reason: 'flush' }]);
    assert.deepEqual(vad.flush(), []);
  });
});
