/**
 * `npm run bench -- storm`: the goAway storm of the issue ("a goAway with timeLeft 0s …
 * starts a new handoff at once, every time: 4,984 connections in 15 s"). Starts the
 * emulator CLI with a zero connection lifetime and a zero goAway lead on loopback, runs
 * `chat --base-url … --text` against it with stdin "hello" for 15 s, then counts the
 * connections the emulator accepted (GET /emulator/sessions, connectionCount summed).
 * Both processes are killed at the end; every wait is bounded.
 *
 * `node --import tsx bench/goAwayStorm.ts [cli.js …]` (default: this tree's dist/cli.js,
 * and /work/wt/fork/dist/cli.js when it exists, for the before figure).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface StormResult {
  label: string;
  cli: string;
  seconds: number;
  /** stdin ended after "hello" (as `echo hello | …`) or held open for the whole run. */
  stdin: 'ended' | 'held';
  connections: number;
  sessions: number;
  connectionsAtExit: number | undefined;
  exitCode: number | null;
  signal: string | null;
  /** The CLI ended by itself after this many seconds (undefined: killed at the end). */
  exitedAfterS: number | undefined;
  events: Record<string, number>;
  lastStderr: string[];
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e as Error); });
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await withTimeout(exited, 3_000, 'exit after SIGTERM').catch(async () => {
    child.kill('SIGKILL');
    await withTimeout(exited, 3_000, 'exit after SIGKILL').catch(() => {});
  });
}

async function connections(baseUrl: string): Promise<{ connections: number; sessions: number }> {
  const res = await fetch(`${baseUrl}/emulator/sessions`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { sessions: Array<{ connectionCount: number }> };
  return { connections: body.sessions.reduce((n, s) => n + s.connectionCount, 0), sessions: body.sessions.length };
}

export async function stormOnce(cli: string, label: string, seconds = 15, stdin: 'ended' | 'held' = 'ended'): Promise<StormResult> {
  const emulator = spawn(process.execPath, [cli, 'emulator', '--port', '0', '--connection-lifetime-s', '0', '--go-away-lead-s', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  emulator.stderr!.resume();
  let chat: ChildProcess | undefined;
  try {
    const baseUrl = await withTimeout(new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: emulator.stdout! });
      rl.on('line', (line) => {
        try {
          const m = JSON.parse(line) as { type?: string; baseUrl?: string };
          if (m.type === 'listening' && m.baseUrl) resolve(m.baseUrl);
        } catch { /* not JSON */ }
      });
      emulator.once('exit', (code) => reject(new Error(`emulator exited ${code}`)));
    }), 15_000, 'emulator listening line');
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(baseUrl)) throw new Error(`not loopback: ${baseUrl}`);

    const started = performance.now();
    chat = spawn(process.execPath, [cli, 'chat', '--base-url', baseUrl, '--text'], {
      env: { ...process.env, GEMINI_API_KEY: 'some-test-key' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const events: Record<string, number> = {};
    createInterface({ input: chat.stdout! }).on('line', (line) => {
      try {
        const t = (JSON.parse(line) as { type?: string }).type ?? '?';
        events[t] = (events[t] ?? 0) + 1;
      } catch { events['non-json'] = (events['non-json'] ?? 0) + 1; }
    });
    const lastStderr: string[] = [];
    createInterface({ input: chat.stderr! }).on('line', (line) => {
      lastStderr.push(line);
      if (lastStderr.length > 5) lastStderr.shift();
    });
    chat.stdin!.on('error', () => {});
    chat.stdin!.write('hello\n');
    if (stdin === 'ended') chat.stdin!.end();
    let exitedAfterS: number | undefined;
    let connectionsAtExit: number | undefined;
    let deadlinePassed = false;
    const exited = new Promise<void>((r) => chat!.once('exit', () => {
      if (!deadlinePassed) exitedAfterS = (performance.now() - started) / 1000;
      r();
    }));
    await Promise.race([exited, new Promise((r) => setTimeout(r, seconds * 1000))]);
    deadlinePassed = true;
    if (exitedAfterS !== undefined) connectionsAtExit = (await connections(baseUrl)).connections;
    await kill(chat);
    // Let the emulator see the last close, then read its count.
    await new Promise((r) => setTimeout(r, 200));
    const c = await connections(baseUrl);
    return {
      label, cli, seconds, stdin, ...c, connectionsAtExit,
      exitCode: chat.exitCode, signal: chat.signalCode, exitedAfterS, events, lastStderr,
    };
  } finally {
    if (chat) await kill(chat);
    await kill(emulator);
  }
}

export async function benchGoAwayStorm(clis?: string[], seconds = 15): Promise<StormResult[]> {
  const targets = clis?.length ? clis : [join(__dirname, '..', 'dist', 'cli.js'), '/work/wt/fork/dist/cli.js'].filter((p) => existsSync(p));
  const out: StormResult[] = [];
  for (const cli of targets) {
    for (const stdin of ['ended', 'held'] as const) {
      out.push(await stormOnce(cli, `${cli.startsWith('/work/wt/fork') ? 'before (fork)' : 'now'}, stdin ${stdin}`, seconds, stdin));
    }
  }
  return out;
}

if (require.main === module) {
  benchGoAwayStorm(process.argv.slice(2)).then(
    (rs) => { for (const r of rs) console.log(JSON.stringify(r)); process.exit(0); },
    (e: unknown) => { console.error(e); process.exit(1); },
  );
}
