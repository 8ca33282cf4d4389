import assert from 'node:assert/strict';
import { formatAuditLine } from '../../../src/broker/formatAuditLine';
import { RedactingLogger } from '../../../src/common/logger';
import { Redactor } from '../../../src/common/redact';

describe('formatAuditLine', () => {
  it('writes who, model, expiry and uses, and only a masked token id', () => {
    const name = 'auth_tokens/Zq9xWholeTokenIdThatMustNeverBeLogged42';
    const line = formatAuditLine({
      event: 'tokenMinted',
      client: 'alice',
      model: 'models/gemini-live-2.5-flash-preview',
      expireTime: '2025-01-01T00:30:00.000Z',
      newSessionExpireTime: '2025-01-01T00:01:00.000Z',
      uses: 1,
      tokenName: name,
      clamped: [],
    });
    assert.ok(!line.includes(name.slice('auth_tokens/'.length)));
    const json = JSON.parse(line.replace(/^audit /, ''));
    assert.deepEqual(json, {
      event: 'tokenMinted',
      client: 'alice',
      model: 'models/gemini-live-2.5-flash-preview',
      expireTime: '2025-01-01T00:30:00.000Z',
      newSessionExpireTime: '2025-01-01T00:01:00.000Z',
      uses: 1,
      clamped: [],
      tokenId: 'Zq…42',
    });
    // And it survives the redacting logger unchanged.
    const lines: string[] = [];
    new RedactingLogger((_l, l) => lines.push(l), new Redactor()).info(line);
    assert.equal(lines[0], line);
  });
});
