/**
 * Tab selection for the panel's native tabs (webview/ui/components.ts `panels`, when the
 * UI toolkit is not there): which tab shows first and where a key moves the selection,
 * per the ARIA tabs pattern (arrows wrap around, Home and End jump to the ends). No DOM,
 * so it is unit-tested in Node; the toolkit's vscode-panels does the same itself.
 */

/** The tab to show first: the one asked for if it exists, else the first ('' when there are none). */
export function initialTab(ids: readonly string[], requested: string | undefined): string {
  return requested !== undefined && ids.includes(requested) ? requested : (ids[0] ?? '');
}

/** The tab `key` moves to from `current`, or undefined when the key does not move the selection. */
export function tabAfterKey(ids: readonly string[], current: string, key: string): string | undefined {
  if (ids.length === 0) return undefined;
  const i = Math.max(0, ids.indexOf(current));
  switch (key) {
    case 'ArrowRight':
      return ids[(i + 1) % ids.length];
    case 'ArrowLeft':
      return ids[(i - 1 + ids.length) % ids.length];
    case 'Home':
      return ids[0];
    case 'End':
      return ids[ids.length - 1];
    default:
      return undefined;
  }
}
