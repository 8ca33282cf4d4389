/**
 * Silence gating: audio seconds sent for a conversation with pauses (the recorded
 * sentence three times; test/integration/helpers/pausedConversation.ts), gated against
 * streamed whole, through the session core into the emulator; and whether a word was
 * clipped: the emulator's input transcriptions of both streams must be equal.
 */
import { PAUSES_S, pausedConversation, runConversation } from '../test/integration/helpers/pausedConversation';

export async function benchSilenceGate(): Promise<{ fullSeconds: number; gatedSeconds: number; speechSeconds: number; sameTranscripts: boolean; transcripts: string[] }> {
  const { pcm, speechSeconds } = pausedConversation();
  const turns = PAUSES_S.length - 1;
  const full = await runConversation(pcm, false, turns);
  const gated = await runConversation(pcm, true, turns);
  return {
    fullSeconds: full.sentSeconds,
    gatedSeconds: gated.sentSeconds,
    speechSeconds,
    sameTranscripts: full.transcripts.length === turns && JSON.stringify(full.transcripts) === JSON.stringify(gated.transcripts),
    transcripts: gated.transcripts,
  };
}
