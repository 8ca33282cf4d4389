/** Product defaults shared by the CLI and the extension. */

/** The default Live model: supports TEXT and AUDIO responses (the model in the recorded fixtures). */
export const DEFAULT_MODEL = 'gemini-live-2.5-flash-preview';
