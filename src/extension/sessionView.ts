/**
 * Maps the session's state and stats to the view models the panel and the status
 * bar show (src/protocol/messages.ts), including the goAway countdown and a human
 * detail line. Pure: the time comes in as `now`.
 */
import * as vscode from 'vscode';
import type { SessionState, SessionStats } from '../core/sessionEvents';
import { tokenStatus, type TokenStatus } from '../core/tokens';
import type { SessionView, TokenView } from '../protocol/messages';
import type { AuthMode } from './authResolver';
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

/** `65_000` → `1:05`, `3_723_000` → `1:02:03`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Whole seconds left until `deadline`, never negative. */
export function secondsLeft(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** One line for the state: "Handing off in 42 s", "Reconnecting (attempt 2)". */
export function sessionDetail(state: SessionState, goAwayDeadline: number | undefined, now: number): string {
  switch (state.kind) {
    case 'idle':
      return vscode.l10n.t('Not connected');
    case 'connecting':
      return state.attempt > 0 ? vscode.l10n.t('Connecting (attempt {0})', state.attempt) : vscode.l10n.t('Connecting…');
    case 'connected':
      return state.resumed ? vscode.l10n.t('Connected (connection {0}, resumed)', state.connection) : vscode.l10n.t('Connected (connection {0})', state.connection);
    case 'handingOff': {
      const deadline = state.deadline ?? goAwayDeadline;
      if (deadline !== undefined) return vscode.l10n.t('Handing off in {0} s', secondsLeft(deadline, now));
      return state.reason === 'tokenRenewal' ? vscode.l10n.t('Renewing the token') : vscode.l10n.t('Refreshing the connection');
    }
    case 'reconnecting':
      return vscode.l10n.t('Reconnecting (attempt {0}) in {1} s', state.attempt, Math.ceil(state.delayMs / 1000));
    case 'closed':
      return vscode.l10n.t('Disconnected');
    case 'failed':
      return vscode.l10n.t('Stopped after an error');
    default: {
      const never: never = state;
      return String(never);
    }
  }
}

export function toSessionView(input: SessionViewInput): SessionView {
  const { state, stats, now } = input;
  const deadline = state.kind === 'handingOff' ? (state.deadline ?? input.goAwayDeadline) : undefined;
  const nonNegative = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? null : Math.max(0, n));
  return {
    state: state.kind,
    detail: sessionDetail(state, input.goAwayDeadline, now).slice(0, 500),
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
