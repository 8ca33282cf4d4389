import type { FullState } from '../../../src/protocol/messages';

/** A valid FullState with sensible defaults; override what a test is about. */
export function fullState(over: Partial<FullState> = {}): FullState {
  return {
    session: {
      state: 'connected',
      detail: 'Connected to gemini-live-2.5-flash',
      model: 'gemini-live-2.5-flash',
      backend: 'emulator',
      baseUrl: 'ws://127.0.0.1:0',
      authMode: 'key',
      connection: 2,
      resumed: true,
      startTime: 1_000,
      goAwayDeadline: null,
      goAwayTimeLeftMs: null,
      reconnectAttempt: null,
      handoffs: 1,
      reconnects: 0,
      lastHandoffGapMs: 120,
      lastUsageTotal: 12_000,
      contextFill: 0.375,
      hasValidResumptionData: true,
      errorMessage: null,
    },
    token: { hasToken: false, canStartNewSession: false, isValid: false, newSessionTimeLeft: 0, totalTimeLeft: 0, uses: null, name: null, expiresAt: null, newSessionExpiresAt: null },
    settings: { compression: { enabled: true, triggerTokens: 32_000, compressionRatio: 0.5, useSlidingWindow: true }, resumption: true, useEphemeralTokens: false, responseModality: 'AUDIO' },
    transcript: [{ id: 'u1', turn: 1, role: 'user', text: 'Hello', partial: false, markers: [], at: 2_000 }],
    audio: { captureBackend: 'webview', listening: false, problem: null },
    hasApiKey: true,
    ...over,
  };
}
