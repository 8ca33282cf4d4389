/**
 * The CLI contract (../shared/CLI-CONTRACT.md), driven as a child process the way
 * outside tests drive it, against an emulator in this process so we can look inside.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeWavPcm16, floatToPcm16, parseWav } from '../../src/audio/wav';
import { LiveEmulator } from '../../src/emulator/liveEmulator';
import { CLI, leaks, runCli, type CliRun } from './helpers/runCli';

const KEY = 'AIzaCLI-contract-fake-key-9f8e7d6c5b4a3210';

function types(run: CliRun): string[] {
  return run.lines.map((l) => l.type);
}

function turnCompletes(run: CliRun, turn: number): number {
  return run.lines.filter((l) => l.type === 'turnComplete' && l.turn === turn).length;
}

function answer(run: CliRun, turn: number): string {
  let text = '';
  for (const l of run.lines) {
    if (l.type === 'turnRestarted' && l.turn === turn) text = '';
    if (l.type === 'text' && l.turn === turn) text += l.text as string;
  }
  return text;
}

describe('moontalk-live CLI contract', function () {
  this.timeout(40_000);
  let emulator: LiveEmulator;
  let baseUrl: string;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'moontalk-cli-'));

  before(async function () {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "node esbuild.mjs" first (npm test does)`);
    emulator = new LiveEmulator({ apiKey: KEY });
    ({ baseUrl } = await emulator.start());
  });
  after(async () => emulator.stop());

  it('works offline with no key and no --base-url, on the built-in emulator', async () => {
    const run = await runCli(['chat', '--text'], { stdin: ['hello'] });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /emulator/i);
    assert.deepEqual(
      types(run).filter((t) => ['connected', 'turnComplete', 'closed'].includes(t)),
      ['connected', 'turnComplete', 'closed'],
    );
    assert.equal(answer(run, 1), 'You said: hello');
    for (const l of run.lines) assert.ok(typeof l.type === 'string' && typeof l.t === 'number', JSON.stringify(l));
    // t counts from process start, so it never goes backwards.
    const ts = run.lines.map((l) => l.t);
    assert.deepEqual(ts, [...ts].sort((a, b) => a - b));
  });

  it('answers each stdin line as one turn, in order, skipping empty lines', async () => {
    const run = await runCli(['chat', '--text', '--base-url', baseUrl], { stdin: ['one', '', '   ', 'two', 'three'], env: { GEMINI_API_KEY: KEY } });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual([1, 2, 3].map((t) => answer(run, t)), ['You said: one', 'You said: two', 'You said: three']);
    // The next line is sent only after the previous turn's turnComplete.
    const sent = run.lines.filter((l) => l.type === 'turnSent' || l.type === 'turnComplete').map((l) => `${l.type}:${l.turn}`);
    assert.deepEqual(sent, ['turnSent:1', 'turnComplete:1', 'turnSent:2', 'turnComplete:2', 'turnSent:3', 'turnComplete:3']);
    // One usage per answered turn; 3.x models may also send a standalone usageMetadata (nothing counted yet) before the first turn.
    assert.equal(run.lines.filter((l) => l.type === 'usage' && (l.totalTokenCount as number) > 0).length, 3);
    assert.equal(run.lines.at(-1)!.type, 'closed');
  });

  it('exits 2 naming GEMINI_API_KEY when --base-url has no key', async () => {
    const run = await runCli(['chat', '--base-url', baseUrl], { stdin: ['hi'] });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /GEMINI_API_KEY/);
    assert.equal(run.stdout, '');
  });

  it('exits 2 on an unknown flag or a bad value', async () => {
    assert.equal((await runCli(['chat', '--no-such-flag'])).code, 2);
    assert.equal((await runCli(['chat', '--compression-trigger', 'many'])).code, 2);
    assert.equal((await runCli(['chat', '--auth', 'password'])).code, 2);
    assert.equal((await runCli(['dance'])).code, 2);
  });

  it('exits 3 fast when the server refuses the key, without retrying', async () => {
    const started = Date.now();
    const run = await runCli(['chat', '--text', '--base-url', baseUrl], { stdin: ['hi'], env: { GEMINI_API_KEY: 'AIzaWRONG-wrong-wrong-wrong-wrong-0000' } });
    assert.equal(run.code, 3, run.stderr);
    assert.ok(Date.now() - started < 5_000);
    assert.ok(!types(run).includes('reconnecting'));
    const err = run.lines.find((l) => l.type === 'error');
    assert.ok(err && err.fatal === true && /key/i.test(err.message as string));
  });

  it('survives a goAway handoff mid-conversation: resumed, every turn answered once', async () => {
    const short = new LiveEmulator({ apiKey: KEY, connectionLifetimeMs: 1_200, goAwayLeadMs: 800 });
    const { baseUrl: url } = await short.start();
    try {
      const run = await runCli(['chat', '--text', '--base-url', url], { stdin: ['alpha', 700, 'beta', 700, 'gamma', 700, 'what did I say first?'], env: { GEMINI_API_KEY: KEY } });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(types(run).includes('goAway'));
      const goAway = run.lines.find((l) => l.type === 'goAway')!;
      assert.equal(goAway.timeLeftMs, 800);
      const connected = run.lines.filter((l) => l.type === 'connected');
      assert.ok(connected.length >= 2);
      assert.deepEqual(connected.map((c) => c.connection), connected.map((_c, i) => i + 1));
      assert.ok(connected.slice(1).every((c) => c.resumed === true));
      for (const t of [1, 2, 3, 4]) assert.equal(turnCompletes(run, t), 1, `turn ${t}`);
      assert.equal(answer(run, 4), 'You first said: "alpha"');
    } finally {
      await short.stop();
    }
  });

  it('resends a turn cut off by a drop, with turnRestarted, and answers it once', async () => {
    const slow = new LiveEmulator({ apiKey: KEY, replyChunkDelayMs: 150 });
    const { baseUrl: url } = await slow.start();
    try {
      let dropped = false;
      const runP = runCli(['chat', '--text', '--base-url', url], {
        stdin: ['first', 'second'],
        env: { GEMINI_API_KEY: KEY },
        holdStdinUntil: (r) => {
          if (!dropped && r.lines.some((l) => l.type === 'text' && l.turn === 2)) {
            dropped = true;
            slow.dropAll();
          }
          return r.lines.some((l) => l.type === 'turnComplete' && l.turn === 2);
        },
      });
      const run = await runP;
      assert.equal(run.code, 0, run.stderr);
      assert.ok(dropped);
      const disconnected = run.lines.find((l) => l.type === 'disconnected')!;
      assert.equal(disconnected.willReconnect, true);
      assert.ok(types(run).includes('reconnecting'));
      assert.ok(run.lines.some((l) => l.type === 'turnRestarted' && l.turn === 2));
      assert.equal(turnCompletes(run, 1), 1);
      assert.equal(turnCompletes(run, 2), 1);
      assert.equal(answer(run, 2), 'You said: second');
    } finally {
      await slow.stop();
    }
  });

  it('in token mode mints a locked token and never puts the key on the WebSocket', async () => {
    const minted: unknown[] = [];
    const sub = emulator.onDidEvent((e) => {
      if (e.type === 'tokenMinted') minted.push(e);
    });
    const run = await runCli(['chat', '--text', '--auth', 'token', '--base-url', baseUrl], { stdin: ['token turn'], env: { GEMINI_API_KEY: KEY } });
    sub.dispose();
    assert.equal(run.code, 0, run.stderr);
    assert.equal(answer(run, 1), 'You said: token turn');
    assert.equal(minted.length, 1);
    const tokenLine = run.lines.find((l) => l.type === 'token')!;
    assert.match(String((tokenLine.status as { name: string }).name), /^auth_tokens\/.{2}….{2}$/);
  });

  it('never shows the key (no piece over 4 characters) or a whole token on stdout or stderr', async () => {
    const tokens: string[] = [];
    const sub = emulator.onDidEvent((e) => {
      if (e.type === 'tokenMinted') tokens.push(e.name);
    });
    const runs = [
      await runCli(['chat', '--text', '--verbose', '--base-url', baseUrl], { stdin: ['leak check'], env: { GEMINI_API_KEY: KEY } }),
      await runCli(['chat', '--text', '--verbose', '--auth', 'token', '--base-url', baseUrl], { stdin: ['leak check'], env: { GEMINI_API_KEY: KEY } }),
      await runCli(['chat', '--text', '--verbose', '--base-url', baseUrl], { stdin: ['x'], env: { GEMINI_API_KEY: `${KEY}-wrong` } }),
      await runCli(['token', 'create', '--base-url', baseUrl], { env: { GEMINI_API_KEY: KEY } }),
    ];
    sub.dispose();
    for (const run of runs) {
      const all = run.stdout + run.stderr;
      assert.deepEqual(leaks(KEY, all), [], `key pieces leaked in:\n${all}`);
      for (const name of tokens) assert.ok(!all.includes(name), `whole token ${name.slice(0, 14)}… leaked`);
    }
    assert.ok(tokens.length >= 2, 'tokens were minted, so the check had something to find');
  });

  it('runs the emulator as a process: one listening line, and its logs never show the key', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', '--api-key', KEY, '--connection-lifetime-s', '2', '--go-away-lead-s', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line: ${out} ${err}`)), 10_000);
        child.stdout.on('data', () => {
          const line = out.split('\n')[0]!;
          if (!out.includes('\n')) return;
          clearTimeout(timer);
          const parsed = JSON.parse(line);
          assert.equal(parsed.type, 'listening');
          resolve(parsed.baseUrl);
        });
      });
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const run = await runCli(['chat', '--text', '--auth', 'token', '--base-url', url], { stdin: ['one', 1500, 'two'], env: { GEMINI_API_KEY: KEY } });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.lines.some((l) => l.type === 'goAway'));
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
    }
    assert.equal(out.trim().split('\n').length, 1, 'stdout holds only the listening line');
    assert.deepEqual(leaks(KEY, out + err), []);
  });

  it('token create prints status JSON and --save writes a 0600 file that token status reads', async () => {
    const file = path.join(tmp, 'token.json');
    const created = await runCli(['token', 'create', '--base-url', baseUrl, '--save', file], { env: { GEMINI_API_KEY: KEY } });
    assert.equal(created.code, 0, created.stderr);
    const status = created.lines[0]!;
    for (const k of ['hasToken', 'canStartNewSession', 'isValid', 'newSessionTimeLeft', 'totalTimeLeft', 'uses', 'name']) assert.ok(k in status, k);
    assert.equal(status.hasToken, true);
    assert.equal(status.uses, 1);
    assert.ok((status.totalTimeLeft as number) > 29 * 60_000);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const read = await runCli(['token', 'status', file]);
    assert.equal(read.code, 0, read.stderr);
    assert.equal(read.lines[0]!.name, status.name);
    assert.equal(read.lines[0]!.isValid, true);
    const refused = await runCli(['token', 'create', '--base-url', baseUrl], { env: { GEMINI_API_KEY: 'AIzaNOPE-nope-nope-nope-nope-nope-00' } });
    assert.equal(refused.code, 3);
  });

  it('continues one session across two runs with one --state-file', async () => {
    const file = path.join(tmp, 'state.json');
    const first = await runCli(['chat', '--text', '--base-url', baseUrl, '--state-file', file], { stdin: ['my favourite colour is teal'], env: { GEMINI_API_KEY: KEY } });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(!readFileSync(file, 'utf8').includes(KEY));
    const second = await runCli(['chat', '--text', '--base-url', baseUrl, '--state-file', file], { stdin: ['what did I say first?'], env: { GEMINI_API_KEY: KEY } });
    assert.equal(second.code, 0, second.stderr);
    const connected = second.lines.find((l) => l.type === 'connected')!;
    assert.equal(connected.resumed, true);
    // Turn numbers continue, and the emulator answers from the first run's history.
    assert.equal(answer(second, 2), 'You first said: "my favourite colour is teal"');
  });

  it('speaks a WAV file with --audio-in and writes the spoken reply with --audio-out', async () => {
    const rate = 48_000;
    const samples = new Float32Array(rate * 1.5);
    for (let i = 0; i < rate; i++) samples[i] = 0.4 * Math.sin((2 * Math.PI * 220 * i) / rate); // 1 s of tone, then 0.5 s silence
    const wavIn = path.join(tmp, 'speech.wav');
    const wavOut = path.join(tmp, 'reply.wav');
    writeFileSync(wavIn, encodeWavPcm16(floatToPcm16(samples), rate));
    const before = new Set(emulator.sessions().map((s) => s.id));
    const run = await runCli(['chat', '--base-url', baseUrl, '--audio-in', wavIn, '--audio-out', wavOut, '--fast'], { env: { GEMINI_API_KEY: KEY } });
    assert.equal(run.code, 0, run.stderr);
    const session = emulator.sessions().find((s) => !before.has(s.id))!;
    assert.equal(session.receivedAudio.sampleRate, 16_000);
    assert.ok(Math.abs(session.receivedAudio.durationMs - 1_500) <= 40, `received ${session.receivedAudio.durationMs} ms`);
    assert.ok(run.lines.some((l) => l.type === 'turnComplete'));
    const reply = parseWav(readFileSync(wavOut));
    assert.equal(reply.sampleRate, 24_000);
    assert.ok(reply.samples.length > 2_400, 'the reply has audio');
  });
});

