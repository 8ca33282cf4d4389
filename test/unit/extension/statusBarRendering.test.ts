import assert from 'node:assert/strict';
import type { SessionView, TokenView } from '../../../src/protocol/messages';
import { english } from '../../../src/extension/localize';
import { renderStatusBar } from '../../../src/extension/statusBarRendering';
import { fullState } from '../webview/fullState';

const NOW = 1_000_000;
const view = (over: Partial<SessionView> = {}): SessionView => ({ ...fullState().session, startTime: NOW - 65_000, resumed: false, ...over });
const noToken: TokenView = fullState().token;

describe('status bar rendering (renderStatusBar, no vscode)', () => {
  // fullState()'s backend is the emulator: the offline demo says so. Colour only where the user must act.
  const rows: ReadonlyArray<[string, Partial<SessionView>, boolean, { text: string; background: 'warning' | 'error' | undefined; ticking: boolean }]> = [
    ['idle on the emulator (first run)', { state: 'idle', startTime: null }, false, { text: '$(radio-tower) MoonTalk · offline demo', background: undefined, ticking: false }],
    ['idle on Gemini', { state: 'idle', startTime: null, backend: 'gemini' }, false, { text: '$(radio-tower) MoonTalk', background: undefined, ticking: false }],
    ['closed', { state: 'closed' }, false, { text: '$(debug-disconnect) MoonTalk: disconnected', background: undefined, ticking: false }],
    ['connecting', { state: 'connecting', reconnectAttempt: null }, false, { text: '$(loading~spin) MoonTalk: connecting…', background: undefined, ticking: false }],
    ['connecting, attempt 3', { state: 'connecting', reconnectAttempt: 3 }, false, { text: '$(loading~spin) MoonTalk: connecting (attempt 3)', background: undefined, ticking: false }],
    ['connected on the emulator, duration ticks', { state: 'connected' }, false, { text: '$(radio-tower) MoonTalk 1:05 · offline demo', background: undefined, ticking: true }],
    ['connected on Gemini', { state: 'connected', backend: 'gemini' }, false, { text: '$(radio-tower) MoonTalk 1:05', background: undefined, ticking: true }],
    ['connected and listening, resumed', { state: 'connected', resumed: true, backend: 'gemini' }, true, { text: '$(mic-filled) MoonTalk 1:05 listening · resumed', background: undefined, ticking: true }],
    // A routine goAway handoff: calm. No colour, no countdown, no protocol words.
    ['handing off after a goAway (routine)', { state: 'handingOff', goAwayDeadline: NOW + 41_200, backend: 'gemini' }, false, { text: '$(sync~spin) MoonTalk 1:05 · reconnecting seamlessly', background: undefined, ticking: true }],
    ['handing off without a deadline (refresh)', { state: 'handingOff', goAwayDeadline: null }, false, { text: '$(sync~spin) MoonTalk 1:05 · offline demo · reconnecting seamlessly', background: undefined, ticking: true }],
    ['reconnecting after a drop, first attempt (routine)', { state: 'reconnecting', reconnectAttempt: 1 }, false, { text: '$(sync~spin) MoonTalk: reconnecting (attempt 1)', background: undefined, ticking: false }],
    ['reconnecting, attempt 2', { state: 'reconnecting', reconnectAttempt: 2 }, false, { text: '$(sync~spin) MoonTalk: reconnecting (attempt 2)', background: undefined, ticking: false }],
    ['reconnecting keeps failing: the user may need to look', { state: 'reconnecting', reconnectAttempt: 3 }, false, { text: '$(sync~spin) MoonTalk: reconnecting (attempt 3)', background: 'warning', ticking: false }],
    ['failed: the user must act', { state: 'failed', errorMessage: 'Gemini rejected the API key.' }, false, { text: '$(error) MoonTalk: error', background: 'error', ticking: false }],
  ];
  for (const [name, over, listening, want] of rows) {
    it(name, () => {
      const r = renderStatusBar(view(over), noToken, listening, NOW, english);
      assert.deepEqual({ text: r.text, background: r.background, ticking: r.ticking }, want);
    });
  }

  it('puts model, backend, counts, token time, context fill and the error in the tooltip', () => {
    const token: TokenView = { ...noToken, hasToken: true, totalTimeLeft: 1_805_000 };
    const r = renderStatusBar(view({ state: 'failed', errorMessage: 'It broke.', contextFill: 0.42 }), token, false, NOW, english);
    const lines = r.tooltip.split('  \n');
    assert.ok(lines.includes('Model: gemini-live-2.5-flash'), r.tooltip);
    assert.ok(lines.some((l) => l.startsWith('Backend: offline demo (') && l.endsWith('(key)')), r.tooltip);
    assert.ok(lines.includes('Connections: 2 · handoffs: 1 · reconnects: 0'), r.tooltip);
    assert.ok(lines.includes('Token time left: 30:05'), r.tooltip);
    assert.ok(lines.includes('Context fill: 42 %'), r.tooltip);
    assert.ok(lines.includes('It broke.'), r.tooltip);
    assert.equal(lines.at(-1), 'Click for actions');
  });

  it('a routine handoff never shows "goAway" or "handing off", and its tooltip says the conversation is kept', () => {
    const r = renderStatusBar(view({ state: 'handingOff', goAwayDeadline: NOW + 9_000 }), noToken, false, NOW, english);
    assert.doesNotMatch(r.text + r.tooltip, /goAway|handing off/i);
    assert.match(r.tooltip, /Moving to a new connection within 9 s; the conversation is kept\./);
  });

  it('localizes every word through the function it is given', () => {
    const upper = (m: string, ...a: Array<string | number | boolean>) => english(m, ...a).toUpperCase();
    const r = renderStatusBar(view({ state: 'reconnecting', reconnectAttempt: 4 }), noToken, false, NOW, upper);
    assert.equal(r.text, '$(sync~spin) MOONTALK: RECONNECTING (ATTEMPT 4)');
    assert.match(r.tooltip, /CLICK FOR ACTIONS$/);
  });
});
