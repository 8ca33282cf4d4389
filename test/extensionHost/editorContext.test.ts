import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/constants';
import type { EmulatorEvent } from '../../src/emulator/emulatorEvent';
import { activateExtension, disconnect, waitFor } from './support';

describe('editor as context', function () {
  this.timeout(60_000);

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await disconnect(await activateExtension());
  });

  it('Ask About Selection sends the selection, bounded, with path and language, and the panel shows what was sent', async () => {
    const api = await activateExtension();
    assert.equal(await api.session.connect(), true);
    const events: EmulatorEvent[] = [];
    const sub = api.session.emulator!.onDidEvent((e) => events.push(e));
    try {
      const body = Array.from({ length: 3_000 }, (_, i) => `const value${i} = ${i}; // line ${i + 1}`).join('\n');
      const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: body });
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(new vscode.Position(0, 0), doc.lineAt(doc.lineCount - 1).range.end);
      await vscode.commands.executeCommand(Commands.askAboutSelection, 'What does this code do?');
      await waitFor('the context turn at the emulator', () => events.some((e) => e.type === 'userTurn' && e.text.startsWith('File: ')), 20_000);
      const turn = events.find((e): e is Extract<EmulatorEvent, { type: 'userTurn' }> => e.type === 'userTurn' && e.text.startsWith('File: '))!;
      const max = api.settings.current.context.maxChars;
      assert.ok(turn.text.length < max + 1_000, `bounded: ${turn.text.length} chars`);
      assert.match(turn.text, /^File: Untitled-\d+ \(typescript\), lines 1–3000:\n\n```typescript\nconst value0 = 0;/);
      assert.match(turn.text, /\[Truncated: only the first 20000 of \d+ characters are included\.\]/);
      assert.match(turn.text, /What does this code do\?$/);
      const marker = api.session.transcriptEntries().find((e) => e.markers.includes('context'));
      assert.ok(marker, 'a context marker entry in the transcript');
      assert.match(marker.text, /^Context sent: Untitled-\d+ lines 1–3000 \(20000 chars, truncated from \d+\)$/);
      await waitFor('the answer', () => events.some((e) => e.type === 'turnAnswered' && e.userText === turn.text), 20_000);
    } finally {
      sub.dispose();
    }
  });
});
