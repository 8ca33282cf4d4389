import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Redactor, maskTokenName, redactText, redactValue, secretTag } from '../../../src/common/redact';

const GOOGLE_KEY = 'AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW';

describe('redact', () => {
  it('removes Google API keys wherever they appear', () => {
    const out = redactText(`using ${GOOGLE_KEY} now`);
    assert.ok(!out.includes(GOOGLE_KEY.slice(4, 12)), out);
    assert.equal(out, `using <key:${secretTag(GOOGLE_KEY)}> now`);
  });

  it('removes registered secrets, also percent-encoded, longest first', () => {
    const out = redactText('a=s3cr3t/v@lue b=s3cr3t%2Fv%40lue c=s3cr3t', ['s3cr3t/v@lue', 's3cr3t']);
    assert.ok(!out.includes('s3cr3t'), out);
    assert.ok(!out.includes('v@lue') && !out.includes('v%40lue'), out);
    assert.equal(out.match(new RegExp(`<secret:${secretTag('s3cr3t/v@lue')}>`, 'g'))?.length, 2);
  });

  it('ignores registered values shorter than 4 characters', () => {
    const r = new Redactor();
    r.addSecret('abc');
    assert.equal(r.text('abc abc'), 'abc abc');
  });

  it('redacts key= and access_token= URL parameters', () => {
    assert.equal(redactText('wss://h/ws/x?key=plainkey123&alt=json'), 'wss://h/ws/x?key=<redacted>&alt=json');
    assert.equal(redactText('wss://h/ws/y?a=1&access_token=auth_tokens/abcdefgh'), 'wss://h/ws/y?a=1&access_token=<redacted>');
  });

  it('redacts Bearer credentials', () => {
    assert.equal(redactText('Authorization: Bearer abc.def-ghi, next'), 'Authorization: Bearer <redacted>, next');
    assert.equal(redactText('bearer   xyz123'), 'bearer   <redacted>');
  });

  it('masks auth_tokens/… names to two characters at each end', () => {
    assert.equal(redactText('token auth_tokens/abcdefghijkl used'), 'token auth_tokens/ab…kl used');
    assert.equal(maskTokenName('auth_tokens/abcd'), 'auth_tokens/…');
    assert.equal(maskTokenName('zyxwvu'), 'auth_tokens/zy…vu');
  });

  it('redacts by key in nested objects and arrays, case-insensitively', () => {
    const input = { outer: { apiKey: 'k-123456', list: [{ Authorization: 'Basic zzz' }, { newHandle: 'h-abcdef' }] }, token: 42, fine: 'ok', handle: '' };
    const out = redactValue(input) as Record<string, any>;
    assert.equal(out.outer.apiKey, `<apiKey:${secretTag('k-123456')}>`);
    assert.equal(out.outer.list[0].Authorization, `<Authorization:${secretTag('Basic zzz')}>`);
    assert.equal(out.outer.list[1].newHandle, `<newHandle:${secretTag('h-abcdef')}>`);
    assert.equal(out.token, '<redacted>');
    assert.equal(out.fine, 'ok');
    assert.equal(out.handle, '', 'empty values stay (nothing to hide)');
    assert.equal(input.outer.apiKey, 'k-123456', 'the input is not changed');
  });

  it('summarises base64 audio data, keeps short data values', () => {
    const audio = 'A'.repeat(4_000);
    const out = redactValue({ realtimeInput: { audio: { data: audio, mimeType: 'audio/pcm;rate=16000' } }, small: { data: 'abc' } }) as any;
    assert.equal(out.realtimeInput.audio.data, '<base64 4000 chars>');
    assert.equal(out.realtimeInput.audio.mimeType, 'audio/pcm;rate=16000');
    assert.equal(out.small.data, 'abc');
  });

  it('summarises bytes, redacts Error messages and survives cycles', () => {
    const cyclic: Record<string, unknown> = { msg: `key ${GOOGLE_KEY}` };
    cyclic.self = cyclic;
    const out = redactValue({ bytes: new Uint8Array(12), err: new Error(`failed ?key=${GOOGLE_KEY}`), cyclic }) as any;
    assert.equal(out.bytes, '<12 bytes>');
    assert.equal(out.err.message, 'failed ?key=<redacted>');
    assert.equal(out.cyclic.self, '<cycle>');
    assert.ok(!JSON.stringify(out).includes(GOOGLE_KEY.slice(4)));
  });

  it('Redactor.value redacts registered secrets inside nested strings', () => {
    const r = new Redactor();
    r.addSecret('broker-credential-xyz');
    const out = JSON.stringify(r.value({ a: ['see broker-credential-xyz here'] }));
    assert.ok(!out.includes('broker-credential'), out);
  });

  describe('property: a registered secret never leaks a 5-character piece', () => {
    // The secret uses characters that appear nowhere else (upper case and a few symbols);
    // the text around it and the redaction markers use none of them, so any run of 5
    // secret characters in the output can only be a leak.
    const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ+/=._~-'.split('');
    const FILLER_CHARS = 'abcdefghijklmnopqrstuvwxyz ,:;!?()\n\té中😀'.split('');
    const secretArb = fc.array(fc.constantFrom(...SECRET_CHARS), { minLength: 8, maxLength: 40 }).map((a) => a.join(''));
    const fillerArb = fc.array(fc.constantFrom(...FILLER_CHARS), { maxLength: 30 }).map((a) => a.join(''));
    const contextArb = fc.constantFrom('', 'wss://h/ws?key=', 'url?x=1&access_token=', 'bearer ', '{"note":"', 'auth_tokens/', 'aiza');
    const pieces = (s: string) => Array.from({ length: s.length - 4 }, (_, i) => s.slice(i, i + 5));

    it('in text', () => {
      fc.assert(
        fc.property(secretArb, fc.array(fc.tuple(fillerArb, contextArb), { minLength: 1, maxLength: 4 }), fillerArb, (secret, parts, tail) => {
          const text = parts.map(([filler, ctx]) => `${filler}${ctx}${secret}`).join('') + tail;
          const r = new Redactor();
          r.addSecret(secret);
          const out = r.text(text);
          for (const p of pieces(secret)) assert.ok(!out.includes(p), `leaked ${JSON.stringify(p)} in ${JSON.stringify(out)}`);
        }),
        { numRuns: 300 },
      );
    });

    it('in nested values, serialised', () => {
      fc.assert(
        fc.property(secretArb, fillerArb, fillerArb, (secret, before, after) => {
          const r = new Redactor();
          r.addSecret(secret);
          const out = JSON.stringify(r.value({ message: `${before}${secret}${after}`, list: [`${encodeURIComponent(secret)}`, { deep: secret }] }));
          for (const p of pieces(secret)) assert.ok(!out.includes(p), `leaked ${JSON.stringify(p)} in ${out}`);
        }),
        { numRuns: 300 },
      );
    });
  });
});
