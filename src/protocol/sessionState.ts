/**
 * What the session's state kinds mean, said once for the host and the panel: which
 * kinds count as live, which take input, their labels, and how elapsed time reads.
 * Constants and pure functions only (no valibot, no vscode, no DOM), so any side and
 * the tests import it cheaply.
 */

/** The session's states as the panel sees them (the core's SessionState kinds). */
export const SESSION_STATE_KINDS = ['idle', 'connecting', 'connected', 'handingOff', 'reconnecting', 'closed', 'failed'] as const;
export type SessionStateKind = (typeof SESSION_STATE_KINDS)[number];

/** Connected or handing off: a connection is up and the conversation takes input now. */
export function isLive(kind: SessionStateKind): boolean {
  return kind === 'connected' || kind === 'handingOff';
}

/**
 * Connecting, connected, handing off or reconnecting: a typed message or audio is taken,
 * because the session queues it through handoffs and reconnects.
 */
export function acceptsInput(kind: SessionStateKind): boolean {
  return kind === 'connecting' || isLive(kind) || kind === 'reconnecting';
}

/** Between two connections or on the way to one: the panel shows a busy indicator. */
export function isTransitioning(kind: SessionStateKind): boolean {
  return kind === 'connecting' || kind === 'handingOff' || kind === 'reconnecting';
}

/** Idle, closed or failed: Connect starts (or resumes) a session; Disconnect has nothing to end. */
export function canConnect(kind: SessionStateKind): boolean {
  return kind === 'idle' || kind === 'closed' || kind === 'failed';
}

const STATE_LABELS: Record<SessionStateKind, string> = {
  idle: 'Disconnected',
  connecting: 'Connecting…',
  connected: 'Connected',
  handingOff: 'Reconnecting seamlessly…',
  reconnecting: 'Reconnecting…',
  closed: 'Closed',
  failed: 'Failed',
};

/** The panel's short label for a state ("Reconnecting seamlessly…": a routine handoff, said without protocol words). */
export function stateLabel(kind: SessionStateKind): string {
  return STATE_LABELS[kind];
}

/**
 * Elapsed time as a clock: "0:07", "12:34", "1:02:03". Floors (a clock never runs
 * ahead); anything negative or not finite reads "0:00". The status bar's duration, the
 * token times in the host's messages and the panel's duration all use this.
 */
export function formatElapsed(ms: number): string {
  const totalS = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const s = totalS % 60;
  const m = Math.floor(totalS / 60) % 60;
  const h = Math.floor(totalS / 3600);
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Whole seconds left until `deadline`, never negative (a countdown shows "1 s" until it really ends). */
export function secondsLeft(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}
