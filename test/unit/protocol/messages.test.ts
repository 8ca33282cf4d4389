/**
 * The host <-> webview protocol validators: they take anything and either return a typed
 * message or an error naming the field, and never throw (property-based, fast-check).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MAX_AUDIO_CHUNK_BYTES,
  MAX_LINK_CHARS,
  MAX_TRANSCRIPT_TEXT_CHARS,
  PROTOCOL_VERSION,
  isProtocolError,
  parseToHost,
  parseToWebview,
  type ToHost,
  type ToWebview,
} from '../../../src/protocol/messages';
import { fullState } from '../webview/fullState';

const HOST_TYPES = ['ready', 'session/connect', 'session/disconnect', 'session/refresh', 'chat/send', 'token/create', 'settings/update', 'audio/chunk', 'tools/confirm'];

/** Arbitrary values of every JSON-ish shape, plus binary, with known message types mixed in as `type`. */
const anyValue = fc.oneof(
  fc.anything(),
  fc.record({ type: fc.constantFrom(...HOST_TYPES, 'init', 'session/stateChanged', 'token/statusChanged', 'transcript/appended', 'audio/play', 'error') }, { requiredKeys: [] }),
  fc.record({ type: fc.constantFrom(...HOST_TYPES), text: fc.anything(), seq: fc.anything(), pcm: fc.oneof(fc.anything(), fc.uint8Array().map((u) => u.buffer)) }),
  fc.record({ type: fc.constant('session/stateChanged'), session: fc.anything() }),
);

describe('host <-> webview protocol validators', () => {
  it('never throw on any input, either direction, and name a field when they refuse', () => {
    fc.assert(
      fc.property(anyValue, (raw) => {
        for (const parse of [parseToHost, parseToWebview]) {
          const result = parse(raw);
          if (isProtocolError(result)) {
            assert.equal(typeof result.field, 'string');
            assert.ok(result.message.startsWith(result.field));
          } else {
            assert.equal(typeof (result as { type: unknown }).type, 'string');
          }
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it('accepts every well-formed webview command', () => {
    const valid: ToHost[] = [
      { type: 'ready', version: PROTOCOL_VERSION, clientId: 'wv-1' },
      { type: 'session/connect' },
      { type: 'chat/send', text: 'hello' },
      { type: 'settings/update', settings: { resumption: false } },
      { type: 'settings/update', settings: { voiceProcessing: false } },
      { type: 'audio/chunk', seq: 3, pcm: new ArrayBuffer(1_280) },
      { type: 'audio/level', input: 0.5 },
      { type: 'tools/confirm', id: 'function-call-1', allow: true },
      { type: 'code/copy', text: 'const a = 1;' },
      { type: 'code/insert', code: 'const a = 1;', language: 'ts' },
      { type: 'code/insert', code: 'x', language: '' },
      { type: 'link/open', url: 'https://example.com/a?b=1#c' },
      { type: 'link/open', url: 'http://localhost:8080/' },
    ];
    for (const msg of valid) assert.ok(!isProtocolError(parseToHost(msg)), JSON.stringify(msg));
  });

  it('refuses malformed webview commands, naming the bad field', () => {
    const cases: Array<[unknown, string]> = [
      [{ type: 'chat/send', text: '' }, 'text'],
      [{ type: 'chat/send', text: 42 }, 'text'],
      [{ type: 'audio/chunk', seq: 1, pcm: new ArrayBuffer(3) }, 'pcm'],
      [{ type: 'audio/chunk', seq: 1, pcm: new ArrayBuffer(MAX_AUDIO_CHUNK_BYTES + 2) }, 'pcm'],
      [{ type: 'audio/chunk', seq: -1, pcm: new ArrayBuffer(2) }, 'seq'],
      [{ type: 'audio/chunk', seq: 1, pcm: [0, 1, 2, 3] }, 'pcm'],
      [{ type: 'settings/update', settings: { compression: { enabled: true, triggerTokens: 0, compressionRatio: 0.5, useSlidingWindow: true } } }, 'settings.compression.triggerTokens'],
      [{ type: 'settings/update', settings: { voiceProcessing: 'off' } }, 'settings.voiceProcessing'],
      [{ type: 'code/copy', text: '' }, 'text'],
      [{ type: 'code/copy', text: 'x'.repeat(MAX_TRANSCRIPT_TEXT_CHARS + 1) }, 'text'],
      [{ type: 'code/insert', code: 'x'.repeat(MAX_TRANSCRIPT_TEXT_CHARS + 1), language: 'ts' }, 'code'],
      [{ type: 'code/insert', code: 'x', language: 'l'.repeat(51) }, 'language'],
      [{ type: 'code/insert', code: 'x' }, 'language'],
      [{ type: 'link/open', url: 'javascript:alert(1)' }, 'url'],
      [{ type: 'link/open', url: 'data:text/html;base64,PHNjcmlwdD4=' }, 'url'],
      [{ type: 'link/open', url: 'file:///etc/passwd' }, 'url'],
      [{ type: 'link/open', url: 'command:workbench.action.quit' }, 'url'],
      [{ type: 'link/open', url: 'not a url' }, 'url'],
      [{ type: 'link/open', url: `https://example.com/${'a'.repeat(MAX_LINK_CHARS)}` }, 'url'],
      [{ type: 'no/such' }, 'type'],
      [null, 'message'],
    ];
    for (const [raw, field] of cases) {
      const r = parseToHost(raw);
      assert.ok(isProtocolError(r), JSON.stringify(raw));
      assert.equal(r.field, field);
    }
  });

  it('accepts the host’s notifications, including a full init, and keeps binary audio binary', () => {
    const init = parseToWebview({ type: 'init', version: PROTOCOL_VERSION, state: fullState() });
    assert.ok(!isProtocolError(init) && init.type === 'init');
    const play = parseToWebview({ type: 'audio/play', seq: 1, pcm: new ArrayBuffer(4_800) }) as ToWebview;
    assert.ok(!isProtocolError(play) && play.type === 'audio/play' && play.pcm instanceof ArrayBuffer);
  });

  it('carries grounding sources on transcript entries, http and https links only', () => {
    const entry = { id: 'g0-m1', turn: 1, role: 'model', text: 'Answer.', partial: false, markers: [], at: 1 };
    const ok = parseToWebview({ type: 'transcript/updated', entry: { ...entry, sources: [{ uri: 'https://example.org/a', title: 'example.org' }] } });
    assert.ok(!isProtocolError(ok));
    assert.ok(!isProtocolError(parseToWebview({ type: 'transcript/updated', entry })), 'entries without sources stay valid');
    const bad = parseToWebview({ type: 'transcript/updated', entry: { ...entry, sources: [{ uri: 'command:workbench.action.terminal.new', title: 'x' }] } });
    assert.ok(isProtocolError(bad));
    assert.equal(bad.field, 'entry.sources.0.uri');
  });

  it('carries whether dictation has the page microphone: a boolean or absent (older hosts), nothing else', () => {
    const audio = { captureBackend: 'webview', listening: false, problem: null };
    const on = parseToWebview({ type: 'audio/statusChanged', audio: { ...audio, dictating: true } });
    assert.ok(!isProtocolError(on) && on.type === 'audio/statusChanged' && on.audio.dictating === true);
    assert.ok(!isProtocolError(parseToWebview({ type: 'audio/statusChanged', audio })), 'a status without the field stays valid');
    const bad = parseToWebview({ type: 'audio/statusChanged', audio: { ...audio, dictating: 'yes' } });
    assert.ok(isProtocolError(bad));
    assert.equal(bad.field, 'audio.dictating');
  });

  it('refuses a whole token name anywhere the webview would show it', () => {
    const state = fullState({
      token: { hasToken: true, canStartNewSession: true, isValid: true, newSessionTimeLeft: 1, totalTimeLeft: 1, uses: 1, name: 'auth_tokens/abcdefghijklmnop', expiresAt: null, newSessionExpiresAt: null },
    });
    const r = parseToWebview({ type: 'init', version: PROTOCOL_VERSION, state });
    assert.ok(isProtocolError(r));
    assert.equal(r.field, 'state.token.name');
    const masked = parseToWebview({ type: 'token/statusChanged', token: { ...state.token, name: 'auth_tokens/ab…op' } });
    assert.ok(!isProtocolError(masked));
  });

  it('round-trips arbitrary valid chat and settings commands unchanged', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.boolean(), fc.integer({ min: 1, max: 128_000 }), (text, resumption, trigger) => {
        const chat = parseToHost({ type: 'chat/send', text });
        assert.deepEqual(chat, { type: 'chat/send', text });
        const update = { type: 'settings/update', settings: { resumption, compression: { enabled: true, triggerTokens: trigger, compressionRatio: 0.5, useSlidingWindow: true } } };
        assert.deepEqual(parseToHost(update), update);
      }),
    );
  });
});
