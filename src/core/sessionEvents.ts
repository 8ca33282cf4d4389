/** Everything a LiveSession reports, as one discriminated union (mapped 1:1 to CLI JSON Lines). */
import type { MoonTalkError } from '../common/errors';
import type { GroundingSource } from './grounding';
import type { UsageMetadata } from './messages';

export type SessionStateKind = 'idle' | 'connecting' | 'connected' | 'handingOff' | 'reconnecting' | 'closed' | 'failed';

/** The session state as the UI sees it: data only, no sockets. */
export type SessionState =
  | { kind: 'idle' }
  | { kind: 'connecting'; attempt: number }
  | { kind: 'connected'; connection: number; since: number; resumed: boolean }
  | { kind: 'handingOff'; connection: number; reason: HandoffReason; deadline?: number }
  | { kind: 'reconnecting'; attempt: number; delayMs: number }
  | { kind: 'closed' }
  | { kind: 'failed'; reason: MoonTalkError['reason']; message: string };

export type HandoffReason = 'goAway' | 'refresh' | 'tokenRenewal';

export type TextSource = 'model' | 'outputTranscription';

export interface FunctionCallInfo {
  id?: string;
  name?: string;
  args?: Record<string, unknown>;
}

export type SessionEvent =
  | { type: 'stateChanged'; state: SessionState }
  | { type: 'connected'; resumed: boolean; connection: number }
  | { type: 'goAway'; timeLeftMs: number; deadline: number }
  | { type: 'handoff'; phase: 'started'; reason: HandoffReason }
  | { type: 'handoff'; phase: 'completed'; reason: HandoffReason; gapMs: number; warm: boolean }
  | { type: 'disconnected'; code: number; reason: string; willReconnect: boolean }
  | { type: 'reconnecting'; attempt: number; delayMs: number }
  | { type: 'resumeFailed'; reason: string }
  | { type: 'turnSent'; turn: number; text: string }
  | { type: 'turnRestarted'; turn: number }
  | { type: 'text'; turn: number; text: string; source: TextSource }
  | { type: 'inputTranscription'; turn: number; text: string }
  | { type: 'audio'; turn: number; data: string; mimeType: string }
  | { type: 'interrupted'; turn: number }
  | { type: 'generationComplete'; turn: number }
  /**
   * The model is done with the turn: the server's `turnComplete`, or, on models that report
   * `interactionStatus`, the `IDLE` after it. `reason`: the server's `turnCompleteReason` when
   * it is not a plain end (a safety block, needs more input).
   */
  | { type: 'turnComplete'; turn: number; reason?: string }
  /** A `turnComplete` with `interactionStatus: IN_PROGRESS`: the model goes on working in the background. */
  | { type: 'thinking'; turn: number; inBackground: boolean }
  /** `serverContent.waitingForInput`: the model waits for the user to say more. */
  | { type: 'waitingForInput'; turn: number }
  /** `serverContent.groundingMetadata` (Google Search): the web pages the answer of `turn` rests on. */
  | { type: 'grounding'; turn: number; sources: GroundingSource[]; queries: string[] }
  | { type: 'usage'; turn: number; totalTokenCount: number; usage: UsageMetadata }
  | { type: 'resumptionUpdate'; resumable: boolean; coveredThrough: number }
  /** `connection`: which connection the call came on; its response must go back on that one. */
  | { type: 'toolCall'; turn: number; connection: number; calls: FunctionCallInfo[] }
  | { type: 'toolCallCancellation'; ids: string[] }
  | { type: 'audioDropped'; bytes: number }
  | { type: 'error'; error: MoonTalkError; fatal: boolean }
  | { type: 'closed' };

export interface SessionStats {
  state: SessionStateKind;
  /** Connected or handing off: the conversation can take input now. */
  active: boolean;
  hasValidResumptionData: boolean;
  /** Milliseconds since the first connection began (0 before). */
  duration: number;
  startTime: number | undefined;
  compressionEnabled: boolean;
  resumptionEnabled: boolean;
  connections: number;
  handoffs: number;
  reconnects: number;
  resumeFailures: number;
  lastGoAway: { timeLeftMs: number; at: number } | undefined;
  lastUsageTotal: number | undefined;
  /** lastUsageTotal / triggerTokens (0..1+), undefined without usage or compression. */
  contextFill: number | undefined;
  lastHandoffGapMs: number | undefined;
  turns: { total: number; queued: number; coveredThrough: number };
  model: string;
}
