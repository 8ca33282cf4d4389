/**
 * Maps the session's state and stats to the view models the panel and the status
 * bar show (src/protocol/messages.ts), including the goAway countdown and a human
 * detail line. Pure: the time comes in as `now` and the localize function as `t`
 * (vscode.l10n.t in the extension), so it runs in plain Node.
 */
import type { SessionState, SessionStats } from '../core/sessionEvents';
import { tokenStatus, type TokenStatus } from '../core/tokens';
import type { SessionView, TokenView } from '../protocol/messages';
import { secondsLeft } from '../protocol/sessionState';
import type { AuthMode } from './authResolver';
import type { Localize } from './localize';
import type { BackendKind } from './settings';

export interface SessionViewInput {
  state: SessionState;
  /** Undefined before the first session exists. */
  stats: SessionStats | undefined;
  model: string;
  backend: BackendKind;
  baseUrl: string;
  authMode: AuthMode;
  /** Epoch ms of a pending goAway deadline. */
  goAwayDeadline: number | undefined;
  /** User text of the last fatal error, while failed. */
  errorMessage: string | undefined;
  now: number;
}

/** `65_000` → `1:05`, `3_723_000` → `1:02:03`: the panel's elapsed clock, under the name host code knows. */
export { formatElapsed as formatDuration } from '../protocol/sessionState';

/** One line for the state: "Handing off in 42 s", "Reconnecting (attempt 2)". */
export function sessionDetail(state: SessionState, goAwayDeadline: number | undefined, now: number, t: Localize): string {
  switch (state.kind) {
    case 'idle':
      return t('Not connected');
    case 'connecting':
      return state.attempt > 0 ? t('Connecting (attempt {0})', state.attempt) : t('Connecting…');
    case 'connected':
      return state.resumed ? t('Connected (connection {0}, resumed)', state.connection) : t('Connected (connection {0})', state.connection);
    case 'handingOff': {
      const deadline = state.deadline ?? goAwayDeadline;
      // Routine (the service ends connections every ~10 minutes): said plainly, no protocol words.
      if (deadline !== undefined) return t('Reconnecting seamlessly in {0} s', secondsLeft(deadline, now));
      return state.reason === 'tokenRenewal' ? t('Renewing the token') : t('Refreshing the connection');
    }
    case 'reconnecting':
      return t('Reconnecting (attempt {0}) in {1} s', state.attempt, Math.ceil(state.delayMs / 1000));
    case 'closed':
      return t('Disconnected');
    case 'failed':
      return t('Stopped after an error');
    default: {
      const never: never = state;
      return String(never);
    }
  }
}

export function toSessionView(input: SessionViewInput, t: Localize): SessionView {
  const { state, stats, now } = input;
  const deadline = state.kind === 'handingOff' ? (state.deadline ?? input.goAwayDeadline) : undefined;
  const nonNegative = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? null : Math.max(0, n));
  return {
    state: state.kind,
    // The emulator echoes what it hears: the view says it is the offline demo, not Gemini.
    detail: (sessionDetail(state, input.goAwayDeadline, now, t) + (input.backend === 'emulator' && (state.kind === 'idle' || state.kind === 'connected') ? ` · ${t('offline demo')}` : '')).slice(0, 500),
    model: input.model.slice(0, 200),
    backend: input.backend,
    baseUrl: input.baseUrl.slice(0, 500),
    authMode: input.authMode,
    connection: state.kind === 'connected' || state.kind === 'handingOff' ? state.connection : (stats?.connections ?? 0),
    resumed: state.kind === 'connected' ? state.resumed : false,
    startTime: nonNegative(stats?.startTime),
    goAwayDeadline: nonNegative(deadline),
    goAwayTimeLeftMs: deadline === undefined ? null : Math.max(0, deadline - now),
    reconnectAttempt: state.kind === 'reconnecting' ? state.attempt : state.kind === 'connecting' && state.attempt > 0 ? state.attempt : null,
    handoffs: stats?.handoffs ?? 0,
    reconnects: stats?.reconnects ?? 0,
    lastHandoffGapMs: nonNegative(stats?.lastHandoffGapMs),
    lastUsageTotal: nonNegative(stats?.lastUsageTotal),
    contextFill: nonNegative(stats?.contextFill),
    hasValidResumptionData: stats?.hasValidResumptionData ?? false,
    errorMessage: state.kind === 'failed' ? (input.errorMessage ?? state.message).slice(0, 2_000) : null,
  };
}

/** No token yet: the core's own answer for that (times 0, nothing valid). */
const NO_TOKEN: TokenView = tokenStatus(undefined, 0);

/** The token status for the panel: the core already masks the name (`auth_tokens/ab…yz`). */
export function toTokenView(status: TokenStatus | undefined): TokenView {
  if (!status) return NO_TOKEN;
  return { ...status, uses: status.uses === null ? null : Math.max(0, Math.floor(status.uses)) };
}
