/**
 * Reads a protobuf Duration as the Live API sends it in JSON (`"10s"`, `"1.5s"`,
 * `"0.000001s"`). Also takes a number of seconds. Returns milliseconds, or
 * undefined when the value is not a duration (the caller decides what that means).
 */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)s\s*$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * 1000;
}

/** The inverse, for the emulator-facing and test side: 1500 → "1.5s". */
export function formatDuration(ms: number): string {
  return `${Number((ms / 1000).toFixed(6))}s`;
}
