/**
 * Finished answers for the panel's polite live region (liveRegion.ts). DOM-free.
 */
import type { TranscriptEntry } from '../../src/protocol/messages';

/** Longest answer read out in full; a longer one is cut there (the transcript has it all). */
export const MAX_ANNOUNCED_ANSWER_CHARS = 1_000;

/**
 * Which transcript updates are finished answers to read out: a model entry once it stops
 * being partial, with text, not interrupted (that has its own announcement), each entry once.
 * The streaming chunks before it are never read (a polite region re-read on every chunk
 * would stutter the answer). DOM-free, so it is tested in Node.
 */
export class FinishedAnswers {
  private readonly announced = new Set<string>();

  /** The text to announce for this update of `entry`, or undefined. */
  finished(entry: TranscriptEntry): string | undefined {
    if (entry.role !== 'model' || entry.partial || this.announced.has(entry.id)) return undefined;
    if (entry.markers.includes('interrupted') || entry.markers.includes('tool') || entry.markers.includes('context')) return undefined;
    const text = entry.text.trim();
    if (text === '') return undefined;
    this.announced.add(entry.id);
    // Bounded: a long session must not grow this set without end.
    if (this.announced.size > 1_000) this.announced.delete(this.announced.values().next().value!);
    const cut = text.length > MAX_ANNOUNCED_ANSWER_CHARS ? `${text.slice(0, MAX_ANNOUNCED_ANSWER_CHARS)}… (continued in the transcript)` : text;
    return `Gemini: ${cut}`;
  }

  /** The transcript was replaced (init, restore, cleared): entries already shown are not news. */
  reset(entries: readonly TranscriptEntry[]): void {
    this.announced.clear();
    for (const e of entries) if (!e.partial) this.announced.add(e.id);
  }
}
