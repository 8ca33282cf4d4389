/**
 * Table tests for the session's decisions, on the pure transition alone: no sockets, no
 * clock, no driver. Each row feeds inputs to a state and checks the state and the effects.
 */
import assert from 'node:assert/strict';
import { MoonTalkError } from '../../../src/common/errors';
import { DEFAULT_SESSION_OPTIONS, type LiveSessionOptions } from '../../../src/core/liveSession';
import type { ServerFrame } from '../../../src/core/messages';
import { modelProfile } from '../../../src/core/models';
import { TIMER_NAMES, sessionStats, type Context, type Effect, type Input, type LinkId, type State } from '../../../src/core/sessionState';
import { MAX_TIMER_MS, appendOutput, initialState, outputEvents, plainOutput, transition } from '../../../src/core/sessionTransition';
import type { SessionEvent } from '../../../src/core/sessionEvents';
import { FAKE_EPOCH } from '../../fakes/fakeClock';

const T0 = FAKE_EPOCH;

interface World {
  state: State;
  now: number;
  options: LiveSessionOptions;
  model: string;
  mode: 'apiKey' | 'token';
  /** Effects of the last `feed` only. */
  effects: readonly Effect[];
}

function given(o: { model?: string; mode?: 'apiKey' | 'token'; options?: Partial<LiveSessionOptions> } = {}): World {
  const model = o.model ?? 'gemini-live-2.5-flash-preview';
  const options: LiveSessionOptions = { ...DEFAULT_SESSION_OPTIONS, setup: { model, responseModality: 'TEXT' }, ...o.options };
  return { state: initialState(options, () => 0.5), now: T0, options, model, mode: o.mode ?? 'apiKey', effects: [] };
}

function ctx(w: World): Context {
  return { now: w.now, options: w.options, profile: modelProfile(w.model), credentialMode: w.mode };
}

/** Feeds inputs in order; `effects` holds what the last batch produced. */
function feed(w: World, ...inputs: Input[]): World {
  const effects: Effect[] = [];
  for (const input of inputs) {
    const before = w.state;
    const frozen = JSON.stringify(summary(before));
    const step = transition(before, input, ctx(w));
    assert.equal(JSON.stringify(summary(before)), frozen, `transition changed its input state on ${input.type}`);
    w.state = step.state;
    effects.push(...step.effects);
  }
  w.effects = effects;
  return w;
}

/** What a test can see of a state without its class instances. */
function summary(s: State): unknown {
  return { phase: s.phase, ledger: s.ledger.snapshot(), audio: s.audio.length, pending: [...s.pendingCalls], turn: s.turn, stats: s.stats, backoff: s.backoff.attempt };
}

const frame = (link: LinkId, f: ServerFrame): Input => ({ type: 'frame', link, frame: f });
const setupComplete = (link: LinkId) => frame(link, { setupComplete: {} });
const opened = (link: LinkId): Input => ({ type: 'opened', link });

/** Connected on link 1 (nothing in flight). */
function connected(w: World): World {
  return feed(w, { type: 'connect' }, opened(1), setupComplete(1));
}

/** Connected, one turn answered and covered by handle `h1`. */
function answeredAndCovered(w: World): World {
  connected(w);
  return feed(w, { type: 'sendText', text: 'q1' }, frame(1, { serverContent: { modelTurn: { parts: [{ text: 'a1' }] } } }), frame(1, { serverContent: { turnComplete: true } }), frame(1, { sessionResumptionUpdate: { newHandle: 'h1', resumable: true } }));
}

function ofType<K extends Effect['type']>(w: World, type: K): Array<Extract<Effect, { type: K }>> {
  return w.effects.filter((e): e is Extract<Effect, { type: K }> => e.type === type);
}

function events(w: World): SessionEvent[] {
  return ofType(w, 'emit').map((e) => e.event).filter((e) => e.type !== 'stateChanged');
}

/** The `open` effects as [link, purpose, link whose credential it replaces]. */
function opens(w: World): Array<[LinkId, string, LinkId | undefined]> {
  return ofType(w, 'open').map((e) => [e.link, e.purpose, e.replacing]);
}

function timer(w: World, name: string): number | undefined {
  return ofType(w, 'startTimer').find((e) => e.name === name)?.ms;
}

function failure(w: World): MoonTalkError {
  assert.equal(w.state.phase.kind, 'failed');
  return (w.state.phase as { error: MoonTalkError }).error;
}

describe('sessionTransition: the decisions, as a table', () => {
  describe('goAway', () => {
    const rows: Array<[string, string | undefined, number]> = [
      ['a long timeLeft switches at deadline minus the margin', '30s', 28_000],
      ['a short timeLeft uses half of it as margin', '1s', 500],
      ['"0s": the deadline has passed, switch at once', '0s', 0],
      ['a negative timeLeft is read as none left', '-5s', 0],
      ['an unparsable timeLeft is read as none left', 'soon', 0],
      ['a missing timeLeft is read as none left', undefined, 0],
      ['a timeLeft past 2^31 ms is clamped, never handed to the clock', '3000000s', MAX_TIMER_MS],
    ];
    for (const [why, timeLeft, deadlineTimer] of rows) {
      it(`${why} (${timeLeft ?? 'missing'} → ${deadlineTimer} ms)`, () => {
        const w = connected(given());
        feed(w, { type: 'sendText', text: 'in flight' }, frame(1, { goAway: timeLeft === undefined ? {} : { timeLeft } }));
        assert.equal(w.state.phase.kind, 'handingOff');
        assert.equal(timer(w, 'deadline'), deadlineTimer);
        assert.deepEqual(opens(w), [[2, 'newSession', undefined]], 'the warm standby opens at once');
        assert.equal(ofType(w, 'close').length, 0, 'the turn in flight holds the old socket');
        feed(w, { type: 'timer', name: 'deadline' });
        assert.deepEqual(ofType(w, 'close'), [{ type: 'close', link: 1, code: 1000, reason: 'handoff' }], 'the deadline switches mid-turn');
      });
    }
  });

  describe('the turn boundary', () => {
    it('waits handleGraceMs for the handle covering the last turn, then switches without it', () => {
      const w = connected(given());
      feed(w, { type: 'sendText', text: 'q' }, frame(1, { goAway: { timeLeft: '30s' } }), opened(2));
      feed(w, frame(1, { serverContent: { turnComplete: true } }));
      assert.equal(timer(w, 'handleGrace'), 500);
      assert.equal(ofType(w, 'close').length, 0);
      feed(w, { type: 'timer', name: 'handleGrace' });
      assert.equal(ofType(w, 'close')[0]?.link, 1);
      assert.ok(ofType(w, 'send').some((e) => e.link === 2 && e.message.setup), 'setup on the standby');
    });

    it('switches as soon as the covering handle arrives, and resumes with it', () => {
      const w = connected(given());
      feed(w, { type: 'sendText', text: 'q' }, frame(1, { goAway: { timeLeft: '30s' } }), opened(2), frame(1, { serverContent: { turnComplete: true } }));
      feed(w, frame(1, { sessionResumptionUpdate: { newHandle: 'h1', resumable: true } }));
      assert.deepEqual(ofType(w, 'cancelTimer').some((e) => e.name === 'handleGrace'), true);
      assert.deepEqual(ofType(w, 'send').find((e) => e.link === 2)?.message.setup?.sessionResumption, { handle: 'h1' });
    });

    it("'frame' sends setup right behind the close frame; 'ack' waits for closeDone", () => {
      const f = answeredAndCovered(given());
      feed(f, { type: 'refresh', reason: 'refresh' }, opened(2));
      assert.deepEqual(
        f.effects.filter((e) => e.type === 'close' || e.type === 'send').map((e) => e.type),
        ['close', 'send'],
      );
      const a = answeredAndCovered(given({ options: { handoffCloseWait: 'ack' } }));
      feed(a, { type: 'refresh', reason: 'refresh' }, opened(2));
      assert.equal(ofType(a, 'close').length, 1);
      assert.equal(ofType(a, 'send').length, 0, 'no setup before the close is acknowledged');
      feed(a, { type: 'closeDone', link: 1 });
      assert.deepEqual(ofType(a, 'send')[0]?.message.setup?.sessionResumption, { handle: 'h1' });
    });

    it('a goAway between turnComplete(IN_PROGRESS) and IDLE waits for IDLE', () => {
      const w = connected(given({ model: 'gemini-3.8-live-extended-thinking' }));
      feed(w, { type: 'sendText', text: 'think' }, frame(1, { serverContent: { turnComplete: true, interactionStatus: 'IN_PROGRESS' as never } }));
      assert.deepEqual(events(w).filter((e) => e.type === 'thinking'), [{ type: 'thinking', turn: 1, inBackground: true }]);
      assert.equal(events(w).filter((e) => e.type === 'turnComplete').length, 0, 'IN_PROGRESS does not end the turn');
      feed(w, frame(1, { goAway: { timeLeft: '30s' } }), opened(2), frame(1, { sessionResumptionUpdate: { newHandle: 'h', resumable: true } }));
      assert.equal(ofType(w, 'close').length, 0, 'the turn is not over before IDLE');
      feed(w, frame(1, { serverContent: { outputTranscription: { text: 'more' } } }));
      assert.deepEqual(events(w).map((e) => e.type === 'text' && e.turn), [1], 'output after IN_PROGRESS belongs to the same turn');
      feed(w, frame(1, { serverContent: { interactionStatus: 'IDLE' as never } }));
      assert.deepEqual(events(w)[0], { type: 'turnComplete', turn: 1 });
    });

    it('pending tool calls hold the boundary on a BLOCKING model, not on a NON_BLOCKING one', () => {
      for (const [model, holds] of [
        ['gemini-live-2.5-flash-preview', true],
        ['gemini-3.8-live', false],
      ] as const) {
        const w = answeredAndCovered(given({ model }));
        feed(w, frame(1, { toolCall: { functionCalls: [{ id: 'c1', name: 'f', args: {} }] } }), frame(1, { serverContent: { turnComplete: true } }));
        feed(w, frame(1, { sessionResumptionUpdate: { newHandle: 'h2', resumable: true } }), { type: 'refresh', reason: 'refresh' }, opened(2));
        assert.equal(ofType(w, 'close').length, holds ? 0 : 1, model);
      }
    });

    it('a response goes only to the connection its call came on', () => {
      const w = connected(given({ model: 'gemini-3.8-live' }));
      feed(w, frame(1, { toolCall: { functionCalls: [{ id: 'c1', name: 'f', args: {} }] } }), frame(1, { serverContent: { turnComplete: true } }), frame(1, { sessionResumptionUpdate: { newHandle: 'h', resumable: true } }));
      feed(w, { type: 'refresh', reason: 'refresh' }, opened(2));
      assert.equal(ofType(w, 'close')[0]?.link, 1, 'NON_BLOCKING: the pending call does not hold the switch');
      feed(w, setupComplete(2));
      feed(w, { type: 'toolResponse', responses: [{ id: 'c1', name: 'f', response: { ok: 1 } }, { id: 'unknown', name: 'g', response: {} }] });
      const sends = ofType(w, 'send');
      assert.deepEqual(sends.map((e) => e.link), [2, 2]);
      assert.deepEqual(sends[0]!.message.toolResponse?.functionResponses?.map((r) => r.id), ['unknown'], 'never a call id the new connection did not see');
      // The background call's result still reaches the model: as content the model answers.
      assert.deepEqual(sends[1]!.message.clientContent, { turns: [{ role: 'user', parts: [{ text: 'Results of tools you called before the connection changed: f: {"ok":1}' }] }], turnComplete: true });
      assert.equal(w.state.turn.toolReplies, 1, 'and its spoken reply is waited for like one');
      assert.equal(w.state.pendingCalls.size, 0);
    });

    it('a background result from an earlier connection while a turn is in flight joins the context without cutting that answer', () => {
      const w = connected(given({ model: 'gemini-3.8-live' }));
      feed(w, frame(1, { toolCall: { functionCalls: [{ id: 'c1', name: 'f', args: {} }] } }), frame(1, { serverContent: { turnComplete: true } }), frame(1, { sessionResumptionUpdate: { newHandle: 'h', resumable: true } }));
      feed(w, { type: 'refresh', reason: 'refresh' }, opened(2), setupComplete(2), { type: 'sendText', text: 'meanwhile' });
      feed(w, { type: 'toolResponse', responses: [{ id: 'c1', name: 'f', response: { ok: 1 } }] });
      assert.equal(ofType(w, 'send')[0]!.message.clientContent?.turnComplete, false);
      assert.equal(w.state.turn.toolReplies, 0);
    });

    it('3.8, a background call pending at a goAway holds the switch until the deadline timer, not forever', () => {
      const w = connected(given({ model: 'gemini-3.8-live' }));
      feed(w, frame(1, { toolCall: { functionCalls: [{ id: 'c1', name: 'f', args: {} }] } }), frame(1, { serverContent: { turnComplete: true } }), frame(1, { sessionResumptionUpdate: { newHandle: 'h', resumable: true } }));
      feed(w, frame(1, { goAway: { timeLeft: '10s' } }), opened(2));
      assert.equal(ofType(w, 'close').length, 0, 'held while its answer can still go on this connection');
      feed(w, { type: 'timer', name: 'deadline' });
      assert.equal(ofType(w, 'close')[0]?.link, 1, 'the deadline switches anyway');
    });

    it('a call declared BLOCKING on 3.8 holds the switch until its answer, which goes on its own connection', () => {
      const tools = [{ functionDeclarations: [{ name: 'f', behavior: 'BLOCKING' as never }] }];
      const w = connected(given({ model: 'gemini-3.8-live', options: { setup: { model: 'gemini-3.8-live', responseModality: 'TEXT', tools } } }));
      feed(w, frame(1, { toolCall: { functionCalls: [{ id: 'c1', name: 'f', args: {} }] } }), frame(1, { serverContent: { turnComplete: true } }), frame(1, { sessionResumptionUpdate: { newHandle: 'h', resumable: true } }));
      feed(w, { type: 'refresh', reason: 'refresh' }, opened(2));
      assert.equal(ofType(w, 'close').length, 0, 'the blocking call holds the switch');
      feed(w, { type: 'toolResponse', responses: [{ id: 'c1', name: 'f', response: {} }] });
      assert.deepEqual(ofType(w, 'send')[0]?.link, 1, 'answered on the connection it came on');
      assert.equal(ofType(w, 'close')[0]?.link, 1, 'then the switch');
    });

    it('a willContinue response keeps the call pending; the final one clears it', () => {
      const w = connected(given());
      feed(w, frame(1, { toolCall: { functionCalls: [{ id: 'c1', name: 'f', args: {} }] } }));
      feed(w, { type: 'toolResponse', responses: [{ id: 'c1', name: 'f', response: { partial: 1 }, willContinue: true, scheduling: 'WHEN_IDLE' as never }] });
      assert.equal(w.state.pendingCalls.size, 1);
      assert.equal(ofType(w, 'send')[0]?.message.toolResponse?.functionResponses?.[0]?.willContinue, true);
      feed(w, { type: 'toolResponse', responses: [{ id: 'c1', name: 'f', response: { done: 1 } }] });
      assert.equal(w.state.pendingCalls.size, 0);
    });
  });

  describe('closes before setupComplete', () => {
    function handoffSetupOut(o: Parameters<typeof given>[0] = {}): World {
      const w = answeredAndCovered(given(o));
      return feed(w, { type: 'refresh', reason: 'refresh' }, opened(2));
    }

    it('1011 on a resume racing our close frame: retry once the old socket has closed', () => {
      const w = handoffSetupOut();
      feed(w, { type: 'linkClosed', link: 2, info: { code: 1011, reason: 'still in use' } });
      assert.equal(ofType(w, 'open').length, 0, 'not before the close completes');
      assert.equal(events(w).filter((e) => e.type === 'reconnecting').length, 0, 'not a drop');
      feed(w, { type: 'closeDone', link: 1 });
      assert.deepEqual(opens(w), [[3, 'resume', undefined]]);
    });

    it('1011 on a resume after the old close completed: retry at once', () => {
      const w = handoffSetupOut();
      feed(w, { type: 'closeDone', link: 1 }, { type: 'linkClosed', link: 2, info: { code: 1011, reason: 'still in use' } });
      assert.equal(ofType(w, 'open').length, 1);
    });

    it('1011 outside a handoff: reconnect with backoff', () => {
      const w = feed(given(), { type: 'connect' }, opened(1), { type: 'linkClosed', link: 1, info: { code: 1011, reason: 'internal' } });
      assert.equal(w.state.phase.kind, 'reconnecting');
      assert.equal(timer(w, 'reconnect'), 250);
    });

    it('1007 on a resume: drop the handle and start a fresh session', () => {
      const w = handoffSetupOut();
      feed(w, { type: 'linkClosed', link: 2, info: { code: 1007, reason: 'stale handle' } });
      assert.deepEqual(events(w).slice(0, 2), [
        { type: 'resumeFailed', reason: 'stale handle' },
        { type: 'disconnected', code: 1007, reason: 'stale handle', willReconnect: true },
      ]);
      assert.equal(w.state.ledger.handle, undefined);
      assert.deepEqual(opens(w), [[3, 'newSession', undefined]]);
      assert.equal(w.state.stats.resumeFailures, 1);
    });

    it('1007 on a fresh setup: fail with badSetup, no retry', () => {
      const w = feed(feed(given(), { type: 'connect' }, opened(1)), { type: 'linkClosed', link: 1, info: { code: 1007, reason: 'invalid' } });
      assert.equal(failure(w).reason, 'badSetup');
      assert.equal(ofType(w, 'open').length, 0);
    });

    it('1008 once (token): replace the credential and retry; twice: fail tokenRefused', () => {
      const w = feed(feed(given({ mode: 'token' }), { type: 'connect' }, opened(1)), { type: 'linkClosed', link: 1, info: { code: 1008, reason: 'token expired' } });
      assert.deepEqual(opens(w), [[2, 'newSession', 1]]);
      feed(feed(w, opened(2)), { type: 'linkClosed', link: 2, info: { code: 1008, reason: 'still refused' } });
      assert.equal(failure(w).reason, 'tokenRefused');
      assert.equal(ofType(w, 'open').length, 0, 'never a third attempt');
    });

    it('1008 with an API key: the key cannot be replaced, fail badKey', () => {
      const w = feed(given(), { type: 'connect' }, opened(1), { type: 'linkClosed', link: 1, info: { code: 1008, reason: 'API key not valid' } });
      feed(w, { type: 'openFailed', link: 2, stage: 'replace', error: new Error('no fresh credential') });
      assert.equal(failure(w).reason, 'badKey');
      assert.match(failure(w).message, /1008: API key not valid/);
    });

    it('1008 "model not found" is a model error: fail at once, no credential churn, naming the replacement', () => {
      const reason = 'models/gemini-2.0-flash-live-001 is not found for API version v1beta, or is not supported for bidiGenerateContent. Call ListModels';
      const w = feed(feed(given({ model: 'models/gemini-2.0-flash-live-001', mode: 'token' }), { type: 'connect' }, opened(1)), { type: 'linkClosed', link: 1, info: { code: 1008, reason } });
      const error = failure(w);
      assert.equal(error.reason, 'modelNotFound');
      assert.equal(error.details.model, 'gemini-2.0-flash-live-001');
      assert.match(error.message, /gemini-2\.0-flash-live-001.*shut down.*gemini-3\.8-live/);
      assert.equal(ofType(w, 'open').length, 0);
      assert.equal(events(w).filter((e) => e.type === 'reconnecting').length, 0);
    });

    const quotaRows: Array<[string, Input]> = [
      ['1011 RESOURCE_EXHAUSTED', { type: 'linkClosed', link: 1, info: { code: 1011, reason: 'RESOURCE_EXHAUSTED: try later' } }],
      ['1008 quota', { type: 'linkClosed', link: 1, info: { code: 1008, reason: 'You exceeded your current quota' } }],
    ];
    for (const [why, input] of quotaRows) {
      it(`${why} before setupComplete: fail with quota, no retry loop`, () => {
        const w = feed(feed(given({ mode: 'token' }), { type: 'connect' }, opened(1)), input);
        assert.equal(failure(w).reason, 'quota');
        assert.equal(ofType(w, 'open').length, 0);
      });
    }

    it('HTTP 429 from the upgrade: fail with quota', () => {
      const w = feed(given(), { type: 'connect' }, { type: 'openFailed', link: 1, stage: 'open', error: new MoonTalkError('network', 'HTTP 429', { code: 429 }) });
      assert.equal(failure(w).reason, 'quota');
    });

    it('a quota close of a live connection fails instead of reconnecting', () => {
      const w = connected(given());
      feed(w, { type: 'linkClosed', link: 1, info: { code: 1011, reason: 'RESOURCE_EXHAUSTED' } });
      assert.equal(failure(w).reason, 'quota');
    });
  });

  describe('backoff', () => {
    it('exhausted: disconnected without reconnect, then gaveUp', () => {
      const w = given({ options: { backoff: { baseMs: 100, capMs: 100, maxAttempts: 1 } } });
      feed(w, { type: 'connect' }, { type: 'openFailed', link: 1, stage: 'open', error: new Error('ECONNREFUSED') }, { type: 'timer', name: 'reconnect' });
      feed(w, { type: 'openFailed', link: 2, stage: 'open', error: new Error('ECONNREFUSED') });
      assert.deepEqual(events(w)[0], { type: 'disconnected', code: 1006, reason: 'ECONNREFUSED', willReconnect: false });
      assert.equal(failure(w).reason, 'gaveUp');
      assert.ok(ofType(w, 'settleConnect')[0]?.error);
    });

    it('a connection up for minUptimeMs resets the attempt count', () => {
      const w = given();
      feed(w, { type: 'connect' }, { type: 'openFailed', link: 1, stage: 'open', error: new Error('x') }, { type: 'timer', name: 'reconnect' }, opened(2), setupComplete(2));
      assert.equal(w.state.backoff.attempt, 1);
      assert.equal(timer(w, 'uptime'), 10_000);
      feed(w, { type: 'timer', name: 'uptime' });
      assert.equal(w.state.backoff.attempt, 0);
    });
  });

  describe('close() from every state cancels every timer', () => {
    const states: Array<[string, () => World, LinkId[]]> = [
      ['idle', () => given(), []],
      ['connecting (opening)', () => feed(given(), { type: 'connect' }), []],
      ['connecting (setup out)', () => feed(given(), { type: 'connect' }, opened(1)), [1]],
      ['connected', () => connected(given()), [1]],
      ['handingOff', () => feed(connected(given()), { type: 'sendText', text: 'q' }, frame(1, { goAway: { timeLeft: '10s' } }), opened(2)), [1]],
      ['reconnecting', () => feed(connected(given()), { type: 'linkClosed', link: 1, info: { code: 1006, reason: 'x' } }), []],
      ['failed', () => feed(given(), { type: 'connect' }, opened(1), { type: 'linkClosed', link: 1, info: { code: 1007, reason: 'x' } }), []],
    ];
    for (const [name, make, closes] of states) {
      it(`from ${name}`, () => {
        const w = feed(make(), { type: 'close' });
        assert.deepEqual(ofType(w, 'cancelTimer').map((e) => e.name).sort(), [...TIMER_NAMES].sort());
        assert.deepEqual(ofType(w, 'close').map((e) => e.link), closes);
        assert.equal(w.state.phase.kind, 'closed');
        if (name === 'handingOff') assert.deepEqual(ofType(w, 'dispose').map((e) => e.link), [2], 'the ready standby is not leaked');
        for (const link of closes) feed(w, { type: 'closeDone', link });
        assert.equal(events(w).at(-1)?.type, 'closed', 'closed once every close completed');
      });
    }
  });

  describe('frames', () => {
    it('handles every part of one event: audio and text together', () => {
      const w = connected(given({ model: 'gemini-3.8-live' }));
      feed(w, { type: 'sendText', text: 'q' }, frame(1, { serverContent: { modelTurn: { parts: [{ inlineData: { mimeType: 'audio/pcm;rate=24000', data: 'AAAA' } }, { text: 'hi' }] } } }));
      assert.deepEqual(
        events(w).filter((e) => e.type === 'audio' || e.type === 'text').map((e) => e.type),
        ['audio', 'text'],
      );
    });

    it('a standalone usageMetadata before any turn is reported with turn 0 and opens no turn', () => {
      const w = connected(given());
      feed(w, frame(1, { usageMetadata: { totalTokenCount: 42 } }));
      assert.deepEqual(events(w).map((e) => e.type === 'usage' && [e.turn, e.totalTokenCount]), [[0, 42]]);
      assert.equal(w.state.ledger.lastTurnNumber, 0);
    });

    it('turnCompleteReason goes into the turnComplete event; waitingForInput is its own event', () => {
      const w = connected(given());
      feed(w, { type: 'sendText', text: 'q' }, frame(1, { serverContent: { waitingForInput: true, turnComplete: true, turnCompleteReason: 'NEED_MORE_INPUT' as never } }));
      assert.deepEqual(events(w).slice(-2), [
        { type: 'waitingForInput', turn: 1 },
        { type: 'turnComplete', turn: 1, reason: 'NEED_MORE_INPUT' },
      ]);
    });

    it('groundingMetadata (Google Search) becomes a grounding event for the turn, with only web links', () => {
      const w = connected(given());
      const groundingMetadata = {
        webSearchQueries: ['moons of jupiter'],
        groundingChunks: [{ web: { uri: 'https://example.org/moons', title: 'example.org' } }, { web: { uri: 'javascript:alert(1)', title: 'x' } }, { retrievedContext: {} }],
      };
      feed(w, { type: 'sendText', text: 'q' }, frame(1, { serverContent: { groundingMetadata: groundingMetadata as never, modelTurn: { parts: [{ text: 'Four large ones.' }] } } }));
      assert.deepEqual(events(w).filter((e) => e.type === 'grounding'), [{ type: 'grounding', turn: 1, sources: [{ uri: 'https://example.org/moons', title: 'example.org' }], queries: ['moons of jupiter'] }]);
      assert.ok(events(w).some((e) => e.type === 'text' && e.text === 'Four large ones.'), 'the text of the same frame still arrives');
    });

    it('frames from a socket the session has left do nothing', () => {
      const w = connected(given());
      feed(w, { type: 'linkClosed', link: 1, info: { code: 1006, reason: 'x' } }, frame(1, { serverContent: { modelTurn: { parts: [{ text: 'late' }] } } }));
      assert.equal(events(w).filter((e) => e.type === 'text').length, 0);
    });

    it('an exception while handling becomes a fatal error and a failed state', () => {
      const w = connected(given());
      feed(w, { type: 'crashed', error: new Error('listener blew up') });
      const error = failure(w);
      assert.match(error.message, /listener blew up/);
      assert.ok(events(w).some((e) => e.type === 'error' && e.fatal));
      assert.deepEqual(ofType(w, 'dispose').map((e) => e.link), [1]);
    });
  });

  describe("the driver's fast path for plain output (plainOutput, appendOutput, outputEvents)", () => {
    const audio = { inlineData: { mimeType: 'audio/pcm;rate=24000', data: 'AAAA' } };
    const out = (serverContent: NonNullable<ServerFrame['serverContent']>, extra: Partial<ServerFrame> = {}): ServerFrame => ({ serverContent, ...extra });
    /** A turn in flight whose answer has begun (the first frame of an answer always goes through the transition). */
    function answering(model = 'gemini-3.8-live'): World {
      const w = connected(given({ model }));
      return feed(w, { type: 'sendText', text: 'q' }, frame(1, out({ modelTurn: { parts: [{ text: 'a' }] } })));
    }
    const plain: Array<[string, ServerFrame]> = [
      ['one text part', out({ modelTurn: { parts: [{ text: 'hello' }] } })],
      ['one audio part', out({ modelTurn: { parts: [audio] } })],
      ['an output transcription alone', out({ outputTranscription: { text: 'spoken words' } })],
      ['audio parts and a transcription in one event (3.x models)', out({ modelTurn: { parts: [audio, audio] }, outputTranscription: { text: 'both' } })],
      ['text and audio parts mixed', out({ modelTurn: { parts: [audio, { text: 'x' }, audio, { text: 'y' }] } })],
      ['an audio part without a mime type', out({ modelTurn: { parts: [{ inlineData: { data: 'BBBB' } }] } })],
      ['an empty transcription', out({ outputTranscription: {} })],
    ];
    for (const [name, f] of plain) {
      it(`${name}: the same state text and the same events as the transition, and nothing else`, () => {
        const w = answering();
        assert.equal(plainOutput(w.state, 1, f), true);
        const fast = appendOutput(w.state, f);
        const fastEvents: SessionEvent[] = [];
        outputEvents(fast, f, (e) => fastEvents.push(e));
        const step = transition(w.state, frame(1, f), ctx(w));
        assert.equal(fast.streamed, step.state.streamed);
        assert.deepEqual(fastEvents, step.effects.map((e) => (e.type === 'emit' ? e.event : e)));
        assert.equal(fast.ledger, w.state.ledger, 'the fast path leaves the ledger as it was');
      });
    }
    const notPlain: Array<[string, ServerFrame]> = [
      ['a thought part', out({ modelTurn: { parts: [{ text: 'hmm', thought: true }] } })],
      ['an empty text part', out({ modelTurn: { parts: [{ text: '' }] } })],
      ['an input transcription', out({ inputTranscription: { text: 'you said' } })],
      ['generationComplete', out({ generationComplete: true })],
      ['turnComplete', out({ turnComplete: true, modelTurn: { parts: [{ text: 'last' }] } })],
      ['interrupted', out({ interrupted: true })],
      ['an interactionStatus', out({ interactionStatus: 'IDLE' as never })],
      ['usage beside text', out({ modelTurn: { parts: [{ text: 'x' }] } }, { usageMetadata: { totalTokenCount: 3 } })],
      ['a tool call beside text', out({ modelTurn: { parts: [{ text: 'x' }] } }, { toolCall: { functionCalls: [{ id: 'c1', name: 'f' }] } })],
      ['a goAway beside audio', out({ modelTurn: { parts: [audio] } }, { goAway: { timeLeft: '5s' } })],
      ['a resumption update beside text', out({ modelTurn: { parts: [{ text: 'x' }] } }, { sessionResumptionUpdate: { newHandle: 'h', resumable: true } })],
    ];
    for (const [name, f] of notPlain) {
      it(`${name}: left to the transition`, () => {
        assert.equal(plainOutput(answering().state, 1, f), false);
      });
    }
    it('only on the live link, once the answer has begun, with a turn in flight and no stray turnComplete pending', () => {
      const f = out({ modelTurn: { parts: [audio] } });
      assert.equal(plainOutput(answering().state, 2, f), false, 'another link');
      const before = connected(given({ model: 'gemini-3.8-live' }));
      assert.equal(plainOutput(before.state, 1, f), false, 'nothing in flight');
      feed(before, { type: 'sendText', text: 'q' });
      assert.equal(plainOutput(before.state, 1, f), false, 'the first frame of an answer marks it heard');
      const interrupted = feed(answering(), frame(1, out({ interrupted: true })));
      assert.equal(plainOutput(interrupted.state, 1, f), false, 'a stray turnComplete may follow');
    });
  });

  describe('spoken tool results (NON_BLOCKING calls)', () => {
    /** Connected on `model`, turn 1 asked for a tool and completed while the call runs. */
    function callOutstanding(model: string): World {
      const w = connected(given({ model }));
      return feed(w, { type: 'sendText', text: 'check the build' }, frame(1, { toolCall: { functionCalls: [{ id: 'c1', name: 'build' }] } }), frame(1, { serverContent: { turnComplete: true } }));
    }
    const userTurnsSent = (w: World) => ofType(w, 'send').filter((e) => e.message.clientContent || e.message.realtimeInput?.text).length;

    it('3.8, WHEN_IDLE (the default): the next user turn waits for the model’s own turn about the result', () => {
      const w = callOutstanding('gemini-3.8-live');
      feed(w, { type: 'toolResponse', responses: [{ id: 'c1', name: 'build', response: { ok: true } }] }, { type: 'sendText', text: 'and now?' });
      assert.equal(userTurnsSent(w), 0, 'held behind the spoken result');
      assert.ok(timer(w, 'toolReply'), 'the wait is bounded');
      feed(w, frame(1, { serverContent: { modelTurn: { parts: [{ text: 'The build is green.' }] } } }), frame(1, { serverContent: { turnComplete: true } }));
      assert.deepEqual(events(w).filter((e) => e.type === 'turnComplete').map((e) => e.type === 'turnComplete' && e.turn), [3], 'the result is a turn of its own');
      assert.equal(userTurnsSent(w), 1, 'then the question goes');
      assert.ok(ofType(w, 'cancelTimer').some((e) => e.name === 'toolReply'));
    });

    it('3.8, SILENT: the result only joins the context; the next turn goes at once', () => {
      const w = callOutstanding('gemini-3.8-live');
      feed(w, { type: 'toolResponse', responses: [{ id: 'c1', name: 'build', response: { ok: true }, scheduling: 'SILENT' as never }] }, { type: 'sendText', text: 'and now?' });
      assert.equal(userTurnsSent(w), 1);
    });

    it('3.8, willContinue: a progress report holds nothing and keeps the call pending', () => {
      const w = callOutstanding('gemini-3.8-live');
      feed(w, { type: 'toolResponse', responses: [{ id: 'c1', name: 'build', response: { progress: 50 }, willContinue: true }] }, { type: 'sendText', text: 'and now?' });
      assert.equal(userTurnsSent(w), 1);
      assert.deepEqual([...w.state.pendingCalls.keys()], ['c1']);
    });

    it('3.1 (calls block the turn): a response never holds user turns', () => {
      const w = connected(given({ model: 'gemini-3.1-flash-live-preview' }));
      feed(w, { type: 'sendText', text: 'check the build' }, frame(1, { toolCall: { functionCalls: [{ id: 'c1', name: 'build' }] } }), { type: 'toolResponse', responses: [{ id: 'c1', name: 'build', response: { ok: true } }] });
      assert.equal(w.state.turn.toolReplies, 0);
      assert.equal(timer(w, 'toolReply'), undefined);
    });

    it('a result that never comes stops holding when its timer fires', () => {
      const w = callOutstanding('gemini-3.8-live');
      feed(w, { type: 'toolResponse', responses: [{ id: 'c1', name: 'build', response: { ok: true } }] }, { type: 'sendText', text: 'and now?' });
      feed(w, { type: 'timer', name: 'toolReply' });
      assert.equal(userTurnsSent(w), 1);
      assert.equal(w.state.turn.toolReplies, 0);
    });
  });

  describe('per-model forms', () => {
    it('3.1: typed text goes as realtimeInput.text', () => {
      const w = connected(given({ model: 'gemini-3.1-flash-live-preview' }));
      feed(w, { type: 'sendText', text: 'hello' });
      assert.deepEqual(ofType(w, 'send').map((e) => e.message), [{ realtimeInput: { text: 'hello' } }]);
    });

    it('3.1 fresh session after a refused handle: historyConfig in setup, history first, then buffered audio', () => {
      const w = answeredAndCovered(given({ model: 'gemini-3.1-flash-live-preview' }));
      feed(w, { type: 'linkClosed', link: 1, info: { code: 1006, reason: 'x' } }, { type: 'sendRealtime', message: { realtimeInput: { audio: { data: 'AU', mimeType: 'audio/pcm;rate=16000' } } }, bytes: 2 });
      feed(w, { type: 'timer', name: 'reconnect' }, opened(2), { type: 'linkClosed', link: 2, info: { code: 1007, reason: 'stale' } }, opened(3));
      const setup = ofType(w, 'send').find((e) => e.link === 3)!.message.setup!;
      assert.deepEqual(setup.historyConfig, { initialHistoryInClientContent: true });
      feed(w, setupComplete(3));
      const sent = ofType(w, 'send').map((e) => Object.keys(e.message)[0]);
      assert.deepEqual(sent, ['clientContent', 'realtimeInput']);
      assert.equal(ofType(w, 'send')[0]!.message.clientContent!.turnComplete, false);
    });

    it('transcribe (takes no clientContent) fresh session after a refused handle: no historyConfig, no history, only the buffered audio', () => {
      const w = answeredAndCovered(given({ model: 'gemini-3.5-transcribe-live' }));
      feed(w, { type: 'linkClosed', link: 1, info: { code: 1006, reason: 'x' } }, { type: 'sendRealtime', message: { realtimeInput: { audio: { data: 'AU', mimeType: 'audio/pcm;rate=16000' } } }, bytes: 2 });
      feed(w, { type: 'timer', name: 'reconnect' }, opened(2), { type: 'linkClosed', link: 2, info: { code: 1007, reason: 'stale' } }, opened(3));
      const setup = ofType(w, 'send').find((e) => e.link === 3)!.message.setup!;
      assert.equal(setup.historyConfig, undefined);
      feed(w, setupComplete(3));
      assert.deepEqual(ofType(w, 'send').map((e) => Object.keys(e.message)[0]), ['realtimeInput']);
    });

    it('3.1 resume with a handle: nothing seeded, the cut-off turn resent as realtimeInput.text', () => {
      const w = answeredAndCovered(given({ model: 'gemini-3.1-flash-live-preview' }));
      feed(w, { type: 'sendText', text: 'q2' }, { type: 'linkClosed', link: 1, info: { code: 1006, reason: 'x' } }, { type: 'timer', name: 'reconnect' }, opened(2));
      assert.equal(ofType(w, 'send').find((e) => e.link === 2)!.message.setup!.historyConfig, undefined);
      feed(w, setupComplete(2));
      assert.deepEqual(ofType(w, 'send').map((e) => e.message), [{ realtimeInput: { text: 'q2' } }]);
    });

    it('stats are a pure read: an expired handle is reported, not dropped', () => {
      const w = answeredAndCovered(given({ options: { handleLifetimeMs: 1_000 } }));
      feed(w, { type: 'close' }, { type: 'closeDone', link: 1 });
      w.now += 5_000;
      const before = JSON.stringify(summary(w.state));
      assert.equal(sessionStats(w.state, w.options, w.now).hasValidResumptionData, false);
      assert.equal(sessionStats(w.state, w.options, w.now).resumeFailures, 0);
      assert.equal(JSON.stringify(summary(w.state)), before);
      assert.equal(w.state.ledger.handle, 'h1', 'dropped only when a connection is attempted');
      feed(w, { type: 'connect' });
      assert.equal(w.state.ledger.handle, undefined);
      assert.deepEqual(events(w)[0], { type: 'resumeFailed', reason: 'expired: the handle is older than its lifetime' });
    });
  });
});
