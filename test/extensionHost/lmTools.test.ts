/**
 * The tools VS Code gathers in `vscode.lm.tools`, offered to Gemini and called through the
 * emulator's scripted calls (`call tool NAME {args}`): the fixture extension's two tools
 * (test/fixtures/lm-tool-extension, loaded beside MoonTalk by e2e spec 06) and the tools of a
 * real MCP server (@modelcontextprotocol/server-everything over stdio, configured in the
 * workspace's .vscode/mcp.json by the spec's runner).
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EmulatorEvent } from '../../src/emulator/emulatorEvent';
import type { PanelHost } from '../../src/extension/panelHost';
import type { MoonTalkTestApi } from '../../src/extension/testApi';
import { activateExtension, connectRecordingEmulator, endToolSession, modelAnswers, openReadyPanel, type Recording, waitFor } from './support';

interface FixtureSeen {
  invocations: Array<{ tool: string; input: Record<string, unknown> }>;
  cancelled: number;
}

/** The listener the webview's postMessage reaches (private; called as VS Code would), as the panel's buttons post. */
function deliver(host: PanelHost, raw: unknown): Promise<void> {
  return (host as unknown as { onMessage(raw: unknown): Promise<void> }).onMessage(raw);
}

const COUNT_WORDS = 'moontalkFixture_countWords';
const WAIT = 'moontalkFixture_waitUntilCancelled';

describe('language-model and MCP tools', function () {
  this.timeout(90_000);
  let api: MoonTalkTestApi;
  let events: EmulatorEvent[] = [];
  let recording: Recording<EmulatorEvent> | undefined;
  const config = () => vscode.workspace.getConfiguration('moontalk');

  const answers = () => modelAnswers(events);
  function toolCalls(): Array<Extract<EmulatorEvent, { type: 'toolCallSent' }>> {
    return events.filter((e): e is Extract<EmulatorEvent, { type: 'toolCallSent' }> => e.type === 'toolCallSent');
  }
  /** The function names the next setup declares. */
  function declaredNames(): string[] {
    const tools = (api.tools.declarations() ?? []) as unknown as Array<{ functionDeclarations?: Array<{ name: string }> }>;
    return tools.flatMap((t) => t.functionDeclarations ?? []).map((d) => d.name);
  }
  function declaration(name: string): { name: string; parameters?: Record<string, unknown>; behavior?: string } | undefined {
    const tools = (api.tools.declarations() ?? []) as unknown as Array<{ functionDeclarations?: Array<{ name: string; parameters?: Record<string, unknown>; behavior?: string }> }>;
    return tools.flatMap((t) => t.functionDeclarations ?? []).find((d) => d.name === name);
  }
  const seen = async () => (await vscode.commands.executeCommand<FixtureSeen>('moontalkFixture.seen'))!;
  /** The MCP server's `echo` tool as the registry names it (VS Code prefixes the server). */
  const mcpEcho = () => vscode.lm.tools.find((t) => t.tags.includes('mcp') && /echo$/.test(t.name));

  before(async () => {
    api = await activateExtension();
    // Everything in the registry is offered; the ones not tagged read-only ask first.
    await config().update('tools.languageModelTools', 'all', vscode.ConfigurationTarget.Global);
    await config().update('tools.languageModelToolsAllowed', [], vscode.ConfigurationTarget.Global);
    await waitFor('the settings to apply', () => api.settings.current.tools.languageModelTools === 'all');
  });

  after(async () => {
    await config().update('tools.languageModelTools', undefined, vscode.ConfigurationTarget.Global);
    await config().update('tools.languageModelToolsAllowed', undefined, vscode.ConfigurationTarget.Global);
  });

  beforeEach(() => {
    events = [];
  });

  afterEach(async () => {
    recording?.dispose();
    await endToolSession(api);
  });

  async function connect(): Promise<void> {
    recording = await connectRecordingEmulator(api);
    events = recording.values;
  }

  it("the fixture extension's tools are in VS Code's registry and declared: names kept, schemas converted, NON_BLOCKING on 3.8", async () => {
    await waitFor('the fixture tools in vscode.lm.tools', () => [COUNT_WORDS, WAIT].every((n) => vscode.lm.tools.some((t) => t.name === n)), 30_000);
    assert.deepEqual([...vscode.lm.tools.find((t) => t.name === COUNT_WORDS)!.tags], ['read-only']);
    const names = declaredNames();
    assert.ok(names.includes('open_file') && names.includes(COUNT_WORDS) && names.includes(WAIT), names.join(', '));
    const d = declaration(COUNT_WORDS)!;
    // additionalProperties (which the service refuses) is gone; the type is the service's enum name.
    assert.deepEqual(d.parameters, { type: 'OBJECT', properties: { text: { type: 'STRING', description: 'The text whose words to count' } }, required: ['text'] });
    assert.equal(d.behavior, api.settings.current.model.startsWith('gemini-3.8') ? 'NON_BLOCKING' : undefined);
  });

  it('a read-only tool runs without asking; the call and its arguments are in the transcript, the result reaches the model', async () => {
    await openReadyPanel(api);
    await connect();
    const before = (await seen()).invocations.length;
    await api.session.sendText(`call tool ${COUNT_WORDS} {"text":"one two three four"}`);
    await waitFor('the model to speak about the result', () => answers().some((a) => a.includes(COUNT_WORDS) && a.includes('4 words')), 20_000);
    assert.equal(api.tools.confirmations().length, 0, 'no question for a read-only tool');
    const after = await seen();
    assert.deepEqual(after.invocations.slice(before), [{ tool: 'countWords', input: { text: 'one two three four' } }]);
    const line = api.session.transcriptEntries().find((e) => e.markers.includes('tool') && e.text.includes(COUNT_WORDS));
    assert.ok(line, 'a transcript line for the call');
    assert.match(line.text, /one two three four/);
    assert.match(line.text, /4 words/);
  });

  it('turning on confirmReadOnly mid-session: the next call of a read-only tool asks, without a new setup', async () => {
    await openReadyPanel(api);
    await connect();
    try {
      await config().update('tools.confirmReadOnly', true, vscode.ConfigurationTarget.Global);
      await waitFor('the setting to apply', () => api.settings.current.tools.confirmReadOnly);
      const before = (await seen()).invocations.length;
      await api.session.sendText(`call tool ${COUNT_WORDS} {"text":"five six"}`);
      await waitFor('the question', () => api.tools.confirmations().length === 1, 20_000);
      assert.match(api.tools.confirmations()[0]!.title, new RegExp(COUNT_WORDS));
      assert.equal((await seen()).invocations.length, before, 'nothing runs before the answer');
    } finally {
      await config().update('tools.confirmReadOnly', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a tool that may change something asks first; cancelling the call stops it through its CancellationToken', async () => {
    await openReadyPanel(api);
    await connect();
    const before = await seen();
    await api.session.sendText(`call tool ${WAIT} {"seconds":60}`);
    await waitFor('the question', () => api.tools.confirmations().length === 1, 20_000);
    const question = api.tools.confirmations()[0]!;
    assert.equal(question.alwaysAllow, true, 'tools of other extensions can be allowed for good');
    assert.match(question.title, new RegExp(WAIT));
    assert.match(question.detail, /"seconds": 60/);
    assert.equal((await seen()).invocations.length, before.invocations.length, 'nothing runs before the answer');
    assert.ok(api.tools.answer(question.id, true));
    const toolLines = () => api.session.transcriptEntries().filter((e) => e.markers.includes('tool')).map((e) => e.text).join(' | ');
    for (let i = 0; i < 200 && (await seen()).invocations.length === before.invocations.length; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal((await seen()).invocations.length, before.invocations.length + 1, `the tool was invoked after Allow; transcript: ${toolLines()}`);
    assert.match(toolLines(), new RegExp(`${WAIT}.*running`));
    // The model withdraws the call (the user said stop): the token fires, the tool stops, nothing is answered.
    const started = Date.now();
    assert.ok(api.session.emulator!.cancelToolCall(toolCalls()[0]!.id));
    const stopped = async () => (await seen()).cancelled > before.cancelled;
    for (let i = 0; i < 200 && !(await stopped()); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(await stopped(), `the tool saw its cancellation; transcript: ${toolLines()}; emulator: ${events.map((e) => e.type).join(', ')}`);
    assert.ok(Date.now() - started < 10_000, 'long before its 60 s');
    await waitFor('the transcript to say cancelled', () => api.session.transcriptEntries().some((e) => e.markers.includes('tool') && e.text.includes(WAIT) && /cancel/i.test(e.text)), 10_000);
    assert.equal(events.filter((e) => e.type === 'clientMessage' && e.kind === 'toolResponse').length, 0, 'no response to a cancelled call');
  });

  it('an MCP server configured in .vscode/mcp.json: its tools reach the registry, are declared at the next handoff, asked for, "Always allow"ed and answer', async function () {
    const host = await openReadyPanel(api);
    await connect();
    // The server is not started yet (chat.mcp.autostart "never", a fresh profile has no cached tools).
    const startedBefore = mcpEcho() !== undefined;
    const connectionBefore = api.session.sessionView.connection;
    // Start the configured servers, as the MCP view's Start does, and wait for their tools (bounded).
    const start = Promise.resolve(vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true }));
    await Promise.race([start, new Promise((r) => setTimeout(r, 45_000))]);
    await waitFor("the MCP server's tools in vscode.lm.tools", () => mcpEcho() !== undefined, 30_000);
    const echo = mcpEcho()!;
    console.log(`[lm-tools spec] registry: ${vscode.lm.tools.map((t) => `${t.name} [${t.tags.join(',')}]`).join('; ')}`);
    assert.ok(echo.inputSchema, 'an input schema');
    const fn = declaredNames().find((n) => n === echo.name || n.startsWith(echo.name.replace(/[^A-Za-z0-9_.:-]+/g, '_')));
    assert.ok(fn, `declared: ${declaredNames().join(', ')}`);
    assert.equal((declaration(fn)!.parameters as { type?: string } | undefined)?.type, 'OBJECT');
    assert.ok(!JSON.stringify(declaration(fn)).includes('$schema'), 'the JSON Schema keywords the service refuses are dropped');

    if (!startedBefore) {
      // The live connection was set up before the tool existed: the emulator, like the service,
      // calls only declared functions, so the request is just echoed …
      await api.session.sendText(`call tool ${fn} {"message":"too early"}`);
      await waitFor('the echo of the request', () => answers().some((a) => a.startsWith('You said: call tool')), 20_000);
      assert.equal(toolCalls().length, 0);
    }
    // … and the next handoff's setup declares it.
    assert.ok(api.session.refresh());
    await waitFor('the handoff to a new connection', () => api.session.sessionView.connection > connectionBefore && api.session.state.kind === 'connected', 20_000);
    await api.session.sendText(`call tool ${fn} {"message":"hello from MoonTalk"}`);
    await waitFor('the question', () => api.tools.confirmations().length === 1, 20_000);
    const question = api.tools.confirmations()[0]!;
    assert.match(question.detail, /hello from MoonTalk/);
    assert.equal(question.alwaysAllow, true);
    // The panel's Always Allow button: the message the webview posts, through the host's guard.
    await deliver(host, { type: 'tools/confirm', id: question.id, allow: true, always: true });
    assert.equal(api.tools.confirmations().length, 0, 'answered');
    await waitFor('the echo to reach the model', () => answers().some((a) => a.includes('Echo: hello from MoonTalk')), 30_000);
    await waitFor('the allow-list to hold the tool', () => api.settings.current.tools.languageModelToolsAllowed.includes(echo.name), 10_000);
    // Allowed for good: the next call runs without a question.
    await api.session.sendText(`call tool ${fn} {"message":"second"}`);
    await waitFor('the second echo', () => answers().some((a) => a.includes('Echo: second')), 30_000);
    assert.equal(api.tools.confirmations().length, 0);
  });
});
