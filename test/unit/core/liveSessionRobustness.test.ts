/**
 * The session core under hostile conditions (issue 14): code that throws while a frame is
 * handled, goAway storms, silent links. Through the driver, with fake sockets and a fake clock.
 */
import assert from 'node:assert/strict';
import type { MoonTalkError } from '../../../src/common/errors';
import { nullLogger, type Logger } from '../../../src/common/logger';
import type { ServerFrame } from '../../../src/core/messages';
import type { SessionEvent } from '../../../src/core/sessionEvents';
import { goAway, makeSession, requestedTexts, setupComplete, textReply, type HarnessOptions, type SessionHarness } from '../../fakes/builders';

describe('LiveSession robustness', () => {
  let h: SessionHarness;

  function given(o: HarnessOptions = {}): SessionHarness {
    h = makeSession(o);
    return h;
  }

  afterEach(async () => {
    for (const t of h.factory.transports) t.ackClose();
    await h.session.close();
  });

  function fatal(): MoonTalkError {
    const errors = h.eventsOf('error').filter((e) => e.fatal);
    assert.equal(errors.length, 1, 'one fatal error');
    return errors[0]!.error;
  }

  it('an exception while a frame is handled becomes a fatal error and a failed state, not a hang', async () => {
    const t = await given().connectNow();
    const connected = h.session.connect();
    await connected;
    h.session.sendText('q');
    // A tool call list holding null: reading its id throws inside the frame handling.
    t.serverSends({ toolCall: { functionCalls: [null] } } as unknown as ServerFrame);
    assert.equal(h.session.publicState.kind, 'failed');
    assert.match(fatal().message, /internal error/);
    await h.flush();
    assert.ok(t.isClosed, 'the socket is not left open');
    assert.equal(h.clock.pendingTimers, 0);
  });

  it('a throwing logger (a listener path of the driver) fails the session instead of being swallowed', async () => {
    let broken = false;
    const logger: Logger = {
      ...nullLogger,
      warn: () => {
        if (broken) throw new Error('log sink broke');
      },
      child: () => logger,
    };
    const t = await given({ logger }).connectNow();
    broken = true;
    // Anything the session logs at warn, here a malformed frame.
    t.serverSendsRaw('{"serverContent": ');
    assert.equal(h.session.publicState.kind, 'failed');
    assert.match(fatal().message, /log sink broke/);
  });

  describe('goAway storms', () => {
    it('goAways that come before any turn can complete back off and give up when the budget is spent', async () => {
      // minUptimeMs is long here: a connection that merely stays up would reset the backoff too.
      given({ random: () => 0.5, options: { backoff: { baseMs: 1_000, capMs: 1_000, maxAttempts: 2 }, minUptimeMs: 3_600_000 } });
      await h.connectNow();
      h.session.sendText('never answered');
      const storm = async () => {
        h.factory.last.serverSends(goAway('30s'));
        await h.flush();
        h.clock.advance(1_000); // the backoff (0.5 × 1 s) and the standby
        await h.flush();
        h.clock.advance(28_000); // the deadline
        await h.flush();
        h.factory.last.serverSends(setupComplete());
      };
      await storm(); // first goAway: not a storm yet, no backoff
      assert.deepEqual(h.eventsOf('reconnecting'), []);
      await storm();
      await storm();
      assert.equal(h.session.publicState.kind, 'connected', 'two goAways in a row before a turn: still trying');
      h.factory.last.serverSends(goAway('30s'));
      assert.equal(h.session.publicState.kind, 'failed');
      assert.equal(fatal().reason, 'gaveUp');
      assert.match(fatal().message, /before a turn could complete/);
    });

    it('an idle session (no turn waiting) follows any number of quick goAways without backing off', async () => {
      given({ random: () => 0.5, options: { backoff: { baseMs: 1_000, capMs: 1_000, maxAttempts: 1 } } });
      await h.connectNow();
      for (let i = 0; i < 5; i++) {
        h.factory.last.serverSends(goAway('10s'));
        await h.flush();
        h.factory.last.serverSends(setupComplete());
      }
      assert.equal(h.session.publicState.kind, 'connected');
      assert.equal(h.eventsOf('handoff').filter((e) => e.phase === 'completed').length, 5);
      assert.equal(h.clock.now() - h.session.getSessionStats().startTime!, 0, 'no backoff delay');
    });

    it('a turn completed between goAways proves the link: no backoff', async () => {
      given({ random: () => 0.5, options: { backoff: { baseMs: 1_000, capMs: 1_000, maxAttempts: 1 } } });
      await h.connectNow();
      for (let i = 0; i < 4; i++) {
        h.session.sendText(`q${i}`);
        h.factory.last.serverSends(...textReply(`a${i}`), goAway('30s'));
        await h.flush();
        h.clock.advance(500); // handle grace
        await h.flush();
        h.factory.last.serverSends(setupComplete());
      }
      assert.equal(h.session.publicState.kind, 'connected');
      assert.equal(h.eventsOf('handoff').filter((e) => e.phase === 'completed').length, 4);
    });
  });

  describe('backoff that knows a working link', () => {
    it('a connection that completed a turn resets the attempt count; only consecutive failures exhaust it', async () => {
      given({ random: () => 0.5, options: { backoff: { baseMs: 1_000, capMs: 60_000, maxAttempts: 2 }, minUptimeMs: 3_600_000 } });
      await h.connectNow();
      for (let i = 0; i < 5; i++) {
        h.factory.last.breaks();
        h.clock.advance(h.eventsOf('reconnecting').at(-1)!.delayMs);
        await h.flush();
        h.factory.last.serverSends(setupComplete());
        h.session.sendText(`q${i}`);
        h.factory.last.serverSends(...textReply(`a${i}`));
      }
      assert.deepEqual(
        h.eventsOf('reconnecting').map((e) => e.attempt),
        [1, 1, 1, 1, 1],
      );
      assert.equal(h.session.publicState.kind, 'connected');
    });
  });

  describe('response timeout', () => {
    it('a silent link with a turn in flight is taken for dead: reconnect and resend; a second silence gives up', async () => {
      given({ random: () => 0, options: { responseTimeoutMs: 10_000 } });
      const t = await h.connectNow();
      h.session.sendText('hello?');
      h.clock.advance(9_999);
      assert.ok(t.isOpen);
      h.clock.advance(1);
      await h.flush();
      assert.deepEqual(h.eventsOf('disconnected').at(-1), { type: 'disconnected', code: 1006, reason: 'no response within 10 s', willReconnect: true });
      h.clock.advance(0);
      await h.flush();
      const t2 = h.factory.last;
      assert.notEqual(t2, t);
      t2.serverSends(setupComplete());
      assert.deepEqual(requestedTexts(t2.sent), ['hello?'], 'the turn is sent again');
      h.clock.advance(10_000);
      await h.flush();
      assert.equal(h.session.publicState.kind, 'failed');
      assert.equal(fatal().reason, 'noResponse');
    });

    it('a link that keeps talking is not silent, and 0 turns the timeout off', async () => {
      given({ options: { responseTimeoutMs: 10_000 } });
      const t = await h.connectNow();
      h.session.sendText('long answer please');
      for (let i = 0; i < 6; i++) {
        h.clock.advance(9_000);
        t.serverSends({ serverContent: { modelTurn: { parts: [{ text: `part ${i} ` }] } } });
      }
      assert.ok(t.isOpen);
      assert.equal(h.eventsOf('disconnected').length, 0);
      await h.session.close();
      given({ options: { responseTimeoutMs: 0 } });
      const quiet = await h.connectNow();
      h.session.sendText('silence is fine');
      h.clock.advance(3_600_000);
      assert.ok(quiet.isOpen);
    });
  });

  it('stats are a pure read: calling them on every refresh changes nothing', async () => {
    given({ options: { handleLifetimeMs: 1_000 } });
    const t = await h.connectNow();
    t.serverSends(...textReply('x'));
    t.serverSends({ sessionResumptionUpdate: { newHandle: 'h1', resumable: true } });
    await h.session.close();
    h.clock.advance(5_000);
    const seen: SessionEvent[] = [];
    h.session.onDidEmit((e) => seen.push(e));
    for (let i = 0; i < 3; i++) assert.equal(h.session.getSessionStats().hasValidResumptionData, false);
    assert.equal(h.session.getSessionStats().resumeFailures, 0);
    assert.deepEqual(seen, [], 'no resumeFailed from a read');
    assert.equal(h.session.resumptionSnapshot().ledger.handle, 'h1', 'the handle is still there for the next connect to judge');
  });
});
