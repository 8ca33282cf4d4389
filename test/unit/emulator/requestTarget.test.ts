import assert from 'node:assert/strict';
import { classifyEndpoint, parseRequestTarget } from '../../../src/emulator/requestTarget';

describe('emulator request target', () => {
  it('reads the SDK double-slash path by hand', () => {
    const t = parseRequestTarget('//ws/google.ai.generativelanguage.v1.GenerativeService.BidiGenerateContent?key=AIzaXYZ');
    assert.equal(t.path, '/ws/google.ai.generativelanguage.v1.GenerativeService.BidiGenerateContent');
    assert.equal(t.query.get('key'), 'AIzaXYZ');
    assert.deepEqual(classifyEndpoint(t.path), { kind: 'liveKey', apiVersion: 'v1' });
  });

  it('decodes an access token with or without an encoded slash', () => {
    const path = '/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained';
    assert.equal(parseRequestTarget(`${path}?access_token=auth_tokens/abc`).query.get('access_token'), 'auth_tokens/abc');
    assert.equal(parseRequestTarget(`${path}?access_token=auth_tokens%2Fabc`).query.get('access_token'), 'auth_tokens/abc');
    assert.deepEqual(classifyEndpoint(path), { kind: 'liveToken' });
  });

  it('knows the token REST path and nothing else', () => {
    assert.deepEqual(classifyEndpoint('/v1alpha/auth_tokens'), { kind: 'authTokens' });
    assert.equal(classifyEndpoint('/v1beta/auth_tokens'), undefined);
    assert.equal(classifyEndpoint('/ws/google.ai.generativelanguage.v2.GenerativeService.BidiGenerateContent'), undefined);
    assert.equal(classifyEndpoint('/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContentConstrained'), undefined);
  });
});
