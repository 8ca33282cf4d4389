/**
 * What dictation types, from the transcription as it streams: each piece verbatim, in order.
 * Pieces of one spoken turn are joined as the service sends them (its pieces carry their own
 * spaces); the first piece of a later turn gets one space before it when neither side has one,
 * so two sentences do not run together. Nothing is rewritten, reordered or dropped but empty
 * pieces. Pure, so the rule is tested without an editor.
 */
export class DictationText {
  private lastChar: string | undefined;
  private turnStart = true;

  /** The text to type for one transcription piece ('' when there is nothing to type). */
  piece(text: string): string {
    if (text === '') return '';
    const needsSpace = this.turnStart && this.lastChar !== undefined && !/\s/.test(this.lastChar) && !/^\s/.test(text);
    this.turnStart = false;
    const out = needsSpace ? ` ${text}` : text;
    this.lastChar = out.at(-1);
    return out;
  }

  /** The spoken turn ended (the service's turnComplete): the next piece starts a new one. */
  endTurn(): void {
    this.turnStart = true;
  }
}
