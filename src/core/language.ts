/**
 * The spoken language as the user gives it (a setting, `--language`): a BCP-47 tag, the form
 * the API takes in `languageCodes` and `speechConfig.languageCode`.
 */

/** A language subtag and optional region/script/variant subtags (`de`, `de-DE`, `zh-Hans-CN`). */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export function isLanguageTag(value: string): boolean {
  return LANGUAGE_TAG.test(value);
}

/**
 * The language to send: the user's own choice when set, else the editor's speech language
 * (VS Code's `accessibility.voice.speechLanguage`) when that is a tag, else undefined (the
 * model detects it). `auto` and anything that is not a tag count as unset.
 */
export function chooseLanguage(own: string | undefined, editorSpeechLanguage: unknown): string | undefined {
  const pick = (value: unknown) => (typeof value === 'string' && value !== 'auto' && isLanguageTag(value.trim()) ? value.trim() : undefined);
  return pick(own) ?? pick(editorSpeechLanguage);
}
