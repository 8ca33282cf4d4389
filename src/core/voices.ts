/**
 * The service's prebuilt voices (`generationConfig.speechConfig.voiceConfig.prebuiltVoiceConfig.voiceName`),
 * with the one-word character Google gives each.
 *
 * Source: docs.cloud.google.com/vertex-ai/generative-ai/docs/live-api/configure-language-voice
 * ("Voices supported": 30 voice options for the voice_name field, all Live models that speak),
 * read 2026-11-30; the same 30 names are in livekit agents-js `plugins/google` `Voice`.
 * Unset, the service speaks with Puck (firebase.google.com/docs/ai-logic/live-api/configuration).
 */
export interface PrebuiltVoice {
  readonly name: string;
  /** Google's word for how it sounds ("Bright", "Firm"). */
  readonly character: string;
}

export const DEFAULT_VOICE = 'Puck';

export const PREBUILT_VOICES: readonly PrebuiltVoice[] = [
  { name: 'Zephyr', character: 'Bright' },
  { name: 'Puck', character: 'Upbeat' },
  { name: 'Charon', character: 'Informative' },
  { name: 'Kore', character: 'Firm' },
  { name: 'Fenrir', character: 'Excitable' },
  { name: 'Leda', character: 'Youthful' },
  { name: 'Orus', character: 'Firm' },
  { name: 'Aoede', character: 'Breezy' },
  { name: 'Callirrhoe', character: 'Easy-going' },
  { name: 'Autonoe', character: 'Bright' },
  { name: 'Enceladus', character: 'Breathy' },
  { name: 'Iapetus', character: 'Clear' },
  { name: 'Umbriel', character: 'Easy-going' },
  { name: 'Algieba', character: 'Smooth' },
  { name: 'Despina', character: 'Smooth' },
  { name: 'Erinome', character: 'Clear' },
  { name: 'Algenib', character: 'Gravelly' },
  { name: 'Rasalgethi', character: 'Informative' },
  { name: 'Laomedeia', character: 'Upbeat' },
  { name: 'Achernar', character: 'Soft' },
  { name: 'Alnilam', character: 'Firm' },
  { name: 'Schedar', character: 'Even' },
  { name: 'Gacrux', character: 'Mature' },
  { name: 'Pulcherrima', character: 'Forward' },
  { name: 'Achird', character: 'Friendly' },
  { name: 'Zubenelgenubi', character: 'Casual' },
  { name: 'Vindemiatrix', character: 'Gentle' },
  { name: 'Sadachbia', character: 'Lively' },
  { name: 'Sadaltager', character: 'Knowledgeable' },
  { name: 'Sulafat', character: 'Warm' },
];

/** The voice's canonical spelling, or undefined when the service has no such voice. Case-insensitive. */
export function findVoice(name: string): PrebuiltVoice | undefined {
  const wanted = name.trim().toLowerCase();
  return PREBUILT_VOICES.find((v) => v.name.toLowerCase() === wanted);
}
