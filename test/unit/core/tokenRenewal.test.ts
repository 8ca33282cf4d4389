import assert from 'node:assert/strict';
import { MoonTalkError } from '../../../src/common/errors';
import { nullLogger } from '../../../src/common/logger';
import { TokenRenewal, type RenewalEvent } from '../../../src/core/tokenRenewal';
import { DEFAULT_TOKEN_POLICY, TokenCredentials } from '../../../src/core/tokens';
import { FakeClock } from '../../fakes/fakeClock';
import { FakeTokenMinter, makeSession, seededRandom, setupComplete, textReply } from '../../fakes/builders';

const LIFETIME = 30 * 60_000;
const LEAD = 120_000;

function setup() {
  const clock = new FakeClock();
  const minter = new FakeTokenMinter();
  const tokens = new TokenCredentials(minter, clock, () => ({ model: 'models/m' }), { ...DEFAULT_TOKEN_POLICY, lifetimeMs: LIFETIME });
  // The server in these tests never answers a turn: they are about the renewal deadline, so the
  // response timeout (which would take the silent link for dead after a minute) is off.
  const h = makeSession({ clock, credentials: tokens, options: { responseTimeoutMs: 0 } });
  const renewal = new TokenRenewal(h.session, tokens, clock, seededRandom(3), nullLogger, {
    leadMs: LEAD,
    retry: { baseMs: 1_000, capMs: 4_000, maxAttempts: 100 },
  });
  const events: RenewalEvent[] = [];
  renewal.onDidChange((e) => events.push(e));
  return { clock, minter, tokens, h, renewal, events };
}

describe('TokenRenewal', () => {
  it('mints a new token exactly `leadMs` before the one in use expires, then hands off to it', async () => {
    const { clock, minter, h, events } = setup();
    const t = await h.connectNow();
    assert.equal(minter.requests.length, 1);
    clock.advance(LIFETIME - LEAD - 1);
    await h.flush();
    assert.equal(minter.requests.length, 1, 'not yet');
    clock.advance(1);
    await h.flush();
    assert.equal(minter.requests.length, 2, 'renewal mint at expiry − lead');
    assert.deepEqual(events.map((e) => e.type), ['expiringSoon', 'renewed']);
    // The handoff opens a standby with the new token and switches at the boundary.
    const standby = h.factory.transports[1]!;
    assert.equal(standby.credential.kind === 'token' && standby.credential.name, 'auth_tokens/tok2-abcdefghijklmnop');
    // No turn in flight and nothing uncovered: it switches as soon as the standby is up.
    assert.ok(t.isClosed);
    standby.serverSends(setupComplete());
    const done = h.eventsOf('handoff').find((e) => e.phase === 'completed');
    assert.equal(done?.reason, 'tokenRenewal');
  });

  it('switches before the old token expires even when a turn never ends', async () => {
    const { clock, h } = setup();
    const t = await h.connectNow();
    h.session.sendText('a very long answer');
    await h.flush();
    clock.advance(LIFETIME - LEAD);
    await h.flush();
    assert.ok(t.isOpen, 'waits for the turn boundary first');
    clock.advance(LEAD - 2_000);
    await h.flush();
    assert.ok(t.isClosed, 'switched by the deadline timer, 2 s before expiry');
  });

  it('reports a failed renewal before the deadline and retries until it works', async () => {
    const { clock, minter, h, events } = setup();
    await h.connectNow();
    minter.failWith = new MoonTalkError('tokenMint', 'service unavailable');
    clock.advance(LIFETIME - LEAD);
    await h.flush();
    const failed = events.find((e) => e.type === 'renewalFailed');
    assert.ok(failed && failed.type === 'renewalFailed' && failed.willRetry && failed.timeLeftMs === LEAD);
    minter.failWith = undefined;
    for (let i = 0; i < 10 && !events.some((e) => e.type === 'renewed'); i++) {
      clock.advance(1_000);
      await h.flush();
    }
    assert.ok(events.some((e) => e.type === 'renewed'), 'renewed after the service came back');
    assert.equal(events.filter((e) => e.type === 'expired').length, 0);
  });

  it('says the token expired when renewal fails all the way to the deadline', async () => {
    const { clock, minter, h, events } = setup();
    await h.connectNow();
    minter.failWith = new MoonTalkError('tokenMint', 'down');
    clock.advance(LIFETIME - LEAD);
    for (let i = 0; i < 200 && !events.some((e) => e.type === 'renewalFailed' && !e.willRetry); i++) {
      clock.advance(1_000);
      await h.flush();
    }
    const last = events.filter((e) => e.type === 'renewalFailed').at(-1);
    assert.ok(last && last.type === 'renewalFailed' && last.willRetry === false);
  });

  it('stops watching once the session is closed: no mint, no timer left', async () => {
    const { clock, minter, h, renewal } = setup();
    const t = await h.connectNow();
    t.serverSends(...textReply('x'));
    await h.session.close();
    renewal.dispose();
    clock.advance(LIFETIME);
    await h.flush();
    assert.equal(minter.requests.length, 1);
    assert.equal(clock.pendingTimers, 0);
  });
});
