import assert from 'node:assert/strict';
import type { Conversation } from '../../../src/extension/history/conversationHistory';
import { answerMarkdown, conversationToMarkdown, escapeMarkdown, fenceFor, formatTimestamp } from '../../../src/extension/history/historyMarkdown';

const at = Date.UTC(2026, 0, 2, 3, 4, 5);

function conversation(): Conversation {
  return {
    id: 'conv-1',
    startedAt: at,
    updatedAt: at + 60_000,
    backend: 'emulator',
    model: 'gemini-live-2.5-flash-preview',
    entries: [
      { turn: 1, role: 'user', text: '# not a heading\n<script>alert(1)</script>', at, sessionId: 's1', connection: 1 },
      {
        turn: 1,
        role: 'model',
        text: 'Sure: *bold*',
        at: at + 1_000,
        sessionId: 's1',
        connection: 2,
        toolCalls: [{ callId: 'fc-1', name: 'open_file', args: { path: 'a.ts' }, status: 'ok', output: { text: 'has ``` inside' } }],
      },
      { turn: 0, role: 'system', text: 'Context sent: a.ts lines 1–2 (10 chars)', at: at + 2_000, connection: 2, kind: 'context' },
    ],
  };
}

describe('history as Markdown', () => {
  it('has a title, timestamps, roles, session and connection ids, in order', () => {
    const md = conversationToMarkdown(conversation());
    assert.match(md, /^# \\# not a heading\n/);
    assert.match(md, /_Started 2026-01-02T03:04:05Z · last activity 2026-01-02T03:05:05Z · gemini-live-2\.5-flash-preview on emulator · conversation conv-1_/);
    assert.match(md, /### Turn 1 · You · 2026-01-02T03:04:05Z · session s1, connection 1/);
    assert.match(md, /### Turn 1 · Gemini · 2026-01-02T03:04:06Z · session s1, connection 2/);
    assert.match(md, /### Context sent · 2026-01-02T03:04:07Z · connection 2/);
    assert.ok(md.indexOf('You ·') < md.indexOf('Gemini ·'));
  });

  it('escapes what the user said so nothing renders as a heading, HTML or emphasis', () => {
    const md = conversationToMarkdown(conversation());
    assert.ok(md.includes('\\# not a heading\n&lt;script>alert(1)&lt;/script>'));
    assert.equal(escapeMarkdown('> quote\n- item\n1. one\n```'), '\\> quote\n\\- item\n1\\. one\n\\`\\`\\`');
  });

  it('keeps an answer as Markdown: fences stay fences with their code verbatim', () => {
    const answer = 'Try this:\n\n```ts\nconst html = `<b>${x}</b>`;\nif (a < b) {}\n```\n\nand *then* `a < b` or <img src=x onerror=alert(1)>.\n# Big heading\n~~~\n# not a heading in code\n~~~';
    const c = conversation();
    const md = conversationToMarkdown({ ...c, entries: [{ ...c.entries[1]!, text: answer, toolCalls: [] }] });
    assert.ok(md.includes('```ts\nconst html = `<b>${x}</b>`;\nif (a < b) {}\n```'), 'the fenced block, verbatim');
    assert.ok(md.includes('and *then* `a < b` or &lt;img src=x onerror=alert(1)>.'), 'Markdown kept, HTML outside code escaped');
    assert.ok(md.includes('\n#### Big heading\n'), 'below the turn heading');
    assert.ok(md.includes('~~~\n# not a heading in code\n~~~'));
  });

  it('closes a fence an answer left open, so the next turn stays outside it', () => {
    assert.equal(answerMarkdown('cut off:\n````py\nprint(1)\n```'), 'cut off:\n````py\nprint(1)\n```\n````');
    assert.equal(answerMarkdown('```\nx\n```'), '```\nx\n```');
    assert.equal(answerMarkdown('a `` ` `` b <i>'), 'a `` ` `` b &lt;i>');
  });

  it('writes tool calls as fenced JSON that content cannot close', () => {
    const md = conversationToMarkdown(conversation());
    assert.match(md, /\*\*Tool call\*\* `open_file` — ok \(id fc-1\)/);
    const block = /(`{4,})json\n([\s\S]*?)\n\1/.exec(md);
    assert.ok(block, 'a fenced json block with a fence longer than the content\'s backticks');
    assert.deepEqual(JSON.parse(block[2]!), { name: 'open_file', args: { path: 'a.ts' }, result: { text: 'has ``` inside' } });
    assert.equal(fenceFor('no ticks'), '```');
    assert.equal(fenceFor('a ```` b'), '`````');
  });

  it('formats times in UTC without milliseconds', () => {
    assert.equal(formatTimestamp(at + 123), '2026-01-02T03:04:05Z');
  });

  it('says when a conversation has no turns', () => {
    assert.match(conversationToMarkdown({ ...conversation(), entries: [] }), /_No turns yet\._/);
  });
});
