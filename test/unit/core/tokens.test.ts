import assert from 'node:assert/strict';
import { MoonTalkError } from '../../../src/common/errors';
import { DEFAULT_TOKEN_POLICY, TokenCredentials, parseMintedToken, tokenStatus, type EphemeralToken, type TokenEvent, type TokenPolicy } from '../../../src/core/tokens';
import { FakeClock, flushMicrotasks } from '../../fakes/fakeClock';
import { FakeTokenMinter } from '../../fakes/builders';

const T0 = Date.UTC(2025, 0, 1);

function token(overrides: Partial<EphemeralToken> = {}): EphemeralToken {
  return {
    name: 'auth_tokens/abcdefghijklmnopqrstuvwxyz',
    expiresAt: T0 + 30 * 60_000,
    newSessionExpiresAt: T0 + 60_000,
    uses: 1,
    usesConsumed: 0,
    mintedAt: T0,
    ...overrides,
  };
}

describe('tokenStatus', () => {
  it('reports no token', () => {
    assert.deepEqual(tokenStatus(undefined, T0), {
      hasToken: false,
      canStartNewSession: false,
      isValid: false,
      newSessionTimeLeft: 0,
      totalTimeLeft: 0,
      uses: null,
      name: null,
      expiresAt: null,
      newSessionExpiresAt: null,
    });
  });

  it('computes time left for a fresh token', () => {
    const s = tokenStatus(token(), T0 + 10_000);
    assert.equal(s.hasToken, true);
    assert.equal(s.isValid, true);
    assert.equal(s.canStartNewSession, true);
    assert.equal(s.newSessionTimeLeft, 50_000);
    assert.equal(s.totalTimeLeft, 30 * 60_000 - 10_000);
    assert.equal(s.uses, 1);
    assert.equal(s.expiresAt, new Date(T0 + 30 * 60_000).toISOString());
    assert.equal(s.newSessionExpiresAt, new Date(T0 + 60_000).toISOString());
  });

  it('clamps times at 0 once passed', () => {
    const late = tokenStatus(token(), T0 + 31 * 60_000);
    assert.equal(late.totalTimeLeft, 0);
    assert.equal(late.newSessionTimeLeft, 0);
    assert.equal(late.isValid, false);
    assert.equal(late.canStartNewSession, false);
    const mid = tokenStatus(token(), T0 + 120_000);
    assert.equal(mid.newSessionTimeLeft, 0);
    assert.equal(mid.isValid, true);
    assert.equal(mid.canStartNewSession, false);
  });

  it('caps the new-session window at the token expiry', () => {
    const s = tokenStatus(token({ newSessionExpiresAt: T0 + 60 * 60_000, expiresAt: T0 + 5_000 }), T0);
    assert.equal(s.newSessionTimeLeft, 5_000);
  });

  it('uses null for unlimited uses, counts down and never goes negative', () => {
    assert.equal(tokenStatus(token({ uses: 0, usesConsumed: 5 }), T0).uses, null);
    assert.equal(tokenStatus(token({ uses: 0, usesConsumed: 5 }), T0).canStartNewSession, true);
    assert.equal(tokenStatus(token({ uses: 3, usesConsumed: 1 }), T0).uses, 2);
    const used = tokenStatus(token({ uses: 1, usesConsumed: 2 }), T0);
    assert.equal(used.uses, 0);
    assert.equal(used.canStartNewSession, false);
  });

  it('masks the name and never shows it whole', () => {
    const name = 'auth_tokens/abcdefghijklmnopqrstuvwxyz';
    const s = tokenStatus(token({ name }), T0);
    assert.equal(s.name, 'auth_tokens/ab…yz');
    assert.ok(!JSON.stringify(s).includes('abcdefghijklmnopqrstuvwxyz'.slice(2, 8)));
    for (const id of ['a', 'abcd', 'abcde', 'abcdef']) {
      const masked = tokenStatus(token({ name: `auth_tokens/${id}` }), T0).name!;
      assert.notEqual(masked, `auth_tokens/${id}`);
      assert.ok(!masked.endsWith(`/${id}`), masked);
    }
  });

  it('parseMintedToken falls back to the requested times and uses', () => {
    const request = { uses: 2, expireTime: new Date(T0 + 1_000).toISOString(), newSessionExpireTime: new Date(T0 + 500).toISOString(), constraints: { model: 'models/m' } };
    const t = parseMintedToken({ name: 'auth_tokens/x', expireTime: 'garbage' }, request, T0);
    assert.equal(t.expiresAt, T0 + 1_000);
    assert.equal(t.newSessionExpiresAt, T0 + 500);
    assert.equal(t.uses, 2);
    assert.equal(t.usesConsumed, 0);
  });
});

describe('TokenCredentials', () => {
  const policy: TokenPolicy = { ...DEFAULT_TOKEN_POLICY, uses: 1, lifetimeMs: 30 * 60_000, newSessionWindowMs: 60_000, safetyMarginMs: 10_000 };

  function setup(p: TokenPolicy = policy) {
    const clock = new FakeClock(T0);
    const minter = new FakeTokenMinter();
    const secrets: string[] = [];
    const creds = new TokenCredentials(minter, clock, () => ({ model: 'models/m', generationConfig: { responseModalities: ['TEXT' as never] } }), p, (n) => secrets.push(n));
    const events: TokenEvent[] = [];
    const uses: TokenEvent[] = [];
    // Mints and failures in `events`; the use counter's updates apart, in `uses`.
    creds.onDidChange((e) => (e.type === 'used' ? uses : events).push(e));
    return { clock, minter, creds, events, uses, secrets };
  }

  it('mints on first use with the policy and constraints, and registers the name as a secret', async () => {
    const { creds, minter, events, secrets } = setup();
    const c = await creds.get('newSession');
    assert.deepEqual(c, { kind: 'token', name: 'auth_tokens/tok1-abcdefghijklmnop' });
    assert.equal(minter.requests.length, 1);
    assert.deepEqual(minter.requests[0], {
      uses: 1,
      expireTime: new Date(T0 + 30 * 60_000).toISOString(),
      newSessionExpireTime: new Date(T0 + 60_000).toISOString(),
      constraints: { model: 'models/m', generationConfig: { responseModalities: ['TEXT'] } },
    });
    assert.deepEqual(secrets, ['auth_tokens/tok1-abcdefghijklmnop']);
    assert.equal(events.length, 1);
    assert.ok(events[0]!.type === 'minted' && events[0]!.reason === 'first');
    assert.equal(creds.current?.usesConsumed, 1);
  });

  it('tells listeners when a new session takes a use, so a status view never goes stale', async () => {
    const { creds, uses } = setup();
    await creds.get('newSession');
    assert.equal(uses.length, 1);
    const e = uses[0]!;
    assert.ok(e.type === 'used' && e.status.uses === 0 && e.status.canStartNewSession === false);
    await creds.get('resume');
    assert.equal(uses.length, 1, 'resuming is not a use');
  });

  it('a new session consumes a use; a used-up token is replaced by a fresh mint', async () => {
    const { creds, minter, events } = setup();
    await creds.get('newSession');
    const second = await creds.get('newSession');
    assert.equal(minter.requests.length, 2);
    assert.equal(second.kind === 'token' && second.name, 'auth_tokens/tok2-abcdefghijklmnop');
    assert.ok(events[1]!.type === 'minted' && events[1]!.reason === 'newSession');
  });

  it('an unlimited token (uses 0) starts many sessions without minting again', async () => {
    const { creds, minter } = setup({ ...policy, uses: 0 });
    for (let i = 0; i < 5; i++) await creds.get('newSession');
    assert.equal(minter.requests.length, 1);
    assert.equal(creds.status().uses, null);
  });

  it('mints for a new session once newSessionExpireTime minus the margin has passed', async () => {
    const { creds, minter, clock } = setup({ ...policy, uses: 0 });
    await creds.get('newSession');
    clock.advance(60_000 - 10_000 - 1);
    await creds.get('newSession');
    assert.equal(minter.requests.length, 1, 'still inside the window');
    clock.advance(1);
    await creds.get('newSession');
    assert.equal(minter.requests.length, 2, 'at the margin it mints');
  });

  it('a resume reuses the current token after newSessionExpireTime while it is valid, without consuming a use', async () => {
    const { creds, minter, clock } = setup();
    const first = await creds.get('newSession');
    clock.advance(5 * 60_000);
    assert.equal(creds.status().canStartNewSession, false);
    const resume = await creds.get('resume');
    assert.deepEqual(resume, first);
    assert.equal(minter.requests.length, 1);
    assert.equal(creds.current?.usesConsumed, 1);
  });

  it('a resume mints when the token is (nearly) expired', async () => {
    const { creds, minter, clock, events } = setup();
    await creds.get('newSession');
    clock.advance(30 * 60_000 - 10_000);
    const resume = await creds.get('resume');
    assert.equal(minter.requests.length, 2);
    assert.equal(resume.kind === 'token' && resume.name, 'auth_tokens/tok2-abcdefghijklmnop');
    assert.ok(events[1]!.type === 'minted' && events[1]!.reason === 'expiring');
  });

  it('a resume with no token yet mints one', async () => {
    const { creds, minter } = setup();
    await creds.get('resume');
    assert.equal(minter.requests.length, 1);
    assert.equal(creds.current?.usesConsumed, 0, 'resuming is not a use');
  });

  it('concurrent mints share one request', async () => {
    const { creds, minter } = setup({ ...policy, uses: 0 });
    minter.hold = true;
    const a = creds.get('resume');
    const b = creds.mint('renewal');
    const c = creds.get('newSession');
    await flushMicrotasks();
    assert.equal(minter.requests.length, 1);
    minter.hold = false;
    minter.releaseMints();
    const [ca, tb, cc] = await Promise.all([a, b, c]);
    assert.equal(minter.requests.length, 1);
    assert.equal(ca.kind === 'token' && ca.name, tb.name);
    assert.equal(cc.kind === 'token' && cc.name, tb.name);
    // A later mint is a new request.
    await creds.mint('renewal');
    assert.equal(minter.requests.length, 2);
  });

  it('concurrent new-session requests never hand one use to two sessions', async () => {
    const { creds, minter } = setup({ ...policy, uses: 1 });
    const [a, b] = await Promise.all([creds.get('newSession'), creds.get('newSession')]);
    assert.notDeepEqual(a, b, 'each new session needs its own use');
    assert.equal(minter.requests.length, 2);
    assert.ok(creds.current!.usesConsumed <= creds.current!.uses);
  });

  it('a failed mint emits mintFailed with a tokenMint error and rejects', async () => {
    const { creds, minter, events } = setup();
    minter.failWith = new Error('HTTP 500 backend');
    await assert.rejects(creds.get('newSession'), (err: unknown) => err instanceof MoonTalkError && err.reason === 'tokenMint' && /HTTP 500 backend/.test(err.message));
    assert.equal(events.length, 1);
    assert.ok(events[0]!.type === 'mintFailed' && events[0]!.error.reason === 'tokenMint');
    assert.equal(creds.current, undefined);
    // The failure is not cached: the next call tries again.
    minter.failWith = undefined;
    await creds.get('newSession');
    assert.equal(minter.requests.length, 2);
  });

  it('a mint refused for the key keeps its badKey reason', async () => {
    const { creds, minter, events } = setup();
    minter.failWith = new MoonTalkError('badKey', 'key refused', { code: 401 });
    await assert.rejects(creds.get('newSession'), (err: unknown) => err instanceof MoonTalkError && err.reason === 'badKey');
    assert.ok(events[0]!.type === 'mintFailed' && events[0]!.error.reason === 'badKey');
  });

  it('replaceRefused mints a fresh token for a refused token, and gives up for an API key', async () => {
    const { creds, minter, events } = setup();
    const first = await creds.get('newSession');
    const fresh = await creds.replaceRefused(first);
    assert.notDeepEqual(fresh, first);
    assert.equal(minter.requests.length, 2);
    assert.ok(events[1]!.type === 'minted' && events[1]!.reason === 'refused');
    assert.equal(await creds.replaceRefused({ kind: 'apiKey', apiKey: 'k' }), undefined);
    assert.equal(minter.requests.length, 2);
  });
});
