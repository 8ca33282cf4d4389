/**
 * Pure formatting and gauge math for the panel. No DOM: unit-tested in node.
 */
import type { SessionView } from '../../src/protocol/messages';
import { COMPRESSION_RATIO_BOUNDS, TRIGGER_TOKENS_BOUNDS } from '../../src/protocol/panelSettings';
import { stateLabel } from '../../src/protocol/sessionState';
import { t } from '../l10n';

/** "0 s", "42 s", "1 min 05 s", "1 h 02 min": for times left and gaps. */
export function formatSeconds(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0 s';
  // Ceil so a countdown shows "1 s" until it really reaches zero.
  const totalS = Math.ceil(ms / 1000);
  if (totalS < 60) return `${totalS} s`;
  const totalMin = Math.floor(totalS / 60);
  if (totalMin < 60) return `${totalMin} min ${String(totalS % 60).padStart(2, '0')} s`;
  const h = Math.floor(totalMin / 60);
  return `${h} h ${String(totalMin % 60).padStart(2, '0')} min`;
}

export interface Countdown {
  readonly leftMs: number;
  /** Remaining share of the whole countdown, 0..1 (1 = just started). */
  readonly fraction: number;
  readonly text: string;
}

/** Time left until `deadlineMs` at `nowMs`, as a share of `totalMs`. */
export function countdown(nowMs: number, deadlineMs: number, totalMs: number): Countdown {
  const leftMs = Math.max(0, deadlineMs - nowMs);
  const fraction = totalMs > 0 ? Math.max(0, Math.min(1, leftMs / totalMs)) : 0;
  return { leftMs, fraction, text: formatSeconds(leftMs) };
}

/** Integer token counts with thousands separators, locale-independent: "12,345". */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export interface ContextUsage {
  /** 0..1, clamped; null when nothing has been reported yet. */
  readonly fraction: number | null;
  readonly percent: number | null;
  readonly text: string;
  readonly level: 'ok' | 'warn' | 'over';
}

/** Context usage gauge: last reported total tokens against the compression trigger. */
export function contextUsage(lastUsageTotal: number | null, triggerTokens: number): ContextUsage {
  if (lastUsageTotal === null || !(triggerTokens > 0)) {
    return { fraction: null, percent: null, text: `– / ${formatCount(triggerTokens)} tokens`, level: 'ok' };
  }
  const raw = lastUsageTotal / triggerTokens;
  const fraction = Math.max(0, Math.min(1, raw));
  const percent = Math.round(raw * 100);
  const level = raw >= 1 ? 'over' : raw >= 0.8 ? 'warn' : 'ok';
  return { fraction, percent, text: `${formatCount(lastUsageTotal)} / ${formatCount(triggerTokens)} tokens (${percent}%)`, level };
}

/** What a screen reader hears when the session state changes ("Connected. gemini-2.5-flash"). */
export function stateAnnouncement(session: Pick<SessionView, 'state' | 'detail'>): string {
  const label = stateLabel(session.state).replace(/…$/, '');
  return session.detail && session.detail !== label ? `${label}. ${session.detail}` : label;
}

export type FieldCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Compression trigger: a whole number of tokens within the setting's bounds (src/protocol/panelSettings.ts). */
export function checkTriggerTokens(input: string): FieldCheck<number> {
  const { min, max } = TRIGGER_TOKENS_BOUNDS;
  const s = input.trim().replace(/[,_\s]/g, '');
  if (!/^\d+$/.test(s)) return { ok: false, error: t('Trigger must be a whole number of tokens.') };
  const value = Number(s);
  if (!Number.isSafeInteger(value) || value < min || value > max) return { ok: false, error: t('Trigger must be from {0} to {1} tokens.', formatCount(min), formatCount(max)) };
  return { ok: true, value };
}

/** Compression ratio: the share of the trigger kept after compressing, within the setting's bounds. */
export function checkCompressionRatio(input: string): FieldCheck<number> {
  const { min, max } = COMPRESSION_RATIO_BOUNDS;
  const s = input.trim();
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(s)) return { ok: false, error: t('Ratio must be a number from {0} to {1}, e.g. 0.5.', min, max) };
  const value = Number(s);
  if (!(value >= min && value <= max)) return { ok: false, error: t('Ratio must be from {0} to {1}.', min, max) };
  return { ok: true, value };
}
