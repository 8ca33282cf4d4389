/**
 * The transcript as the panel holds it: entries in arrival order, merged by id.
 * `transcript/appended` and `transcript/updated` both upsert (a repeated append or
 * an update for an entry we missed must not duplicate or drop text). Pure: the
 * view renders whatever this returns.
 */
import type { TranscriptEntry } from '../../src/protocol/messages';
import { t } from '../l10n';

/** Oldest entries are dropped beyond this (the host keeps the full record). */
export const MAX_TRANSCRIPT_ENTRIES = 1_000;

export interface MergeResult {
  readonly entries: readonly TranscriptEntry[];
  /** Index of the merged entry in `entries`. */
  readonly index: number;
  readonly change: 'added' | 'updated' | 'unchanged';
  /** Ids dropped from the front to stay within the limit. */
  readonly evicted: readonly string[];
}

function sameEntry(a: TranscriptEntry, b: TranscriptEntry): boolean {
  return (
    a.text === b.text &&
    a.partial === b.partial &&
    a.role === b.role &&
    a.turn === b.turn &&
    a.at === b.at &&
    a.markers.length === b.markers.length &&
    a.markers.every((m, i) => m === b.markers[i]) &&
    // Sources may come in an update of their own (more grounding for an answer already shown).
    (a.sources ?? []).length === (b.sources ?? []).length &&
    (a.sources ?? []).every((s, i) => s.uri === b.sources![i]!.uri && s.title === b.sources![i]!.title)
  );
}

export function mergeEntry(entries: readonly TranscriptEntry[], entry: TranscriptEntry, max = MAX_TRANSCRIPT_ENTRIES): MergeResult {
  const index = entries.findIndex((e) => e.id === entry.id);
  if (index >= 0) {
    if (sameEntry(entries[index]!, entry)) return { entries, index, change: 'unchanged', evicted: [] };
    const next = entries.slice();
    next[index] = entry;
    return { entries: next, index, change: 'updated', evicted: [] };
  }
  const next = [...entries, entry];
  const evictCount = Math.max(0, next.length - max);
  const evicted = next.splice(0, evictCount).map((e) => e.id);
  return { entries: next, index: next.length - 1, change: 'added', evicted };
}

/** Builds the list from a full snapshot (init), keeping the last occurrence of each id. */
export function fromSnapshot(snapshot: readonly TranscriptEntry[], max = MAX_TRANSCRIPT_ENTRIES): readonly TranscriptEntry[] {
  let entries: readonly TranscriptEntry[] = [];
  for (const e of snapshot) entries = mergeEntry(entries, e, max).entries;
  return entries;
}

/** Labels in the panel's language: a function, so `t` runs after main.ts loaded the strings. */
const MARKER_LABELS: Record<TranscriptEntry['markers'][number], () => string> = {
  generationComplete: () => t('generation complete'),
  interrupted: () => t('interrupted'),
  restarted: () => t('restarted'),
  resumed: () => t('resumed'),
  handoff: () => t('handoff'),
  context: () => t('context sent'),
  tool: () => t('tool call'),
  thinking: () => t('still thinking in the background'),
};

export function markerLabel(marker: TranscriptEntry['markers'][number]): string {
  return MARKER_LABELS[marker]();
}

export function roleLabel(role: TranscriptEntry['role']): string {
  return role === 'user' ? t('You') : role === 'model' ? t('Gemini') : t('System');
}

/**
 * Auto-scroll rule: follow new text only while the reader is at (or within
 * `slackPx` of) the bottom; once they scroll up to read, leave them there.
 */
export function isPinnedToBottom(scrollTop: number, scrollHeight: number, clientHeight: number, slackPx = 24): boolean {
  return scrollHeight - (scrollTop + clientHeight) <= slackPx;
}
