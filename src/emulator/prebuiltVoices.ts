/**
 * The voices the service speaks with (`speechConfig.voiceConfig.prebuiltVoiceConfig.voiceName`).
 * Kept apart from the client's list (src/core/voices.ts) on purpose, like the model profiles.
 *
 * Source: docs.cloud.google.com/vertex-ai/generative-ai/docs/live-api/configure-language-voice,
 * "Voices supported" (30 names), read 2026-11-30. Names are matched exactly as the docs spell
 * them: we have no source that the service forgives another case, so the emulator does not.
 */
export const PREBUILT_VOICE_NAMES: ReadonlySet<string> = new Set([
  'Achernar', 'Achird', 'Algenib', 'Algieba', 'Alnilam', 'Aoede', 'Autonoe', 'Callirrhoe', 'Charon', 'Despina',
  'Enceladus', 'Erinome', 'Fenrir', 'Gacrux', 'Iapetus', 'Kore', 'Laomedeia', 'Leda', 'Orus', 'Puck',
  'Pulcherrima', 'Rasalgethi', 'Sadachbia', 'Sadaltager', 'Schedar', 'Sulafat', 'Umbriel', 'Vindemiatrix', 'Zephyr', 'Zubenelgenubi',
]);
