import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { systemClock } from '../../src/common/clock';
import { nullLogger } from '../../src/common/logger';
import { Redactor } from '../../src/common/redact';
import { Commands } from '../../src/extension/constants';
import { HistoryStore } from '../../src/extension/history/historyStore';
import { activateExtension, disconnect, waitFor } from './support';

describe('conversation history', function () {
  this.timeout(60_000);

  afterEach(async () => {
    await disconnect(await activateExtension());
  });

  it('persists turns per workspace, reads them back in a new store, and exports Markdown', async () => {
    const api = await activateExtension();
    const text = `History test ${Date.now()}: remember the colour teal.`;
    await api.session.sendText(text);
    await waitFor('the answer', () => api.session.transcriptEntries().some((e) => e.role === 'model' && !e.partial && e.turn > 0 && e.text.length > 0 && api.session.transcriptEntries().some((u) => u.text === text && u.turn === e.turn)), 20_000);
    await api.history.flush();
    const current = api.history.currentOrLatest();
    assert.ok(current, 'a conversation is recorded');
    assert.ok(current.entries.some((e) => e.role === 'user' && e.text === text && e.connection >= 1 && e.sessionId));
    assert.ok(current.entries.some((e) => e.role === 'model' && e.text.length > 0));
    assert.ok(!JSON.stringify(current).includes('auth_tokens/'), 'no token name in the history');

    const target = vscode.Uri.joinPath(vscode.Uri.file(os.tmpdir()), `moontalk-export-${Date.now()}.md`);
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.exportConversation, current.id, target);
    assert.equal(written?.toString(), target.toString());
    const markdown = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    assert.match(markdown, /^# .+\n\n_Started \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ · /);
    assert.ok(markdown.includes(text), 'the turn text is in the export');
    assert.match(markdown, /### Turn \d+ · You · \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ · session \w+, connection \d+/);
    assert.match(markdown, /### Turn \d+ · Gemini · /);
    await vscode.workspace.fs.delete(target);
  });

  it('a new store over the same folder reads the saved history back (what a reload sees)', async () => {
    const dir = vscode.Uri.joinPath(vscode.Uri.file(os.tmpdir()), `moontalk-history-${Date.now()}`);
    const redactor = new Redactor();
    redactor.addSecret('AIzaSECRET-should-never-be-written-0123456789');
    const a = new HistoryStore({ dir, clock: systemClock, logger: nullLogger, redactor, newId: () => 'fixed', saveDelayMs: 10 });
    const ids = a.recorder.start('emulator', 'm');
    a.recorder.apply({ type: 'connected', resumed: false, connection: 1 });
    a.recorder.apply({ type: 'turnSent', turn: 1, text: 'my key is AIzaSECRET-should-never-be-written-0123456789' });
    await a.flush();
    a.dispose();
    const raw = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, 'conversation-history.json')));
    assert.ok(!raw.includes('AIzaSECRET'), 'secrets are redacted before writing');
    const b = new HistoryStore({ dir, clock: systemClock, logger: nullLogger, redactor, newId: () => 'other', saveDelayMs: 10 });
    await b.ready();
    assert.equal(b.list()[0]?.id, ids.conversationId);
    const md = b.markdown(ids.conversationId) ?? '';
    assert.match(md, /my key is /);
    assert.ok(!md.includes('AIzaSECRET'));
    await b.clear();
    assert.equal(b.list().length, 0);
    b.dispose();
    await vscode.workspace.fs.delete(dir, { recursive: true });
  });
});
