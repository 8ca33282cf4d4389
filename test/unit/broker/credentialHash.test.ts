import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { authenticateClient } from '../../../src/broker/clientAuthenticator';
import { credentialMatches, generateCredential, hashCredential, isSha256Hex } from '../../../src/broker/credentialHash';

describe('broker credentials', () => {
  it('generates mtb_ + 32 random bytes in base64url, different every time', () => {
    const a = generateCredential();
    const b = generateCredential();
    assert.match(a, /^mtb_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, b);
  });

  it('stores the lowercase hex sha256 of the credential', () => {
    const c = 'mtb_example';
    assert.equal(hashCredential(c), createHash('sha256').update(c).digest('hex'));
    assert.ok(isSha256Hex(hashCredential(c)));
    assert.ok(!isSha256Hex(hashCredential(c).toUpperCase()));
  });

  it('matches only the right credential, and never a malformed stored hash', () => {
    const c = generateCredential();
    const h = hashCredential(c);
    assert.ok(credentialMatches(c, h));
    assert.ok(!credentialMatches(`${c}x`, h));
    assert.ok(!credentialMatches(c, h.slice(0, 63)));
    assert.ok(!credentialMatches(c, 'zz'.repeat(32)));
  });

  describe('authenticateClient', () => {
    const alice = generateCredential();
    const bob = generateCredential();
    const clients = [
      { id: 'alice', sha256: hashCredential(alice) },
      { id: 'bob', sha256: hashCredential(bob) },
    ];

    it('finds the client behind a Bearer header (scheme case-insensitive)', () => {
      const r = authenticateClient(`Bearer ${bob}`, clients);
      assert.ok(r.ok && r.client.id === 'bob');
      const r2 = authenticateClient(`bearer ${alice}`, clients);
      assert.ok(r2.ok && r2.client.id === 'alice');
    });

    it('tells missing, malformed and unknown apart', () => {
      assert.deepEqual(authenticateClient(undefined, clients), { ok: false, reason: 'missing' });
      assert.deepEqual(authenticateClient('  ', clients), { ok: false, reason: 'missing' });
      assert.deepEqual(authenticateClient(`Basic ${alice}`, clients), { ok: false, reason: 'malformed' });
      assert.deepEqual(authenticateClient(`Bearer ${'a'.repeat(600)}`, clients), { ok: false, reason: 'malformed' });
      assert.deepEqual(authenticateClient('Bearer mtb_wrong', clients), { ok: false, reason: 'unknown' });
      assert.deepEqual(authenticateClient(`Bearer ${alice}`, []), { ok: false, reason: 'unknown' });
    });
  });
});
