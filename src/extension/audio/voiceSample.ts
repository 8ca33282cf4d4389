/**
 * A voice sample for Choose Voice: one short phrase spoken with a chosen voice, in a session
 * of its own on the current backend (offline against the emulator, which gives each voice its
 * own pitch), played in the panel. Bounded: at most {@link SAMPLE_TIMEOUT_MS}, then the
 * session is closed whatever happened.
 */
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/logger';
import type { SetupOptions } from '../../core/messages';
import { DEFAULT_MODEL, modelProfile } from '../../core/models';
import type { LiveClient } from '../../live/liveClient';

export const SAMPLE_TIMEOUT_MS = 15_000;

export interface VoiceSampleDeps {
  /** The conversation model; a model that cannot speak with a voice is replaced by the default. */
  readonly model: string;
  openSession(setup: SetupOptions): Promise<LiveClient>;
  /** Plays 24 kHz PCM16 in the panel. */
  play(pcm: ArrayBuffer): void;
  readonly logger: Logger;
}

/** The phrase a voice says about itself. */
export function samplePhrase(voice: string): string {
  return `Hi, I'm ${voice}. This is how I sound in MoonTalk.`;
}

/** Speaks the sample; resolves with the milliseconds of audio played (0 when none came). */
export async function playVoiceSample(deps: VoiceSampleDeps, voice: string): Promise<number> {
  const profile = modelProfile(deps.model);
  const model = profile.takesVoice && profile.purpose === 'conversation' ? deps.model : DEFAULT_MODEL;
  let client: LiveClient | undefined;
  let playedBytes = 0;
  try {
    client = await deps.openSession({
      model,
      responseModality: 'AUDIO',
      voiceName: voice,
      systemInstruction: 'Read the user’s message aloud exactly as written. Say nothing else.',
    });
    const session = client.session;
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, SAMPLE_TIMEOUT_MS);
      session.onDidEmit((e) => {
        if (e.type === 'audio') {
          const bytes = Buffer.from(e.data, 'base64');
          playedBytes += bytes.byteLength;
          deps.play(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
        } else if (e.type === 'turnComplete' || e.type === 'interrupted') {
          clearTimeout(timer);
          resolve();
        } else if (e.type === 'error' && e.fatal) {
          clearTimeout(timer);
          reject(e.error);
        }
      });
    });
    await session.connect();
    session.sendText(samplePhrase(voice));
    await done;
    await session.close();
  } catch (err) {
    deps.logger.warn(`voice sample for ${voice} failed: ${errorMessage(err)}`);
    throw err;
  } finally {
    client?.dispose();
  }
  // 24 kHz PCM16 mono: 48 bytes a millisecond.
  return Math.round(playedBytes / 48);
}
