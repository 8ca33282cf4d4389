/**
 * Maps session events to the CLI contract's JSON Lines (CLI-CONTRACT.md). Pure, so
 * the contract is testable without processes. Types beyond the contract's are
 * additions the contract allows; required fields are never renamed.
 */
import type { SessionEvent } from '../core/sessionEvents';
import type { RenewalEvent } from '../core/tokenRenewal';
import type { TokenEvent } from '../core/tokens';

export type JsonLine = { type: string } & Record<string, unknown>;

export function sessionEventToLine(e: SessionEvent): JsonLine | undefined {
  switch (e.type) {
    case 'connected':
      return { type: 'connected', resumed: e.resumed, connection: e.connection };
    case 'goAway':
      return { type: 'goAway', timeLeftMs: e.timeLeftMs };
    case 'disconnected':
      return { type: 'disconnected', code: e.code, reason: e.reason, willReconnect: e.willReconnect };
    case 'reconnecting':
      return { type: 'reconnecting', attempt: e.attempt, delayMs: e.delayMs };
    case 'resumeFailed':
      return { type: 'resumeFailed', reason: e.reason };
    case 'text':
      return { type: 'text', turn: e.turn, text: e.text };
    case 'generationComplete':
      return { type: 'generationComplete', turn: e.turn };
    case 'turnComplete':
      return e.reason ? { type: 'turnComplete', turn: e.turn, reason: e.reason } : { type: 'turnComplete', turn: e.turn };
    case 'thinking':
      return { type: 'thinking', turn: e.turn, inBackground: e.inBackground };
    case 'waitingForInput':
      return { type: 'waitingForInput', turn: e.turn };
    case 'grounding':
      return { type: 'grounding', turn: e.turn, sources: e.sources, queries: e.queries };
    case 'usage':
      return { type: 'usage', turn: e.turn, totalTokenCount: e.totalTokenCount };
    case 'turnRestarted':
      return { type: 'turnRestarted', turn: e.turn };
    case 'error':
      return { type: 'error', message: e.error.message, fatal: e.fatal, reason: e.error.reason };
    case 'closed':
      return { type: 'closed' };
    case 'handoff':
      return e.phase === 'completed'
        ? { type: 'handoff', phase: e.phase, reason: e.reason, gapMs: e.gapMs, warm: e.warm }
        : { type: 'handoff', phase: e.phase, reason: e.reason };
    case 'turnSent':
      return { type: 'turnSent', turn: e.turn };
    case 'interrupted':
      return { type: 'interrupted', turn: e.turn };
    case 'inputTranscription':
      return { type: 'inputTranscription', turn: e.turn, text: e.text };
    case 'toolCall':
      return { type: 'toolCall', turn: e.turn, connection: e.connection, calls: e.calls };
    case 'toolCallCancellation':
      return { type: 'toolCallCancellation', ids: e.ids };
    case 'audioDropped':
      return { type: 'audioDropped', bytes: e.bytes };
    case 'resumptionUpdate':
    case 'stateChanged':
    case 'audio':
      // Too chatty for stdout (and a handle never goes there); the audio goes to --audio-out.
      return undefined;
    default: {
      const never: never = e;
      return never;
    }
  }
}

export function tokenEventToLine(e: TokenEvent): JsonLine {
  if (e.type === 'minted') return { type: 'token', event: 'minted', reason: e.reason, status: e.status };
  if (e.type === 'used') return { type: 'token', event: 'used', status: e.status };
  return { type: 'token', event: 'mintFailed', message: e.error.message };
}

export function renewalEventToLine(e: RenewalEvent): JsonLine {
  switch (e.type) {
    case 'expiringSoon':
      return { type: 'token', event: 'expiringSoon', timeLeftMs: e.timeLeftMs };
    case 'renewed':
      return { type: 'token', event: 'renewed', status: e.status };
    case 'renewalFailed':
      return { type: 'token', event: 'renewalFailed', message: e.error.message, willRetry: e.willRetry, timeLeftMs: e.timeLeftMs };
    case 'expired':
      return { type: 'token', event: 'expired' };
  }
}
