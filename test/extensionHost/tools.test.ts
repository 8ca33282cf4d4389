/**
 * The editor as tools, through the emulator's scripted tool calls (`call tool NAME
 * {args}`): confirm, reject, cancel, and a goAway handoff while the question is open.
 * The panel is open, so questions are inline; the test answers through the same
 * path as the panel's Allow / Deny buttons (ToolService.answer).
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EmulatorEvent } from '../../src/emulator/emulatorEvent';
import type { MoonTalkTestApi } from '../../src/extension/testApi';
import { activateExtension, connectRecordingEmulator, endToolSession, modelAnswers, openReadyPanel, type Recording, waitFor } from './support';

describe('editor as tools', function () {
  this.timeout(60_000);
  let api: MoonTalkTestApi;
  let events: EmulatorEvent[];
  let recording: Recording<EmulatorEvent> | undefined;
  let doc: vscode.TextDocument;

  const files: vscode.Uri[] = [];

  /** A real file in the workspace (untitled documents would ask to be saved when closed). */
  async function openDocAndPanel(content: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the extension-host suite runs with a workspace folder');
    const uri = vscode.Uri.joinPath(folder, '.moontalk-test', `tools-${Date.now()}-${files.length}.txt`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
    files.push(uri);
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const host = await openReadyPanel(api);
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    await waitFor('the panel to stay visible beside the editor', () => host.panel.visible);
  }

  function toolCalls(): Array<Extract<EmulatorEvent, { type: 'toolCallSent' }>> {
    return events.filter((e): e is Extract<EmulatorEvent, { type: 'toolCallSent' }> => e.type === 'toolCallSent');
  }

  function toolResponses(): Array<Extract<EmulatorEvent, { type: 'clientMessage' }>> {
    return events.filter((e): e is Extract<EmulatorEvent, { type: 'clientMessage' }> => e.type === 'clientMessage' && e.kind === 'toolResponse');
  }

  const answers = () => modelAnswers(events);

  beforeEach(async () => {
    api = await activateExtension();
    recording = await connectRecordingEmulator(api);
    events = recording.values;
  });

  afterEach(async () => {
    recording?.dispose();
    await endToolSession(api);
    for (const d of vscode.workspace.textDocuments) if (d.isDirty && files.some((f) => f.toString() === d.uri.toString())) await d.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of files.splice(0)) await Promise.resolve(vscode.workspace.fs.delete(f)).catch(() => undefined);
  });

  it('confirm: asks inline, runs insert_text once after Allow, and the result goes back to the model', async () => {
    await openDocAndPanel('first line\n');
    await api.session.sendText('call tool insert_text {"text":"inserted by Gemini"}');
    await waitFor('the question', () => api.tools.confirmations().length === 1, 20_000);
    const question = api.tools.confirmations()[0]!;
    assert.equal(question.id, toolCalls()[0]!.id);
    assert.match(question.title, /insert text into \.moontalk-test\/tools-\d+-\d+\.txt at line 2/);
    assert.equal(question.detail, 'inserted by Gemini');
    assert.equal(doc.getText(), 'first line\n', 'nothing changes before the answer');
    assert.ok(api.tools.answer(question.id, true));
    await waitFor('the model to get the result', () => answers().some((a) => a.startsWith('Tool insert_text returned {"result":')), 20_000);
    assert.equal(doc.getText(), 'first line\ninserted by Gemini');
    assert.equal(toolResponses().length, 1);
    assert.ok(api.session.transcriptEntries().some((e) => e.markers.includes('tool') && /Tool insert_text .*done/.test(e.text)));
  });

  it('reject: Deny sends a clear error and changes nothing', async () => {
    await openDocAndPanel('keep me\n');
    await api.session.sendText('call tool replace_selection {"text":"gone"}');
    // No selection: the executor would refuse; select something so the question is asked.
    await waitFor('the question or the refusal', () => api.tools.confirmations().length === 1 || answers().length > 0, 20_000);
    if (api.tools.confirmations().length === 1) api.tools.answer(api.tools.confirmations()[0]!.id, false);
    await waitFor('the error to reach the model', () => answers().some((a) => a.startsWith('Tool replace_selection returned {"error":')), 20_000);
    assert.equal(doc.getText(), 'keep me\n');
    assert.equal(toolResponses().length, 1);
  });

  it('reject: Deny of a run_command answers "declined" and runs nothing', async () => {
    await openDocAndPanel('x\n');
    await api.session.sendText('call tool run_command {"command":"workbench.action.files.save"}');
    await waitFor('the question', () => api.tools.confirmations().length === 1, 20_000);
    api.tools.answer(api.tools.confirmations()[0]!.id, false);
    await waitFor('the answer', () => answers().some((a) => a === 'Tool run_command returned {"error":"The user declined to run run_command."}'), 20_000);
  });

  it('read-only tools run without asking; paths outside the workspace are refused', async () => {
    await openDocAndPanel('x\n');
    await api.session.sendText('call tool open_file {"path":"../../etc/passwd"}');
    await waitFor('the refusal', () => answers().some((a) => a.startsWith('Tool open_file returned {"error":')), 20_000);
    assert.equal(api.tools.confirmations().length, 0, 'read-only: no question');
    assert.ok(/outside the workspace|No folder is open/.test(answers().at(-1)!), answers().at(-1));
  });

  it('tools turned off mid-session: a call of a tool the session declared is refused with the reason, without a question', async () => {
    await openDocAndPanel('x\n');
    const config = vscode.workspace.getConfiguration('moontalk');
    const before = config.inspect<boolean>('tools.enabled')?.globalValue;
    try {
      await config.update('tools.enabled', false, vscode.ConfigurationTarget.Global);
      await waitFor('the setting to apply', () => !api.settings.current.tools.enabled);
      await api.session.sendText('call tool insert_text {"text":"never"}');
      await waitFor('the refusal', () => answers().some((a) => a.startsWith('Tool insert_text returned {"error":') && a.includes('turned off')), 20_000);
      assert.equal(api.tools.confirmations().length, 0, 'nothing to ask: nothing would run');
      assert.equal(doc.getText(), 'x\n', 'the document is unchanged');
    } finally {
      await config.update('tools.enabled', before, vscode.ConfigurationTarget.Global);
    }
  });

  it('a symbolic link inside the workspace that leads outside is refused, without a question', async () => {
    await openDocAndPanel('x\n');
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const outsideDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mt-outside-'));
    const secret = path.join(outsideDir, 'secret.txt');
    await fs.writeFile(secret, 'private, outside the workspace');
    const link = path.join(folder, '.moontalk-test', `outside-link-${Date.now()}.txt`);
    await fs.symlink(secret, link);
    try {
      const relative = path.relative(folder, link).split(path.sep).join('/');
      await api.session.sendText(`call tool open_file {"path":"${relative}"}`);
      await waitFor('the refusal', () => answers().some((a) => a.startsWith('Tool open_file returned {"error":')), 20_000);
      assert.equal(api.tools.confirmations().length, 0, 'read-only: no question');
      assert.match(answers().at(-1)!, /symbolic link to a place outside the workspace/);
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === secret || d.uri.fsPath === link), 'the file outside was opened');
    } finally {
      await fs.rm(link, { force: true });
      await fs.rm(outsideDir, { recursive: true, force: true });
    }
  });

  it('cancel: toolCallCancellation dismisses the question and nothing runs', async () => {
    await openDocAndPanel('untouched\n');
    await api.session.sendText('call tool insert_text {"text":"never"}');
    await waitFor('the question', () => api.tools.confirmations().length === 1, 20_000);
    const id = api.tools.confirmations()[0]!.id;
    assert.ok(api.session.emulator!.cancelToolCall(id));
    await waitFor('the question to go away', () => api.tools.confirmations().length === 0);
    assert.equal(api.tools.answer(id, true), false, 'a cancelled question cannot be answered');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(doc.getText(), 'untouched\n');
    assert.equal(toolResponses().length, 0, 'no response to a cancelled call');
    assert.ok(api.session.transcriptEntries().some((e) => e.markers.includes('tool') && /cancelled by Gemini/.test(e.text)));
    // A cancellation means the user interrupted the turn: the core ends it, so the next turn
    // is answered at once, and the cancelled call is not asked again.
    await api.session.sendText('hello after the cancellation');
    await waitFor('the next answer', () => answers().some((a) => a === 'You said: hello after the cancellation'), 20_000);
    assert.equal(toolCalls().length, 1, 'the cancelled call was not repeated');
    assert.equal(doc.getText(), 'untouched\n');
  });

  it('read-only tools run directly: open_file of a workspace file returns its details', async () => {
    await openDocAndPanel('one\ntwo\n');
    const relative = vscode.workspace.asRelativePath(doc.uri, false);
    await api.session.sendText(`call tool reveal_line {"path":"${relative}","line":2}`);
    await waitFor('the result', () => answers().some((a) => a.startsWith('Tool reveal_line returned {"result":')), 20_000);
    assert.ok(answers().some((a) => a.includes('"text":"two"')), answers().join(' | '));
    assert.equal(api.tools.confirmations().length, 0);
  });

  it('the conversation goes on while a question is open (calls run in the background on 3.8)', async () => {
    await openDocAndPanel('first line\n');
    await api.session.sendText('call tool insert_text {"text":"later"}');
    await waitFor('the question', () => api.tools.confirmations().length === 1, 20_000);
    await api.session.sendText('meanwhile, hello');
    await waitFor('an answer while the question is open', () => answers().includes('You said: meanwhile, hello'), 20_000);
    assert.equal(api.tools.confirmations().length, 1, 'still asking');
    api.tools.answer(api.tools.confirmations()[0]!.id, true);
    await waitFor('the model to get the result', () => answers().some((a) => a.startsWith('Tool insert_text returned {"result":')), 20_000);
    assert.equal(doc.getText(), 'first line\nlater');
  });

  it('a goAway while the question is open: the switch waits until shortly before the deadline, the late Allow runs the tool once, and its result reaches the model on the new connection', async () => {
    await openDocAndPanel('before\n');
    await api.session.sendText('call tool insert_text {"text":"exactly once"}');
    await waitFor('the question', () => api.tools.confirmations().length === 1, 20_000);
    const call = toolCalls()[0]!;
    api.session.emulator!.goAwayAll(2_000);
    // The pending call holds the switch until the deadline timer; then the session resumes on the standby.
    const goAwayAt = Date.now();
    await waitFor('the switch', () => events.some((e) => e.type === 'setupAccepted' && e.connectionId !== call.connectionId && e.resumed), 20_000);
    assert.ok(Date.now() - goAwayAt >= 500, 'held for the pending call, not switched at once');
    assert.equal(api.tools.confirmations().length, 1, 'the question survives the switch, asked once');
    api.tools.answer(api.tools.confirmations()[0]!.id, true);
    // The new connection never saw the call id: the result goes as content, which the model answers.
    await waitFor('the result on the new connection', () => events.some((e) => e.type === 'userTurn' && e.connectionId !== call.connectionId && /Results of tools you called before the connection changed: insert_text/.test(e.text)), 20_000);
    assert.equal(doc.getText(), 'before\nexactly once', 'ran exactly once');
    assert.equal(toolCalls().length, 1, 'not asked again');
    assert.equal(toolResponses().length, 0, 'no toolResponse with a call id the new connection never saw');
  });

});
