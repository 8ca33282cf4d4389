/**
 * The silence gate against the emulator: a conversation with pauses, streamed whole and
 * through the gate. The emulator transcribes what it hears ("[speech 3.6 s]": the span of
 * each utterance from its first to its last speech block), so a clipped onset or tail
 * shows up as a different transcript.
 */
import assert from 'node:assert/strict';
import { pcm16Rms } from '../../src/audio/pcmLevel';
import { FRAME_BYTES, PAUSES_S, pausedConversation, runConversation } from './helpers/pausedConversation';

describe('silence gate on the emulator (loopback)', function () {
  this.timeout(60_000);

  it('the gated stream is transcribed exactly as the full stream, for at most half the audio sent', async () => {
    const { pcm, seconds } = pausedConversation();
    const utterances = PAUSES_S.length - 1;
    const full = await runConversation(pcm, false, utterances);
    const gated = await runConversation(pcm, true, utterances);
    assert.equal(full.transcripts.length, utterances, `full stream: ${JSON.stringify(full.transcripts)}`);
    assert.deepEqual(gated.transcripts, full.transcripts, 'no word clipped: same transcripts');
    assert.ok(Math.abs(full.sentSeconds - seconds) < 0.05, 'the ungated run sent everything');
    assert.ok(gated.sentSeconds <= seconds / 2, `gated sent ${gated.sentSeconds.toFixed(2)} s of ${seconds.toFixed(2)} s`);
    assert.ok(Math.abs(gated.receivedSeconds - gated.sentSeconds) < 0.05, 'the emulator received what the gate sent');
    assert.equal(gated.audioStreamEnds, utterances, 'audioStreamEnd once per pause');
    assert.equal(full.audioStreamEnds, 1, 'the ungated stream ends once, at Stop');
    // The emulator's transcript only sees audio above its detector's threshold (-36 dBFS):
    // check the quieter onsets too. Every frame 10 dB above the room (-56 dBFS) went out.
    let audible = 0;
    for (let at = 0; at + FRAME_BYTES <= pcm.byteLength; at += FRAME_BYTES) {
      const frame = pcm.subarray(at, at + FRAME_BYTES);
      if (pcm16Rms(frame) < 0.0016) continue;
      audible++;
      assert.ok(gated.sentFrames.has(Buffer.from(frame).toString('base64')), `the audible frame at ${((at / 2 / 16_000) * 1000).toFixed(0)} ms was sent`);
    }
    assert.ok(audible > 200, `${audible} audible frames checked`);
  });
});
