/**
 * Protobuf JSON helpers for the fields the Live API sends as strings:
 * `google.protobuf.Duration` ("60s", "1.5s") and int64 counts ("25000").
 */

/**
 * Formats milliseconds as a protobuf JSON duration: whole seconds, or up to
 * nine fractional digits with trailing zeros removed ("60s", "1.5s", "0.001s").
 */
export function formatProtoDuration(ms: number): string {
  const clamped = Math.max(0, ms);
  const nanos = Math.round(clamped * 1_000_000);
  const seconds = Math.floor(nanos / 1_000_000_000);
  const frac = nanos % 1_000_000_000;
  if (frac === 0) return `${seconds}s`;
  const digits = String(frac).padStart(9, '0').replace(/0+$/, '');
  return `${seconds}.${digits}s`;
}

/** Parses a protobuf JSON duration ("60s", "1.5s") to milliseconds; undefined if malformed. */
export function parseProtoDuration(text: string): number | undefined {
  const m = /^(-?\d+)(?:\.(\d{1,9}))?s$/.exec(text);
  if (!m) return undefined;
  const whole = Number(m[1]);
  const frac = m[2] ? Number(`0.${m[2]}`) : 0;
  return (whole + (whole < 0 ? -frac : frac)) * 1000;
}

/**
 * Reads an int64 field that proto3 JSON may carry as a string or a number.
 * Returns undefined for anything that is not a non-negative safe integer.
 */
export function parseInt64(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}
