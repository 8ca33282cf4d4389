import type { WireUsageMetadata } from './tokenAccounting';

/** What the emulator reports to tests through `LiveEmulator.onDidEvent`. */
export type EmulatorEvent =
  | { type: 'connectionOpened'; connectionId: string; endpoint: 'key' | 'token' }
  | { type: 'setupAccepted'; connectionId: string; sessionId: string; resumed: boolean }
  | { type: 'handleIssued'; connectionId: string; sessionId: string; handle: string; historyLength: number }
  | { type: 'clientMessage'; connectionId: string; kind: 'setup' | 'clientContent' | 'realtimeInput' | 'toolResponse' }
  | { type: 'userTurn'; connectionId: string; sessionId: string; text: string; source: 'text' | 'vad' | 'activity' | 'audioStreamEnd' }
  | { type: 'turnAnswered'; connectionId: string; sessionId: string; userText: string; replyText: string; usage: WireUsageMetadata }
  /** The model spoke about a background (NON_BLOCKING) tool result, as a turn of its own. */
  | { type: 'toolResultSpoken'; connectionId: string; sessionId: string; replyText: string }
  | { type: 'turnInterrupted'; connectionId: string; sessionId: string; userText: string }
  | { type: 'toolCallSent'; connectionId: string; sessionId: string; id: string; name: string }
  | { type: 'toolCallCancelled'; connectionId: string; sessionId: string; id: string }
  | { type: 'contextCompressed'; sessionId: string; tokensBefore: number; tokensAfter: number; turnsDropped: number }
  | { type: 'goAwaySent'; connectionId: string; timeLeftMs: number }
  | { type: 'pingAnswered'; connectionId: string; delayMs: number }
  | { type: 'connectionDropped'; connectionId: string; sessionId: string | undefined }
  | { type: 'connectionClosed'; connectionId: string; sessionId: string | undefined; code: number; reason: string; by: 'server' | 'client' | 'drop' }
  | { type: 'sessionCapped'; sessionId: string }
  | { type: 'toolResponseHandled'; connectionId: string; sessionId: string; id: string; scheduling: 'SILENT' | 'WHEN_IDLE' | 'INTERRUPT'; final: boolean }
  | { type: 'modelIdle'; connectionId: string; sessionId: string }
  | { type: 'slowConsumerCut'; connectionId: string; sessionId: string | undefined; bufferedBytes: number }
  | { type: 'evicted'; sessions: number; tokens: number }
  | { type: 'tokenMinted'; name: string; uses: number; expireTimeMs: number; newSessionExpireTimeMs: number };
