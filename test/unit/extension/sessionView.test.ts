import assert from 'node:assert/strict';
import type { SessionState, SessionStats } from '../../../src/core/sessionEvents';
import { english } from '../../../src/extension/localize';
import { sessionDetail, toSessionView, toTokenView, type SessionViewInput } from '../../../src/extension/sessionView';
import { parseToWebview, isProtocolError } from '../../../src/protocol/messages';

const NOW = 2_000_000;

describe('session view model (sessionView.ts, no vscode)', () => {
  const details: ReadonlyArray<[SessionState, number | undefined, string]> = [
    [{ kind: 'idle' }, undefined, 'Not connected'],
    [{ kind: 'connecting', attempt: 0 }, undefined, 'Connecting…'],
    [{ kind: 'connecting', attempt: 2 }, undefined, 'Connecting (attempt 2)'],
    [{ kind: 'connected', connection: 3, since: 0, resumed: false }, undefined, 'Connected (connection 3)'],
    [{ kind: 'connected', connection: 3, since: 0, resumed: true }, undefined, 'Connected (connection 3, resumed)'],
    [{ kind: 'handingOff', connection: 3, reason: 'goAway', deadline: NOW + 9_500 }, undefined, 'Reconnecting seamlessly in 10 s'],
    [{ kind: 'handingOff', connection: 3, reason: 'goAway' }, NOW + 5_000, 'Reconnecting seamlessly in 5 s'],
    [{ kind: 'handingOff', connection: 3, reason: 'tokenRenewal' }, undefined, 'Renewing the token'],
    [{ kind: 'handingOff', connection: 3, reason: 'refresh' }, undefined, 'Refreshing the connection'],
    [{ kind: 'reconnecting', attempt: 2, delayMs: 1_500 }, undefined, 'Reconnecting (attempt 2) in 2 s'],
    [{ kind: 'closed' }, undefined, 'Disconnected'],
    [{ kind: 'failed', reason: 'badKey', message: 'no' }, undefined, 'Stopped after an error'],
  ];
  for (const [state, goAway, want] of details) {
    it(`detail for ${JSON.stringify(state)}: "${want}"`, () => {
      assert.equal(sessionDetail(state, goAway, NOW, english), want);
    });
  }

  const input = (over: Partial<SessionViewInput> = {}): SessionViewInput => ({
    state: { kind: 'handingOff', connection: 4, reason: 'goAway', deadline: NOW + 30_000 },
    stats: { connections: 4, handoffs: 2, reconnects: 1, startTime: NOW - 60_000, lastHandoffGapMs: 12, lastUsageTotal: 900, contextFill: 0.1, hasValidResumptionData: true } as SessionStats,
    model: 'm',
    backend: 'emulator',
    baseUrl: 'ws://127.0.0.1:1',
    authMode: 'key',
    goAwayDeadline: undefined,
    errorMessage: undefined,
    now: NOW,
    ...over,
  });

  it('maps a handoff with its countdown, and the panel accepts the result', () => {
    const v = toSessionView(input(), english);
    assert.equal(v.state, 'handingOff');
    assert.equal(v.detail, 'Reconnecting seamlessly in 30 s');
    assert.equal(v.connection, 4);
    assert.equal(v.goAwayDeadline, NOW + 30_000);
    assert.equal(v.goAwayTimeLeftMs, 30_000);
    assert.equal(v.handoffs, 2);
    assert.ok(!isProtocolError(parseToWebview({ type: 'session/stateChanged', session: v })));
  });

  it('says "offline demo" in the detail on the emulator (idle and connected), never on Gemini', () => {
    const connected: SessionState = { kind: 'connected', connection: 1, since: 0, resumed: false };
    assert.equal(toSessionView(input({ state: { kind: 'idle' } }), english).detail, 'Not connected · offline demo');
    assert.equal(toSessionView(input({ state: connected }), english).detail, 'Connected (connection 1) · offline demo');
    assert.equal(toSessionView(input({ state: connected, backend: 'gemini' }), english).detail, 'Connected (connection 1)');
    assert.equal(toSessionView(input({ state: { kind: 'idle' }, backend: 'gemini' }), english).detail, 'Not connected');
  });

  it('shows the failure text while failed, and none otherwise', () => {
    assert.equal(toSessionView(input({ state: { kind: 'failed', reason: 'badKey', message: 'core text' } }), english).errorMessage, 'core text');
    assert.equal(toSessionView(input({ state: { kind: 'failed', reason: 'badKey', message: 'core text' }, errorMessage: 'user text' }), english).errorMessage, 'user text');
    assert.equal(toSessionView(input({ state: { kind: 'closed' } }), english).errorMessage, null);
  });

  it('has no token view fields before a token exists', () => {
    const t = toTokenView(undefined);
    assert.equal(t.hasToken, false);
    assert.equal(t.name, null);
  });
});
