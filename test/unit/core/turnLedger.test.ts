import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Content } from '../../../src/core/messages';
import { DEFAULT_LEDGER_LIMITS, TurnLedger, type LedgerLimits } from '../../../src/core/turnLedger';

const GENEROUS: LedgerLimits = { maxQueuedTurns: 10_000, maxContextTurns: 10_000, maxContextChars: 10_000_000 };

function text(c: Content): string {
  return (c.parts ?? []).map((p) => p.text ?? '').join('');
}

/** Sends and completes the next queued turn with `answer`. */
function answerNext(ledger: TurnLedger, answer: string): number {
  const t = ledger.nextToSend();
  assert.ok(t, 'a turn to send');
  ledger.markSent(t);
  ledger.appendAnswer(t, answer);
  const done = ledger.complete();
  assert.equal(done, t);
  return t.turn;
}

describe('TurnLedger', () => {
  describe('coverage', () => {
    it('a handle that arrives after turn k completes covers turns 1..k', () => {
      const ledger = new TurnLedger();
      for (const s of ['one', 'two', 'three']) ledger.enqueue(s);
      answerNext(ledger, 'A1');
      answerNext(ledger, 'A2');
      assert.equal(ledger.recordHandle('h2'), 2);
      assert.equal(ledger.handle, 'h2');
      assert.equal(ledger.coveredThrough, 2);
    });

    it('a handle that arrives while turn k+1 is in flight still covers only 1..k', () => {
      const ledger = new TurnLedger();
      ledger.enqueue('one');
      ledger.enqueue('two');
      answerNext(ledger, 'A1');
      ledger.markSent(ledger.nextToSend()!);
      assert.equal(ledger.recordHandle('h-mid'), 1);
    });

    it('coverage never goes backwards, and dropHandle forgets handle and coverage', () => {
      const ledger = new TurnLedger();
      ledger.enqueue('one');
      answerNext(ledger, 'A1');
      ledger.recordHandle('h1');
      ledger.enqueue('two');
      ledger.markSent(ledger.nextToSend()!);
      assert.equal(ledger.recordHandle('h1b'), 1);
      ledger.dropHandle();
      assert.equal(ledger.handle, undefined);
      assert.equal(ledger.coveredThrough, 0);
    });

    it('turns go one at a time: nothing is sendable while a turn is in flight', () => {
      const ledger = new TurnLedger();
      const a = ledger.enqueue('a')!;
      ledger.enqueue('b');
      ledger.markSent(ledger.nextToSend()!);
      assert.equal(ledger.inFlight(), a);
      assert.equal(ledger.nextToSend(), undefined);
      ledger.complete();
      assert.equal(ledger.nextToSend()?.userText, 'b');
    });

    it('output with nothing in flight opens an audio turn with the next number', () => {
      const ledger = new TurnLedger();
      ledger.enqueue('typed');
      answerNext(ledger, 'x');
      const audio = ledger.turnForOutput();
      assert.equal(audio.turn, 2);
      assert.equal(audio.origin, 'audio');
      assert.equal(ledger.turnForOutput(), audio, 'more output goes to the same turn');
      ledger.appendUserTranscript(audio, 'spoken');
      assert.equal(audio.userText, 'spoken');
    });
  });

  describe('planReconnect', () => {
    function conversation() {
      const ledger = new TurnLedger();
      for (const s of ['q1', 'q2', 'q3']) ledger.enqueue(s);
      answerNext(ledger, 'a1');
      ledger.recordHandle('h1');
      answerNext(ledger, 'a2');
      const cut = ledger.nextToSend()!;
      ledger.markSent(cut);
      ledger.appendAnswer(cut, 'partial a3');
      return { ledger, cut };
    }

    it('with a handle: context is the answered turns it does not cover; the cut-off text turn is requeued and listed as restarted', () => {
      const { ledger, cut } = conversation();
      const plan = ledger.planReconnect(true);
      assert.deepEqual(plan.context, [
        { role: 'user', parts: [{ text: 'q2' }] },
        { role: 'model', parts: [{ text: 'a2' }] },
      ]);
      assert.deepEqual(plan.restarted.map((t) => t.turn), [3]);
      assert.equal(cut.status, 'queued');
      assert.equal(cut.answer, '', 'the partial answer is discarded');
      assert.equal(ledger.nextToSend(), cut);
      assert.equal(ledger.coveredThrough, 1);
    });

    it('without a handle: every answered turn is context, and coverage resets', () => {
      const { ledger } = conversation();
      const plan = ledger.planReconnect(false);
      assert.deepEqual(plan.context.map(text), ['q1', 'a1', 'q2', 'a2']);
      assert.deepEqual(plan.context.map((c) => c.role), ['user', 'model', 'user', 'model']);
      assert.deepEqual(plan.restarted.map((t) => t.turn), [3]);
      assert.equal(ledger.coveredThrough, 0);
    });

    it('a cut-off audio turn becomes context (it cannot be spoken again) and is not restarted', () => {
      const ledger = new TurnLedger();
      const audio = ledger.turnForOutput();
      ledger.appendUserTranscript(audio, 'what is the time');
      ledger.appendAnswer(audio, 'it is no');
      const plan = ledger.planReconnect(true);
      assert.deepEqual(plan.restarted, []);
      assert.equal(audio.status, 'complete');
      assert.deepEqual(plan.context.map(text), ['what is the time', 'it is no']);
    });

    it('a second reconnect with nothing new sends the same uncovered context again (the new server lacks it too)', () => {
      const { ledger } = conversation();
      const first = ledger.planReconnect(true);
      const second = ledger.planReconnect(true);
      assert.deepEqual(second.context, first.context);
      assert.deepEqual(second.restarted, [], 'the requeued turn is not restarted twice before it is sent');
    });

    it('keeps the newest context within maxContextChars, in chronological order', () => {
      const ledger = new TurnLedger({ ...DEFAULT_LEDGER_LIMITS, maxContextChars: 10 });
      for (const s of ['aaaa', 'bbbb', 'cccc']) ledger.enqueue(s);
      for (const a of ['AAAA', 'BBBB', 'CCCC']) answerNext(ledger, a);
      const plan = ledger.planReconnect(false);
      assert.deepEqual(plan.context.map(text), ['cccc', 'CCCC']);
    });

    it('always keeps the newest answered turn even if it alone exceeds the budget', () => {
      const ledger = new TurnLedger({ ...DEFAULT_LEDGER_LIMITS, maxContextChars: 3 });
      ledger.enqueue('long question');
      answerNext(ledger, 'long answer');
      assert.deepEqual(ledger.planReconnect(false).context.map(text), ['long question', 'long answer']);
    });
  });

  describe('limits', () => {
    it('refuses turns beyond maxQueuedTurns instead of dropping any', () => {
      const ledger = new TurnLedger({ ...DEFAULT_LEDGER_LIMITS, maxQueuedTurns: 3 });
      assert.ok(ledger.enqueue('1') && ledger.enqueue('2') && ledger.enqueue('3'));
      assert.equal(ledger.enqueue('4'), undefined);
      assert.equal(ledger.queuedCount, 3);
      assert.equal(ledger.lastTurnNumber, 3, 'the refused turn took no number');
      ledger.markSent(ledger.nextToSend()!);
      assert.equal(ledger.enqueue('4')?.turn, 4, 'sending one frees a place');
    });

    it('trim keeps memory bounded when handles keep covering the answered turns', () => {
      const ledger = new TurnLedger({ ...DEFAULT_LEDGER_LIMITS, maxContextTurns: 5 });
      for (let i = 1; i <= 200; i++) {
        ledger.enqueue(`q${i}`);
        answerNext(ledger, `a${i}`);
        ledger.recordHandle(`h${i}`);
      }
      const kept = ledger.snapshot().turns;
      assert.ok(kept.length <= 5, `kept ${kept.length} turns`);
      assert.deepEqual(kept.map((t) => t.turn), [196, 197, 198, 199, 200]);
      assert.equal(ledger.lastTurnNumber, 200, 'numbering goes on');
    });

    it('trim keeps memory bounded without resumption (no handle): the newest turns stay', () => {
      const ledger = new TurnLedger({ ...DEFAULT_LEDGER_LIMITS, maxContextTurns: 4 });
      for (let i = 1; i <= 50; i++) {
        ledger.enqueue(`q${i}`);
        answerNext(ledger, `a${i}`);
      }
      assert.deepEqual(ledger.snapshot().turns.map((t) => t.turn), [47, 48, 49, 50]);
      assert.deepEqual(ledger.planReconnect(false).context.map(text).slice(0, 2), ['q47', 'a47']);
    });

    it('trim never forgets answered turns the handle does not cover while they fit the limit', () => {
      const ledger = new TurnLedger({ ...DEFAULT_LEDGER_LIMITS, maxContextTurns: 3 });
      for (let i = 1; i <= 3; i++) {
        ledger.enqueue(`q${i}`);
        answerNext(ledger, `a${i}`);
      }
      ledger.recordHandle('h3');
      for (let i = 4; i <= 6; i++) {
        ledger.enqueue(`q${i}`);
        answerNext(ledger, `a${i}`);
      }
      // Turns 4..6 are not covered: they are what a resume with h3 must resend.
      assert.deepEqual(ledger.planReconnect(true).context.map(text), ['q4', 'a4', 'q5', 'a5', 'q6', 'a6']);
    });

    it('trim keeps memory bounded even when the handle stops covering new turns', () => {
      const ledger = new TurnLedger({ ...DEFAULT_LEDGER_LIMITS, maxContextTurns: 5 });
      ledger.enqueue('q0');
      answerNext(ledger, 'a0');
      ledger.recordHandle('h-old');
      for (let i = 1; i <= 500; i++) {
        ledger.enqueue(`q${i}`);
        answerNext(ledger, `a${i}`);
      }
      assert.ok(ledger.snapshot().turns.length <= 5 + 1, `kept ${ledger.snapshot().turns.length} turns`);
    });
  });

  it('a handle covers an audio turn answered while an earlier typed turn waited in the queue', () => {
    const ledger = new TurnLedger();
    ledger.enqueue('q1');
    answerNext(ledger, 'a1');
    ledger.recordHandle('h1');
    ledger.enqueue('typed during the handoff'); // turn 2: queued, not sent (the session holds turns while handing off)
    const spoken = ledger.turnForOutput(); // turn 3: the server answers earlier speech
    ledger.appendUserTranscript(spoken, 'spoken question');
    ledger.appendAnswer(spoken, 'spoken answer');
    ledger.complete();
    ledger.recordHandle('h2'); // the server's h2 includes turn 3
    const plan = ledger.planReconnect(true);
    assert.deepEqual(plan.context, [], 'h2 already covers the spoken turn: resending it duplicates history');
    assert.equal(ledger.nextToSend()?.turn, 2, 'the typed turn is still sent as a new request');
  });

  describe('snapshot', () => {
    it('round-trips handle, coverage, numbering and turns', () => {
      const ledger = new TurnLedger();
      for (const s of ['q1', 'q2', 'q3', 'q4']) ledger.enqueue(s);
      answerNext(ledger, 'a1');
      answerNext(ledger, 'a2');
      ledger.recordHandle('h2');
      const inflight = ledger.nextToSend()!;
      ledger.markSent(inflight);
      ledger.appendAnswer(inflight, 'par');
      const snap = ledger.snapshot();
      assert.deepEqual(JSON.parse(JSON.stringify(snap)), snap, 'plain JSON');
      const restored = TurnLedger.fromSnapshot(JSON.parse(JSON.stringify(snap)));
      assert.deepEqual(restored.snapshot(), snap);
      assert.equal(restored.handle, 'h2');
      assert.equal(restored.coveredThrough, 2);
      assert.equal(restored.lastTurnNumber, 4);
      assert.equal(restored.enqueue('q5')?.turn, 5);
    });

    it('a restored in-flight turn is resent on the next connection, and the answered uncovered ones are context', () => {
      const ledger = new TurnLedger();
      for (const s of ['q1', 'q2', 'q3']) ledger.enqueue(s);
      answerNext(ledger, 'a1');
      ledger.recordHandle('h1');
      answerNext(ledger, 'a2');
      ledger.markSent(ledger.nextToSend()!);
      const restored = TurnLedger.fromSnapshot(ledger.snapshot());
      const plan = restored.planReconnect(true);
      assert.deepEqual(plan.restarted.map((t) => t.turn), [3]);
      assert.deepEqual(plan.context.map(text), ['q2', 'a2']);
      assert.equal(restored.nextToSend()?.userText, 'q3');
    });
  });

  describe('property: every turn is answered exactly once and none is lost', () => {
    type Op =
      | { kind: 'enqueue' }
      | { kind: 'chunk' }
      | { kind: 'complete' }
      | { kind: 'handle' }
      | { kind: 'staleHandle' }
      | { kind: 'audio' }
      | { kind: 'drop' }
      | { kind: 'refused' };

    const opArb: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: fc.constant<Op>({ kind: 'enqueue' }) },
      { weight: 3, arbitrary: fc.constant<Op>({ kind: 'chunk' }) },
      { weight: 4, arbitrary: fc.constant<Op>({ kind: 'complete' }) },
      { weight: 3, arbitrary: fc.constant<Op>({ kind: 'handle' }) },
      { weight: 1, arbitrary: fc.constant<Op>({ kind: 'staleHandle' }) },
      { weight: 1, arbitrary: fc.constant<Op>({ kind: 'audio' }) },
      { weight: 2, arbitrary: fc.constant<Op>({ kind: 'drop' }) },
      { weight: 1, arbitrary: fc.constant<Op>({ kind: 'refused' }) },
    );

    /**
     * Simulates the server as "knows the turns covered by the handle used to connect, plus
     * what we resend, plus what it answered on this connection". Checks on every reconnect
     * that the client resends nothing the server already has and loses nothing it lacks,
     * and at the end that every turn was answered exactly once.
     */
    function simulate(ops: Op[], makeLedger: () => TurnLedger = () => new TurnLedger(GENEROUS)): void {
      const ledger = makeLedger();
      let known = new Set<number>();
      const handles = new Map<string, Set<number>>();
      let serverInFlight: number | undefined;
      const answered = new Map<number, number>();
      let handleCount = 0;
      let nextText = 1;
      const created = new Set<number>();
      const countAnswer = (turn: number) => answered.set(turn, (answered.get(turn) ?? 0) + 1);

      const pump = () => {
        if (serverInFlight !== undefined) return;
        const next = ledger.nextToSend();
        if (!next) return;
        assert.ok(!answered.get(next.turn), `turn ${next.turn} requested again after it was answered`);
        ledger.markSent(next);
        serverInFlight = next.turn;
      };

      const reconnect = (refused: boolean) => {
        serverInFlight = undefined;
        if (refused) ledger.dropHandle();
        const handle = ledger.handle;
        known = handle ? new Set(handles.get(handle)) : new Set();
        const before = [...known];
        const plan = ledger.planReconnect(handle !== undefined);
        for (const r of plan.restarted) {
          assert.equal(r.origin, 'text');
          assert.ok(!answered.get(r.turn), `restarted turn ${r.turn} was already answered`);
        }
        // An audio turn cut off by the drop is answered (partly) now, once.
        for (const c of plan.context) {
          const m = /^[uta](\d+)/.exec(text(c));
          assert.ok(m, `context entry ${text(c)}`);
          const turn = Number(m[1]);
          assert.ok(!before.includes(turn), `turn ${turn} resent as context although the handle covers it`);
          known.add(turn);
        }
        for (const t of ledger.snapshot().turns) {
          if (t.status === 'complete') {
            if (!answered.get(t.turn)) countAnswer(t.turn); // cut-off audio turn, completed by the plan
            assert.ok(known.has(t.turn), `answered turn ${t.turn} lost: neither covered nor resent`);
          }
        }
        pump();
      };

      for (const op of ops) {
        switch (op.kind) {
          case 'enqueue': {
            const r = ledger.enqueue(`u${nextText++}`);
            assert.ok(r);
            created.add(r.turn);
            // user text carries its turn number for the checks: rewrite it now that we know it
            r.userText = `u${r.turn}`;
            break;
          }
          case 'chunk': {
            const t = ledger.inFlight();
            if (t && serverInFlight === t.turn) ledger.appendAnswer(t, `a${t.turn};`);
            break;
          }
          case 'complete': {
            if (serverInFlight === undefined) break;
            const t = ledger.inFlight()!;
            if (!t.answer) ledger.appendAnswer(t, `a${t.turn};`);
            const done = ledger.complete();
            assert.equal(done?.turn, serverInFlight);
            countAnswer(serverInFlight);
            known.add(serverInFlight);
            serverInFlight = undefined;
            break;
          }
          case 'handle':
          case 'staleHandle': {
            // The server sends resumable handles only between turns.
            if (serverInFlight !== undefined) break;
            const h = `h${++handleCount}`;
            handles.set(h, new Set(known));
            if (op.kind === 'staleHandle') break; // it arrives on a socket we already left: never recorded
            const covered = ledger.recordHandle(h);
            for (let i = 1; i <= covered; i++) {
              if (created.has(i)) assert.ok(known.has(i), `handle claims to cover turn ${i}, which the server does not have`);
            }
            break;
          }
          case 'audio': {
            if (serverInFlight !== undefined || ledger.nextToSend()) break;
            const t = ledger.turnForOutput();
            created.add(t.turn);
            ledger.appendUserTranscript(t, `t${t.turn}`);
            ledger.appendAnswer(t, `a${t.turn};`);
            serverInFlight = t.turn;
            break;
          }
          case 'drop':
            reconnect(false);
            break;
          case 'refused':
            reconnect(true);
            break;
        }
        pump();
      }
      // Drain: let the server answer everything left.
      for (let guard = 0; guard < 10_000 && (serverInFlight !== undefined || ledger.nextToSend()); guard++) {
        if (serverInFlight !== undefined) {
          ledger.complete();
          countAnswer(serverInFlight);
          known.add(serverInFlight);
          serverInFlight = undefined;
        }
        pump();
      }
      for (const turn of created) assert.equal(answered.get(turn), 1, `turn ${turn} answered ${answered.get(turn) ?? 0} times`);
      assert.equal(ledger.queuedCount, 0);
    }

    it('holds for random conversations, drops, refused handles and handle arrivals', () => {
      fc.assert(fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => simulate(ops)), { numRuns: 400 });
    });

    it('the simulation catches a ledger that resends what the handle covers, or forgets the cut-off turn', () => {
      class ResendsEverything extends TurnLedger {
        override planReconnect() {
          return super.planReconnect(false);
        }
      }
      class ForgetsCutOffTurn extends TurnLedger {
        override planReconnect(resuming: boolean) {
          const plan = super.planReconnect(resuming);
          for (const t of plan.restarted) t.status = 'complete';
          return { ...plan, restarted: [] };
        }
      }
      const ops: Op[] = [{ kind: 'enqueue' }, { kind: 'complete' }, { kind: 'handle' }, { kind: 'enqueue' }, { kind: 'drop' }];
      assert.throws(() => simulate(ops, () => new ResendsEverything(GENEROUS)), /resent as context although the handle covers it/);
      assert.throws(() => simulate(ops, () => new ForgetsCutOffTurn(GENEROUS)), /lost|answered 0 times/);
      assert.doesNotThrow(() => simulate(ops));
    });

    it('holds for a hand-written run: drop mid-turn after two covered turns', () => {
      simulate([
        { kind: 'enqueue' },
        { kind: 'complete' },
        { kind: 'handle' },
        { kind: 'enqueue' },
        { kind: 'complete' },
        { kind: 'enqueue' },
        { kind: 'chunk' },
        { kind: 'drop' },
        { kind: 'refused' },
      ]);
    });
  });
});
