/**
 * Turn-taking defaults: when the service decides the user has finished speaking.
 *
 * The service's own defaults are tuned for chat (the SDK: END_SENSITIVITY_HIGH on the Gemini
 * API, "ends speech more often"). A developer talking about code stops mid-sentence to look
 * at it ("so this function… takes the handle and…"); a turn that ends in that pause gets an
 * answer to half a question. So:
 * - `endOfSpeechSensitivity: LOW`: the service ends speech less often.
 * - `silenceDurationMs: 1200`: a thinking pause of about a second stays inside the turn; the
 *   price is about 0.6 s more before the answer than the emulator's 600 ms (its VAD, modelled
 *   on the service's quick end), which users of a voice assistant notice less than being cut off.
 * - `prefixPaddingMs: 300`: a key click or a cough (tens of ms) does not start a turn, and
 *   does not barge in on the model; a short word ("yes", about 300 ms) still does.
 * - interruptions on: speaking over the model stops it, as people expect of a conversation;
 *   NO_INTERRUPTION is there for noisy rooms and open speakers.
 * Push-to-talk (moontalk.audio.mode) turns detection off altogether.
 */
import type { TurnTaking } from './messages';

export const DEFAULT_TURN_TAKING: Required<TurnTaking> = {
  endOfSpeechSensitivity: 'LOW',
  silenceDurationMs: 1_200,
  prefixPaddingMs: 300,
  interruptions: true,
};
