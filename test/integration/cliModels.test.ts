/**
 * The CLI contract's model rules (CLI-CONTRACT.md, amended 2026-11), driven as a child
 * process against a loopback fake that records each setup and refuses models the way the
 * service does (1008 "… is not found …"), independent of the emulator.
 *
 * The two not-found cases need the session core to report such a close as
 * MoonTalkError 'modelNotFound' (details.model), which the core's model work adds; with a
 * core that still reads every 1008 as a refused key they fail with exit 3 (the bug they guard).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { CLI, runCli, type CliRun } from './helpers/runCli';
import { startFakeModelServer, type FakeModelServer } from './helpers/fakeModelServer';

const KEY = 'AIzaCLI-models-fake-key-0a1b2c3d4e5f6789';

function text(run: CliRun, turn: number): string {
  return run.lines
    .filter((l) => l.type === 'text' && l.turn === turn)
    .map((l) => l.text as string)
    .join('');
}

describe('moontalk-live chat: models', function () {
  this.timeout(40_000);
  let fake: FakeModelServer;

  before(async function () {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "node esbuild.mjs" first (npm test does)`);
    fake = await startFakeModelServer({ refuse: ['gemini-2.0-flash-live-001', 'gemini-9-nobody-serves-this'] });
  });
  after(async () => fake.stop());

  const chat = (args: string[], stdin: string[] = ['hi']) => runCli(['chat', '--base-url', fake.baseUrl, ...args], { stdin, env: { GEMINI_API_KEY: KEY } });

  it('defaults to gemini-3.8-live, and --text there asks AUDIO with output transcription and prints it as text', async () => {
    const before = fake.setups.length;
    const run = await chat(['--text']);
    assert.equal(run.code, 0, run.stderr);
    const setup = fake.setups[before]!;
    assert.equal(setup.model, 'models/gemini-3.8-live');
    const gen = setup.generationConfig as Record<string, unknown>;
    assert.deepEqual(gen.responseModalities, ['AUDIO']);
    assert.ok(setup.outputAudioTranscription, 'asks for output transcription');
    assert.equal(gen.thinkingConfig, undefined, 'gemini-3.8-live refuses any thinking config');
    assert.equal(text(run, 1), 'heard 1: hi');
    assert.ok(run.lines.some((l) => l.type === 'turnComplete' && l.turn === 1));
  });

  it('--text asks for TEXT where the model answers in text (gemini-3.1-flash-live-preview)', async () => {
    const before = fake.setups.length;
    const run = await chat(['--text', '--model', 'gemini-3.1-flash-live-preview']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((fake.setups[before]!.generationConfig as Record<string, unknown>).responseModalities, ['TEXT']);
  });

  it('--thinking-level goes into generationConfig.thinkingConfig for a model that takes it', async () => {
    const before = fake.setups.length;
    const run = await chat(['--model', 'gemini-3.8-live-extended-thinking', '--thinking-level', 'HIGH']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((fake.setups[before]!.generationConfig as Record<string, unknown>).thinkingConfig, { thinkingLevel: 'HIGH' });
    // That model refuses a setup without a level: without the flag it gets the table's default.
    const plain = await chat(['--model', 'gemini-3.8-live-extended-thinking']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.deepEqual((fake.setups.at(-1)!.generationConfig as Record<string, unknown>).thinkingConfig, { thinkingLevel: 'LOW' });
  });

  it('exits 2 with a message for a thinking level the model cannot take, before connecting', async () => {
    const before = fake.setups.length;
    const minimal = await chat(['--model', 'gemini-3.8-live-extended-thinking', '--thinking-level', 'MINIMAL']);
    assert.equal(minimal.code, 2);
    assert.match(minimal.stderr, /LOW, MEDIUM, HIGH/);
    const none = await chat(['--thinking-level', 'LOW']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /gemini-3\.8-live takes no thinking level/);
    assert.equal(fake.setups.length, before, 'nothing was sent');
    assert.equal(minimal.stdout + none.stdout, '');
  });

  it('--language reaches the transcription configs; a value that is no language tag exits 2', async () => {
    const before = fake.setups.length;
    const run = await chat(['--text', '--language', 'de-DE']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(fake.setups[before]!.outputAudioTranscription, { languageCodes: ['de-DE'] });
    assert.equal((await chat(['--language', 'Deutsch bitte'])).code, 2);
  });

  it('warns on stderr about a shut-down model first, still tries, and on the 1008 not-found exits 2 naming the replacement', async () => {
    const before = fake.setups.length;
    const started = Date.now();
    const run = await chat(['--text', '--model', 'gemini-2.0-flash-live-001']);
    assert.equal(run.code, 2, run.stderr);
    const warnAt = run.stderr.search(/\[warn\].*gemini-2\.0-flash-live-001.*shut down.*gemini-3\.8-live/);
    const errorAt = run.stderr.search(/\[error\].*does not serve the model gemini-2\.0-flash-live-001.*--model gemini-3\.8-live/);
    assert.ok(warnAt >= 0, run.stderr);
    assert.ok(errorAt > warnAt, run.stderr);
    const err = run.lines.find((l) => l.type === 'error');
    assert.ok(err && err.fatal === true && err.reason === 'modelNotFound', JSON.stringify(run.lines));
    assert.ok(!run.lines.some((l) => l.type === 'reconnecting'), 'no reconnect loop');
    assert.ok(fake.setups.length - before <= 2, `at most one more attempt (got ${fake.setups.length - before} setups)`);
    assert.ok(Date.now() - started < 10_000);
  });

  it('a model the server does not know: exit 2 naming it, no warning beforehand', async () => {
    const run = await chat(['--model', 'gemini-9-nobody-serves-this']);
    assert.equal(run.code, 2, run.stderr);
    assert.doesNotMatch(run.stderr, /\[warn\]/);
    assert.match(run.stderr, /does not serve the model gemini-9-nobody-serves-this/);
  });
});
