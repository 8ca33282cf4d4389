import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SilenceGate } from '../../../src/audio/silenceGate';
import { floatToPcm16, parseWav } from '../../../src/audio/wav';

const RATE = 16_000;
const FRAME_BYTES = 1_280; // 40 ms
const SPEECH = floatToPcm16(parseWav(readFileSync(path.join(__dirname, '../../fixtures/speech-16k.wav'))).samples);

/** Deterministic noise at an RMS (0..1), as PCM16 LE: a quiet room, not digital zero. */
function noise(seconds: number, rms: number, seed = 1): Uint8Array {
  const n = Math.round(seconds * RATE);
  const out = new Float32Array(n);
  let x = seed;
  // Uniform in [-1, 1] has RMS 1/sqrt(3).
  for (let i = 0; i < n; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    out[i] = ((x / 2_147_483_648) * 2 - 1) * rms * Math.sqrt(3);
  }
  return floatToPcm16(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** `voice` added onto `bed` at a byte offset (a microphone hears the room under the speech too). */
function mix(bed: Uint8Array, voice: Uint8Array, atByte: number): Uint8Array {
  const out = bed.slice();
  const o = new DataView(out.buffer);
  const v = new DataView(voice.buffer, voice.byteOffset, voice.byteLength);
  for (let i = 0; i < voice.byteLength / 2 && atByte + i * 2 + 1 < out.byteLength; i++) {
    const s = o.getInt16(atByte + i * 2, true) + v.getInt16(i * 2, true);
    o.setInt16(atByte + i * 2, Math.max(-32768, Math.min(32767, s)), true);
  }
  return out;
}

/** Whole 40 ms frames only, so byte offsets below are frame-aligned. */
function frameAligned(pcm: Uint8Array): Uint8Array {
  return pcm.subarray(0, pcm.byteLength - (pcm.byteLength % FRAME_BYTES));
}

interface Burst {
  /** Byte offset in the input where the sent audio starts and ends. */
  from: number;
  to: number;
  endedWithStreamEnd: boolean;
}

/**
 * Runs the input through the gate frame by frame and maps what was sent back onto the
 * input: each burst must be one contiguous, unaltered stretch of it (anything else is a
 * bug this finds: reordering, a dropped frame inside a burst, a pre-roll out of place).
 */
function run(gate: SilenceGate, input: Uint8Array): { bursts: Burst[]; sentBytes: number; streamEnds: number } {
  const bursts: Burst[] = [];
  let current: { from: number; bytes: Uint8Array[] } | undefined;
  let streamEnds = 0;
  let sentBytes = 0;
  const close = (endedWithStreamEnd: boolean) => {
    if (!current) return;
    const sent = concat(current.bytes);
    const from = current.from;
    assert.deepEqual(Buffer.from(sent), Buffer.from(input.subarray(from, from + sent.byteLength)), `burst at ${from} is the input unchanged`);
    bursts.push({ from, to: from + sent.byteLength, endedWithStreamEnd });
    current = undefined;
  };
  for (let at = 0; at + FRAME_BYTES <= input.byteLength; at += FRAME_BYTES) {
    const d = gate.push(input.subarray(at, at + FRAME_BYTES));
    if (d.send.length > 0) {
      const bytes = d.send.reduce((n, f) => n + f.byteLength, 0);
      sentBytes += bytes;
      // The last frame sent is always this frame; the burst starts `bytes` before its end.
      if (!current) current = { from: at + FRAME_BYTES - bytes, bytes: [] };
      current.bytes.push(...d.send);
    }
    if (d.endStream) {
      streamEnds++;
      close(true);
    }
  }
  close(false);
  return { bursts, sentBytes, streamEnds };
}

const ms = (bytes: number) => (bytes / 2 / RATE) * 1000;

describe('SilenceGate', () => {
  const quiet = 0.0005; // -66 dBFS: a quiet room through a laptop microphone
  const lead = frameAligned(noise(2, quiet, 1));
  const speech = frameAligned(SPEECH);
  const pause = frameAligned(noise(4, quiet, 2));
  const tail = frameAligned(noise(3, quiet, 3));
  const input = concat([lead, speech, pause, speech, tail]);
  const speech1 = { from: lead.byteLength, to: lead.byteLength + speech.byteLength };
  const speech2 = { from: speech1.to + pause.byteLength, to: speech1.to + pause.byteLength + speech.byteLength };

  it('sends each utterance with its 300 ms pre-roll, drops the pauses, and ends the stream once per pause', () => {
    const { bursts, sentBytes, streamEnds } = run(new SilenceGate(), input);
    assert.equal(bursts.length, 2, 'one burst per utterance');
    assert.equal(streamEnds, 2, 'audioStreamEnd once per pause');
    for (const [burst, utterance] of [
      [bursts[0]!, speech1],
      [bursts[1]!, speech2],
    ] as const) {
      // Onset kept: the burst starts at least 300 ms before the utterance's first sample (the fixture starts with a little silence too).
      assert.ok(burst.from <= utterance.from, `burst starts ${ms(utterance.from - burst.from)} ms before the utterance`);
      // The whole utterance is inside the burst, and the stream ends about a second after it.
      assert.ok(burst.to >= utterance.to, 'nothing cut at the end');
      assert.ok(ms(burst.to - utterance.to) <= 1_400, `stream ends ${ms(burst.to - utterance.to)} ms after the utterance`);
      assert.equal(burst.endedWithStreamEnd, true);
    }
    // The fixture's own leading silence is shorter than the pre-roll: the pre-roll reaches into the lead-in noise.
    assert.ok(ms(speech1.from - bursts[0]!.from) >= 280, `pre-roll ${ms(speech1.from - bursts[0]!.from)} ms`);
    assert.ok(sentBytes < input.byteLength * 0.7, `sent ${ms(sentBytes)} of ${ms(input.byteLength)} ms`);
  });

  it('without a pre-roll the onset is lost: the pre-roll is what keeps it', () => {
    const { bursts } = run(new SilenceGate({ preRollMs: 0 }), input);
    const firstSound = (() => {
      // The first sample of the fixture louder than -40 dBFS, relative to the utterance start.
      const view = new DataView(speech.buffer, speech.byteOffset, speech.byteLength);
      for (let i = 0; i < speech.byteLength / 2; i++) if (Math.abs(view.getInt16(i * 2, true)) > 328) return i * 2;
      return 0;
    })();
    assert.ok(bursts[0]!.from > speech1.from, 'the utterance’s first frame (-42 dBFS, under the threshold) is lost');
    assert.ok(bursts[0]!.from > speech1.from + firstSound - FRAME_BYTES, 'without pre-roll the gate opens only at the first loud frame');
  });

  it('keeps a pause shorter than the hangover inside the utterance', () => {
    const shortPause = frameAligned(noise(0.6, quiet, 4));
    const { bursts, streamEnds } = run(new SilenceGate(), concat([lead, speech, shortPause, speech, tail]));
    assert.equal(bursts.length, 1);
    assert.equal(streamEnds, 1);
  });

  it('rises above a noisy room instead of streaming it: the noise floor sets the thresholds', () => {
    // -35 dBFS of steady noise is louder than the default minimum open threshold (-40 dBFS).
    const room = 0.018;
    const noisy = mix(frameAligned(noise(16, room, 5)), speech, 6 * RATE * 2);
    const gate = new SilenceGate();
    const { bursts, sentBytes, streamEnds } = run(gate, noisy);
    assert.ok(gate.thresholds.open > room, `open threshold ${gate.thresholds.open} above the room`);
    // The first second may open on the room (the floor is not trusted yet); after that only the speech opens it.
    const speechFrom = 6 * RATE * 2;
    const speechBursts = bursts.filter((b) => b.to > speechFrom);
    assert.equal(speechBursts.length, 1);
    assert.ok(speechBursts[0]!.from <= speechFrom && speechBursts[0]!.to >= speechFrom + speech.byteLength, 'the utterance is sent whole');
    assert.equal(streamEnds, bursts.length);
    assert.ok(ms(sentBytes) < 9_000, `sent ${ms(sentBytes)} ms of ${ms(noisy.byteLength)}`);
  });

  it('sends everything when the noise is as loud as speech (fails open, clips nothing)', () => {
    const loud = frameAligned(noise(8, 0.2, 7));
    const { sentBytes } = run(new SilenceGate(), loud);
    // -14 dBFS is above maxOpenRms: the gate opens on the first frame and the noise never falls below the close threshold.
    assert.equal(sentBytes, loud.byteLength);
  });

  it('reset() drops the pre-roll and closes without an audioStreamEnd', () => {
    const gate = new SilenceGate();
    for (let at = 0; at < speech.byteLength / 2; at += FRAME_BYTES) gate.push(speech.subarray(at, at + FRAME_BYTES));
    assert.equal(gate.isOpen, true);
    gate.reset();
    assert.equal(gate.isOpen, false);
    const d = gate.push(lead.subarray(0, FRAME_BYTES));
    assert.deepEqual(d, { send: [], endStream: false });
    // The next onset sends only what came after the reset as pre-roll.
    const onset = gate.push(speech.subarray(speech.byteLength / 2 - ((speech.byteLength / 2) % FRAME_BYTES), speech.byteLength / 2 - ((speech.byteLength / 2) % FRAME_BYTES) + FRAME_BYTES));
    assert.ok(onset.send.length <= 2);
  });

  it('counts what it sent', () => {
    const gate = new SilenceGate();
    const { sentBytes } = run(gate, input);
    assert.equal(gate.stats.seenSeconds, input.byteLength / 2 / RATE);
    assert.equal(gate.stats.sentSeconds, sentBytes / 2 / RATE);
  });
});
