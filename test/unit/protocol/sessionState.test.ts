import assert from 'node:assert/strict';
import { SessionStateKindSchema } from '../../../src/protocol/messages';
import { acceptsInput, canConnect, formatElapsed, isLive, isTransitioning, SESSION_STATE_KINDS, secondsLeft, stateLabel, type SessionStateKind } from '../../../src/protocol/sessionState';

describe('session state meanings (src/protocol/sessionState.ts)', () => {
  // One row per state: what the host and the panel both derive from it.
  const table: ReadonlyArray<[SessionStateKind, { live: boolean; input: boolean; transitioning: boolean; connect: boolean; label: string }]> = [
    ['idle', { live: false, input: false, transitioning: false, connect: true, label: 'Disconnected' }],
    ['connecting', { live: false, input: true, transitioning: true, connect: false, label: 'Connecting…' }],
    ['connected', { live: true, input: true, transitioning: false, connect: false, label: 'Connected' }],
    ['handingOff', { live: true, input: true, transitioning: true, connect: false, label: 'Reconnecting seamlessly…' }],
    ['reconnecting', { live: false, input: true, transitioning: true, connect: false, label: 'Reconnecting…' }],
    ['closed', { live: false, input: false, transitioning: false, connect: true, label: 'Closed' }],
    ['failed', { live: false, input: false, transitioning: false, connect: true, label: 'Failed' }],
  ];

  it('covers every state kind the protocol accepts', () => {
    assert.deepEqual(table.map(([k]) => k), [...SESSION_STATE_KINDS]);
    assert.deepEqual(SessionStateKindSchema.options, [...SESSION_STATE_KINDS]);
  });

  for (const [kind, want] of table) {
    it(`${kind}: live ${want.live}, takes input ${want.input}, busy ${want.transitioning}, can connect ${want.connect}`, () => {
      assert.deepEqual(
        { live: isLive(kind), input: acceptsInput(kind), transitioning: isTransitioning(kind), connect: canConnect(kind), label: stateLabel(kind) },
        want,
      );
    });
  }

  it('formats elapsed time as a clock, flooring, never negative', () => {
    assert.equal(formatElapsed(7_900), '0:07');
    assert.equal(formatElapsed(65_000), '1:05');
    assert.equal(formatElapsed(754_000), '12:34');
    assert.equal(formatElapsed(3_723_000), '1:02:03');
    assert.equal(formatElapsed(-1_000), '0:00');
    assert.equal(formatElapsed(Number.NaN), '0:00');
  });

  it('counts whole seconds left, rounding up, never negative', () => {
    assert.equal(secondsLeft(10_000, 0), 10);
    assert.equal(secondsLeft(10_000, 9_001), 1);
    assert.equal(secondsLeft(10_000, 12_000), 0);
  });
});
