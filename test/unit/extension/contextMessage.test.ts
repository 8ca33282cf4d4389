import assert from 'node:assert/strict';
import { formatContextMessage } from '../../../src/extension/editorContext/contextMessage';

const base = { path: 'src/a.ts', languageId: 'typescript', text: 'const a = 1;\n', startLine: 3, endLine: 4, wholeFile: false };

describe('editor context message', () => {
  it('names the path, language and lines, fences the code, and adds the question', () => {
    const m = formatContextMessage({ ...base, question: 'What does this do?' });
    assert.equal(m.message, 'File: src/a.ts (typescript), lines 3–4:\n\n```typescript\nconst a = 1;\n```\n\nWhat does this do?');
    assert.equal(m.summary, 'Context sent: src/a.ts lines 3–4 (13 chars)');
    assert.equal(m.truncated, false);
  });

  it('bounds the code and says it was cut', () => {
    const m = formatContextMessage({ ...base, text: 'x'.repeat(50), wholeFile: true, startLine: 1, endLine: 1 }, 20);
    assert.equal(m.codeChars, 20);
    assert.ok(m.truncated);
    assert.match(m.message, /\(whole file\)/);
    assert.match(m.message, /\[Truncated: only the first 20 of 50 characters are included\.\]/);
    assert.match(m.summary, /line 1 \(20 chars, truncated from 50\)/);
    assert.match(m.message, /Please look at this file\.$/);
  });

  it('uses a fence the code cannot close and never splits a surrogate pair', () => {
    const m = formatContextMessage({ ...base, text: 'a ``` b' });
    assert.match(m.message, /````typescript\na ``` b\n````/);
    const emoji = formatContextMessage({ ...base, text: 'ab😀cd' }, 3);
    assert.equal(emoji.codeChars, 2);
  });

  it('lists diagnostics, bounded', () => {
    const diagnostics = Array.from({ length: 22 }, (_, i) => ({ line: i + 1, severity: 'error' as const, message: `bad\nthing ${i}` }));
    const m = formatContextMessage({ ...base, diagnostics });
    assert.match(m.message, /Problems reported by the editor:\n- line 1 error: bad thing 0\n/);
    assert.match(m.message, /- … and 2 more/);
  });
});
