/**
 * Google Search grounding as a setup tool (`{ googleSearch: {} }`): declared when the user
 * allows it (`moontalk.tools.googleSearch`, on by default) and the model supports it (the
 * table of models, `supportsGoogleSearch`); a model without it would refuse the setup. The
 * service runs the searches itself: nothing here executes anything, and the pages an answer
 * used come back as `serverContent.groundingMetadata` (src/core/grounding.ts).
 */
import type { SetupOptions } from '../../core/messages';
import { modelProfile } from '../../core/models';

type SetupTools = NonNullable<SetupOptions['tools']>;

export function googleSearchTools(model: string, enabled: boolean): SetupTools {
  return enabled && modelProfile(model).supportsGoogleSearch ? [{ googleSearch: {} }] : [];
}
