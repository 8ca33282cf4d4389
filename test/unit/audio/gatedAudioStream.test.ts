import assert from 'node:assert/strict';
import { GatedAudioStream } from '../../../src/audio/gatedAudioStream';

const FRAME = 1_280;

/** A 40 ms frame of a 440 Hz tone at an RMS (0..1); 0 gives digital silence. */
function tone(rms: number): Uint8Array {
  const out = new Uint8Array(FRAME);
  const view = new DataView(out.buffer);
  for (let i = 0; i < FRAME / 2; i++) view.setInt16(i * 2, Math.round(Math.sin((2 * Math.PI * 440 * i) / 16_000) * rms * Math.SQRT2 * 32_767), true);
  return out;
}

function recorder() {
  const calls: Array<'audio' | 'end'> = [];
  return { calls, sink: { sendAudio: () => calls.push('audio'), endAudioStream: () => calls.push('end') } };
}

describe('GatedAudioStream', () => {
  it('without gating sends every frame and ends the stream at Stop, as before', () => {
    const { calls, sink } = recorder();
    const s = new GatedAudioStream(sink, false);
    for (let i = 0; i < 5; i++) s.push(tone(0));
    s.pause(); // muting does not end an ungated stream
    s.finish();
    assert.deepEqual(calls, ['audio', 'audio', 'audio', 'audio', 'audio', 'end']);
    assert.equal(s.stats, undefined);
  });

  it('with gating ends each pause once and owes no second audioStreamEnd at Stop', () => {
    const { calls, sink } = recorder();
    const s = new GatedAudioStream(sink, true);
    for (let i = 0; i < 10; i++) s.push(tone(0)); // 400 ms of silence: nothing sent, 300 ms kept
    assert.deepEqual(calls, []);
    s.push(tone(0.1)); // onset: pre-roll (8 frames, 320 ms) and the frame
    assert.equal(calls.length, 9);
    for (let i = 0; i < 25; i++) s.push(tone(0)); // 1 s of silence: the hangover, then the end
    assert.equal(calls.filter((c) => c === 'end').length, 1);
    assert.equal(calls.at(-1), 'end');
    const before = calls.length;
    s.finish();
    assert.equal(calls.length, before, 'the gate already ended this stream');
  });

  it('with gating, Stop in the middle of speech ends the stream', () => {
    const { calls, sink } = recorder();
    const s = new GatedAudioStream(sink, true);
    s.push(tone(0.1));
    s.finish();
    assert.deepEqual(calls, ['audio', 'end']);
  });

  it('muting mid-speech ends the stream, and the next onset carries no audio from before the mute', () => {
    const { calls, sink } = recorder();
    const s = new GatedAudioStream(sink, true);
    s.push(tone(0.1));
    s.pause();
    assert.deepEqual(calls, ['audio', 'end']);
    s.push(tone(0.1));
    assert.deepEqual(calls, ['audio', 'end', 'audio'], 'no pre-roll across the mute');
  });
});
