import assert from 'node:assert/strict';
import { GEMINI_API_BASE_URL, authTokensUrl, isLoopbackUrl, liveWebSocketUrl, websocketBase } from '../../../src/live/endpoints';

const KEY_PATH = '/ws/google.ai.generativelanguage.v1.GenerativeService.BidiGenerateContent';
const TOKEN_PATH = '/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained';

describe('endpoints', () => {
  describe('key URL', () => {
    it('uses v1 by default, wss for https, and puts the key only in the key= query', () => {
      const url = liveWebSocketUrl(GEMINI_API_BASE_URL, { kind: 'apiKey', apiKey: 'AIzaKEY' });
      assert.equal(url, `wss://generativelanguage.googleapis.com${KEY_PATH}?key=AIzaKEY`);
    });

    it('maps http to ws and keeps the port', () => {
      assert.equal(liveWebSocketUrl('http://127.0.0.1:8123', { kind: 'apiKey', apiKey: 'k' }), `ws://127.0.0.1:8123${KEY_PATH}?key=k`);
    });

    it('ignores trailing slashes on the base URL', () => {
      assert.equal(liveWebSocketUrl('https://example.test//', { kind: 'apiKey', apiKey: 'k' }), `wss://example.test${KEY_PATH}?key=k`);
      assert.equal(websocketBase('https://example.test/proxy/'), 'wss://example.test/proxy');
    });

    it('takes another API version when asked', () => {
      assert.match(liveWebSocketUrl('https://h.test', { kind: 'apiKey', apiKey: 'k' }, 'v1beta'), /generativelanguage\.v1beta\.GenerativeService\.BidiGenerateContent\?key=k$/);
    });

    it('percent-encodes a key with URL-special characters', () => {
      const url = liveWebSocketUrl('https://h.test', { kind: 'apiKey', apiKey: 'a&b=c d' });
      assert.ok(url.endsWith('?key=a%26b%3Dc%20d'), url);
      assert.equal(new URL(url).searchParams.get('key'), 'a&b=c d');
    });

    it('keeps ws/wss base URLs and refuses other schemes', () => {
      assert.equal(websocketBase('wss://h.test'), 'wss://h.test');
      assert.equal(websocketBase('ws://h.test:9/'), 'ws://h.test:9');
      assert.throws(() => websocketBase('ftp://h.test'), /unsupported base URL scheme/);
    });
  });

  describe('token URL', () => {
    it('uses BidiGenerateContentConstrained on v1alpha with access_token=auth_tokens/… and the slash unencoded', () => {
      const url = liveWebSocketUrl('https://h.test/', { kind: 'token', name: 'auth_tokens/abc-123_x' });
      assert.equal(url, `wss://h.test${TOKEN_PATH}?access_token=auth_tokens/abc-123_x`);
      assert.ok(!url.includes('%2F'));
      assert.ok(!url.includes('key='));
    });

    it('ignores the API version for tokens (tokens are v1alpha only)', () => {
      assert.match(liveWebSocketUrl('http://localhost:1', { kind: 'token', name: 'auth_tokens/t' }, 'v1'), /v1alpha\.GenerativeService\.BidiGenerateContentConstrained/);
    });
  });

  it('REST token endpoint lives under BASE/v1alpha/auth_tokens', () => {
    assert.equal(authTokensUrl('http://127.0.0.1:9/'), 'http://127.0.0.1:9/v1alpha/auth_tokens');
  });

  describe('isLoopbackUrl', () => {
    it('accepts localhost, 127.0.0.0/8 and ::1', () => {
      for (const u of ['http://localhost:1', 'http://127.0.0.1:8080', 'ws://127.4.5.6', 'http://[::1]:3000/x']) assert.equal(isLoopbackUrl(u), true, u);
    });

    it('refuses other hosts, look-alikes and garbage', () => {
      for (const u of ['https://generativelanguage.googleapis.com', 'http://localhost.evil.test', 'http://127.0.0.1.nip.io', 'http://10.0.0.1', 'http://[::2]', 'not a url', '']) {
        assert.equal(isLoopbackUrl(u), false, u);
      }
    });
  });
});
