/**
 * Usage errors exit 2 at once, before any connection; a state file that cannot be
 * used is one of them; and a toolCall reaching the CLI (which serves no tools) is
 * answered at once. The CLI runs as a child process; a loopback server stands where
 * it would connect and counts every TCP connection it gets.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('checks --audio-in (missing, not a WAV) and --audio-out (no such folder) before connecting', async () => {
    writeFileSync(path.join(tmp, 'not-audio.wav'), 'hello, not a RIFF file');
    const cases: Array<[string[], RegExp]> = [
      [['--audio-in', path.join(tmp, 'missing.wav')], /--audio-in .*missing\.wav: cannot read it \(ENOENT\)/],
      [['--audio-in', path.join(tmp, 'not-audio.wav')], /--audio-in .*not-audio\.wav: not a WAV file/],
      [['--audio-out', path.join(tmp, 'no-such-folder', 'out.wav')], /--audio-out .*the folder .*no-such-folder does not exist/],
      [['--audio-out', tmp], /--audio-out .* is a folder/],
    ];
    for (const [flags, message] of cases) {
      const run = await runCli(['chat', '--base-url', server.baseUrl, ...flags], { stdin: ['hi'], env, timeoutMs: 10_000 });
      assertUsageError(run, message, server);
    }
  });

  it('suggests the flag meant by a mistyped one, and exits 2 before connecting', async () => {
    const run = await runCli(['chat', '--base-url', server.baseUrl, '--compresion-trigger', '9000'], { stdin: ['hi'], env, timeoutMs: 10_000 });
    assertUsageError(run, /unknown flag --compresion-trigger; did you mean --compression-trigger\?/, server);
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

describe('moontalk-live: --help, --version and "did you mean" (clig.dev)', function () {
  this.timeout(30_000);

  /** stdout here is text, not JSON Lines (runCli parses lines as JSON). No key in the environment. */
  function runRaw(args: string[], _opts: { timeoutMs: number }): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME }, encoding: 'utf8', timeout: _opts.timeoutMs, input: '' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('--help on the program and on every command: stdout, exit 0, nothing on stderr', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--help'], /^usage: moontalk-live <command>/],
      [['help'], /^usage: moontalk-live <command>/],
      [['chat', '--help'], /^usage: moontalk-live chat[\s\S]*--base-url URL[\s\S]*exit status/],
      [['chat', '--text', '-h'], /^usage: moontalk-live chat/],
      [['emulator', '--help'], /^usage: moontalk-live emulator[\s\S]*--quota-exhausted/],
      [['broker', '--help'], /^usage: moontalk-live broker/],
      [['broker', 'add-client', '--help'], /^usage: moontalk-live broker/],
      [['token', '--help'], /^usage: moontalk-live token create/],
      [['token', 'create', '--help'], /^usage: moontalk-live token create/],
      [['token', 'status', '--help'], /^usage: moontalk-live token create/],
      [['help', 'chat'], /^usage: moontalk-live chat/],
    ];
    for (const [args, usage] of cases) {
      const run = runRaw(args, { timeoutMs: 10_000 });
      assert.equal(run.code, 0, `${args.join(' ')}: exit ${run.code}\n${run.stderr}`);
      assert.match(run.stdout, usage, args.join(' '));
      assert.equal(run.stderr, '', `${args.join(' ')} wrote to stderr`);
    }
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = runRaw([flag], { timeoutMs: 10_000 });
      assert.equal(run.code, 0);
      assert.equal(run.stdout, `moontalk-live ${version}\n`);
    }
  });

  it('a mistyped command gets "did you mean", exit 2; an unrelated word gets the command list', async () => {
    const typo = runRaw(['chta'], { timeoutMs: 10_000 });
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown command "chta"; did you mean "chat"\?/);
    assert.equal(typo.stdout, '');
    const other = runRaw(['dance'], { timeoutMs: 10_000 });
    assert.equal(other.code, 2);
    assert.match(other.stderr, /unknown command "dance" \(commands: chat, emulator, broker, token/);
    const sub = runRaw(['token', 'crate'], { timeoutMs: 10_000 });
    assert.equal(sub.code, 2);
    assert.match(sub.stderr, /did you mean "create"\?/);
  });

  it('no command at all: the usage on stderr, exit 2', async () => {
    const run = runRaw([], { timeoutMs: 10_000 });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^usage: moontalk-live <command>/);
    assert.equal(run.stdout, '');
  });
});
