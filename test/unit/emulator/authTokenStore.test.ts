import assert from 'node:assert/strict';
import { AuthTokenStore, checkTokenConstraints } from '../../../src/emulator/authTokenStore';
import { parseClientFrame, type ClientMessage } from '../../../src/emulator/clientMessage';
import { FakeClock } from '../../fakes/fakeClock';

function setup(frame: object) {
  return (parseClientFrame(JSON.stringify({ setup: frame })) as Extract<ClientMessage, { kind: 'setup' }>).setup;
}

describe('emulator ephemeral tokens', () => {
  it('applies the documented defaults and limits on the emulator clock', () => {
    const clock = new FakeClock();
    const store = new AuthTokenStore(clock, () => 'x'.repeat(43));
    const minted = store.mint({});
    assert.ok(minted.ok);
    assert.equal(minted.token.name, `auth_tokens/${'x'.repeat(43)}`);
    assert.equal(minted.token.expireTimeMs, clock.now() + 30 * 60_000);
    assert.equal(minted.token.newSessionExpireTimeMs, clock.now() + 60_000);
    assert.equal(minted.token.uses, 1);
    assert.equal(store.mint({ expireTime: new Date(clock.now() - 1).toISOString() }).ok, false);
    assert.equal(store.mint({ newSessionExpireTime: new Date(clock.now() + 20 * 3_600_000 + 1).toISOString() }).ok, false);
    assert.equal(store.mint({ expireTime: 'tomorrow' }).ok, false);
    const three = store.mint({ uses: '3' });
    assert.ok(three.ok && three.token.uses === 3);
  });

  it('counts new sessions, not resumes, and honours both expiry times', () => {
    const clock = new FakeClock();
    const store = new AuthTokenStore(clock);
    const r = store.mint({ uses: 1 });
    assert.ok(r.ok);
    const t = r.token;
    const s = setup({ model: 'models/m' });
    assert.equal(store.checkSetup(t, s, false), undefined);
    store.consumeUse(t);
    assert.match(store.checkSetup(t, s, false)!, /no uses left/);
    assert.equal(store.checkSetup(t, s, true), undefined);
    clock.advance(61_000);
    assert.equal(store.checkSetup(t, s, true), undefined);
    clock.advance(30 * 60_000);
    assert.match(store.checkSetup(t, s, true)!, /expired/);
  });

  it('checks only the fields the lock gives', () => {
    const locked = { model: 'm', generationConfig: { responseModalities: ['AUDIO'] } };
    assert.equal(checkTokenConstraints(locked, setup({ model: 'models/m' })), undefined);
    assert.equal(checkTokenConstraints(locked, setup({ model: 'models/m', sessionResumption: {} })), undefined);
    assert.equal(checkTokenConstraints(locked, setup({ model: 'models/n' })), 'model');
    assert.equal(checkTokenConstraints(locked, setup({ model: 'models/m', generationConfig: { responseModalities: ['TEXT'] } })), 'generationConfig.responseModalities');
    assert.equal(checkTokenConstraints({ sessionResumption: {} }, setup({ model: 'models/m' })), 'sessionResumption');
    const cwc = { contextWindowCompression: { triggerTokens: '1000', slidingWindow: { targetTokens: '500' } } };
    assert.equal(checkTokenConstraints(cwc, setup({ model: 'models/m', contextWindowCompression: { triggerTokens: 1000, slidingWindow: { targetTokens: 500 } } })), undefined);
    assert.equal(checkTokenConstraints(cwc, setup({ model: 'models/m' })), 'contextWindowCompression');
  });
});
