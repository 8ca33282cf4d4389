/**
 * Usage errors exit 2 at once, before any connection; a state file that cannot be
 * used is one of them; and a toolCall reaching the CLI (which serves no tools) is
 * answered at once. The CLI runs as a child process; a loopback server stands where
 * it would connect and counts every TCP connection it gets.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { NO_TOOLS_ERROR } from '../../src/cli/toolCallRefusal';
import { CLI, runCli, type CliRun } from './helpers/runCli';

const KEY = 'AIzaCLIusage-fake-key-7c6b5a4d3e2f1098';

interface FakeLive {
  baseUrl: string;
  /** TCP connections accepted, whatever they asked. */
  connections: number;
  frames: any[];
  stop(): Promise<void>;
}

/**
 * A Live endpoint that answers setup with setupComplete. With `toolCalls`, a user turn
 * gets a toolCall; a toolResponse then gets a text answer and turnComplete.
 */
async function startFakeLive(toolCalls = false): Promise<FakeLive> {
  const frames: any[] = [];
  const sockets = new Set<WebSocket>();
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        frames.push(frame);
        if (frame.setup) ws.send(JSON.stringify({ setupComplete: {} }));
        const userTurn = frame.clientContent?.turnComplete === true || typeof frame.realtimeInput?.text === 'string';
        if (toolCalls && userTurn) {
          ws.send(JSON.stringify({ toolCall: { functionCalls: [{ id: 'call-1', name: 'open_file', args: { path: 'x.ts' } }, { id: 'call-2', name: 'run_command', args: { command: 'rm' } }] } }));
        }
        if (toolCalls && frame.toolResponse) {
          ws.send(JSON.stringify({ serverContent: { modelTurn: { parts: [{ text: 'No tools here, fine.' }] } } }));
          ws.send(JSON.stringify({ serverContent: { generationComplete: true } }));
          ws.send(JSON.stringify({ serverContent: { turnComplete: true } }));
        }
      });
    });
  });
  const state: FakeLive = { baseUrl: '', connections: 0, frames, stop: async () => undefined };
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.stop = async () => {
    for (const s of sockets) s.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

function assertUsageError(run: CliRun, message: RegExp, server: FakeLive): void {
  assert.equal(run.code, 2, `exit ${run.code}\nstderr:\n${run.stderr}`);
  assert.match(run.stderr, message);
  assert.equal(run.stdout, '', 'nothing on stdout: no session started');
  assert.equal(server.connections, 0, 'the CLI connected before refusing its flags');
}

describe('moontalk-live chat: usage errors before any connection', function () {
  this.timeout(30_000);
  let server: FakeLive;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'moontalk-cli-usage-'));
  const env = { GEMINI_API_KEY: KEY };

  before(function () {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "node esbuild.mjs" first (npm test does)`);
  });
  beforeEach(async () => {
    server = await startFakeLive();
  });
  afterEach(async () => server.stop());

  it('refuses a --base-url scheme other than http, https, ws or wss', async () => {
    const port = new URL(server.baseUrl).port;
    for (const url of [`ftp://127.0.0.1:${port}`, `file:///tmp/x`, `javascript:alert(1)`]) {
      const run = await runCli(['chat', '--base-url', url], { stdin: ['hi'], env, timeoutMs: 10_000 });
      assertUsageError(run, /--base-url must be an http, https, ws or wss URL/, server);
    }
  });

  it("refuses a compression trigger beyond the model's context window", async () => {
    const run = await runCli(['chat', '--base-url', server.baseUrl, '--compression-trigger', '5000000'], { stdin: ['hi'], env, timeoutMs: 10_000 });
    assertUsageError(run, /--compression-trigger 5000000 is beyond the context window of \S+ \(\d+ tokens\)/, server);
  });

  it('refuses a plain-http non-loopback --broker-url without --allow-insecure-broker', async () => {
    const run = await runCli(['chat', '--base-url', server.baseUrl, '--broker-url', 'http://broker.invalid:8080'], {
      stdin: ['hi'],
      env: { MOONTALK_BROKER_TOKEN: 'mtb_client-credential-for-the-usage-test' },
      timeoutMs: 10_000,
    });
    assertUsageError(run, /refusing plain http to a non-loopback host.*--allow-insecure-broker/, server);
    assert.ok(!run.stderr.includes('mtb_client-credential-for-the-usage-test'));
  });

  it('refuses a --state-file whose folder cannot be written, before connecting', async () => {
    const run = await runCli(['chat', '--base-url', server.baseUrl, '--state-file', path.join(tmp, 'no-such-folder', 'state.json')], { stdin: ['hi'], env, timeoutMs: 10_000 });
    assertUsageError(run, /Cannot write the state file .*no-such-folder/, server);
  });

  it('token create --save to a folder that cannot be written: exit 2 before minting', async () => {
    const run = await runCli(['token', 'create', '--base-url', server.baseUrl, '--save', path.join(tmp, 'no-such-folder', 'token.json')], { env, timeoutMs: 10_000 });
    assertUsageError(run, /Cannot write --save .*no-such-folder/, server);
  });

  it('refuses a state file with a null turn text at once (it used to hang), naming the file and the field', async () => {
    const file = path.join(tmp, 'null-text.json');
    writeFileSync(
      file,
      JSON.stringify({ version: 1, model: 'gemini-3.8-live', ledger: { coveredThrough: 0, nextTurn: 2, turns: [{ turn: 1, origin: 'text', userText: null, answer: '', status: 'sent' }] } }),
    );
    const started = Date.now();
    const run = await runCli(['chat', '--base-url', server.baseUrl, '--state-file', file], { stdin: ['hi'], env, timeoutMs: 10_000 });
    assertUsageError(run, /state file .*null-text\.json.*ledger\.turns\.0\.userText/, server);
    assert.ok(Date.now() - started < 8_000);
  });
});

describe('moontalk-live chat: a toolCall is answered at once', function () {
  this.timeout(30_000);

  it('answers every call with an error functionResponse on its connection, prints it, and finishes the turn', async () => {
    const server = await startFakeLive(true);
    try {
      const run = await runCli(['chat', '--base-url', server.baseUrl, '--text', '--no-resume'], { stdin: ['please open x.ts'], env: { GEMINI_API_KEY: KEY }, timeoutMs: 15_000 });
      assert.equal(run.code, 0, `exit ${run.code}\nstderr:\n${run.stderr}`);
      const responses = server.frames.filter((f) => f.toolResponse);
      assert.equal(responses.length, 1, 'one toolResponse for one toolCall');
      assert.deepEqual(responses[0].toolResponse.functionResponses, [
        { id: 'call-1', name: 'open_file', response: { error: NO_TOOLS_ERROR } },
        { id: 'call-2', name: 'run_command', response: { error: NO_TOOLS_ERROR } },
      ]);
      const types = run.lines.map((l) => l.type);
      assert.ok(types.indexOf('toolCall') >= 0 && types.indexOf('toolCall') < types.indexOf('toolResponse'), types.join(','));
      const printed = run.lines.find((l) => l.type === 'toolResponse')!;
      assert.deepEqual(printed['responses'], [
        { id: 'call-1', name: 'open_file', error: NO_TOOLS_ERROR },
        { id: 'call-2', name: 'run_command', error: NO_TOOLS_ERROR },
      ]);
      assert.equal(printed['connection'], 1);
      assert.ok(run.lines.some((l) => l.type === 'turnComplete' && l.turn === 1));
      assert.ok(run.lines.some((l) => l.type === 'text' && String(l.text).includes('No tools here')));
    } finally {
      await server.stop();
    }
  });
});

describe('moontalk-live chat: a link that never answers a turn', function () {
  this.timeout(30_000);

  it('reconnects and resends after --response-timeout-s of silence, then gives up with a clear error (exit 1), never hangs', async () => {
    // Answers setup, never a turn (the probe's "accepts setup, answers pings, never answers").
    const server = await startFakeLive();
    try {
      const started = Date.now();
      const run = await runCli(['chat', '--base-url', server.baseUrl, '--text', '--response-timeout-s', '1'], { stdin: ['are you there?'], env: { GEMINI_API_KEY: KEY }, timeoutMs: 20_000 });
      assert.equal(run.code, 1, `exit ${run.code}\nstderr:\n${run.stderr}`);
      assert.ok(Date.now() - started < 15_000, 'bounded: two silences of about a second, one reconnect');
      const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.ok(lines.some((l) => l.type === 'reconnecting'), 'the first silence reconnects');
      const error = lines.find((l) => l.type === 'error' && l.fatal);
      assert.match(error?.message ?? '', /no answer/i);
      const sent = server.frames.filter((f) => f.clientContent?.turnComplete === true);
      assert.equal(sent.length, 2, 'the turn was sent again after the reconnect, once');
    } finally {
      await server.stop();
    }
  });

  it('refuses a --response-timeout-s that is not a whole number of seconds', async () => {
    const server = await startFakeLive();
    try {
      const run = await runCli(['chat', '--base-url', server.baseUrl, '--response-timeout-s', 'soon'], { stdin: ['hi'], env: { GEMINI_API_KEY: KEY }, timeoutMs: 10_000 });
      assertUsageError(run, /--response-timeout-s must be a whole number of seconds/, server);
    } finally {
      await server.stop();
    }
  });
});
