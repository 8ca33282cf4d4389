/**
 * Emulator memory under the two loads that used to grow it without bound (issue 14):
 * - `turns`: N text turns on one session with resumption (every handle used to snapshot
 *   the whole history, so memory grew with the square of the turns);
 * - `slow`: a client that stops reading while the emulator streams audio (frames piled
 *   up in the socket's write buffer).
 * The emulator runs in a child process (emulatorMemoryChild.ts); its RSS is reported
 * after a GC. Every wait is bounded.
 *
 * `node --expose-gc --import tsx bench/emulatorMemory.ts [turns N | slow N]`
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';

const MODEL = 'models/gemini-3.1-flash-live-preview';

function url(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, 'ws')}/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent?key=bench`;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e as Error); });
  });
}

export interface EmulatorChild {
  baseUrl: string;
  rss(): Promise<{ rssMb: number; connections: number }>;
  stop(): Promise<void>;
}

export async function startEmulatorChild(options: Record<string, unknown> = {}): Promise<EmulatorChild> {
  const child: ChildProcess = fork(join(__dirname, 'emulatorMemoryChild.ts'), [], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: { ...process.env, EMULATOR_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const baseUrl = await withTimeout(new Promise<string>((resolve, reject) => {
    child.once('message', (m: { ready?: string }) => (m.ready ? resolve(m.ready) : reject(new Error('bad ready'))));
    child.once('exit', (code) => reject(new Error(`emulator child exited ${code}`)));
  }), 30_000, 'emulator child start');
  return {
    baseUrl,
    rss: () => withTimeout(new Promise((resolve) => {
      child.once('message', (m: { rss: number; connections: number }) => resolve({ rssMb: m.rss / 1e6, connections: m.connections }));
      child.send({ rss: true });
    }), 30_000, 'rss'),
    stop: () => withTimeout(new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.send({ stop: true });
    }), 10_000, 'child stop').catch(() => { child.kill('SIGKILL'); }),
  };
}

class Driver {
  private buffer: Array<Record<string, any>> = [];
  private wake: (() => void) | undefined;
  closed: number | undefined;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => { this.buffer.push(JSON.parse(String(d)) as Record<string, any>); this.wake?.(); });
    ws.on('close', (code) => { this.closed = code; this.wake?.(); });
    ws.on('error', () => {});
  }
  static async open(baseUrl: string, setup: Record<string, unknown>): Promise<Driver> {
    const ws = new WebSocket(url(baseUrl));
    await withTimeout(new Promise((r, j) => { ws.once('open', r); ws.once('error', j); }), 10_000, 'open');
    const d = new Driver(ws);
    ws.send(JSON.stringify({ setup }));
    await d.until((f) => f['setupComplete'] !== undefined, 10_000);
    return d;
  }
  async until(pred: (f: Record<string, any>) => boolean, ms: number): Promise<Record<string, any>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.buffer.findIndex(pred);
      if (i >= 0) { const f = this.buffer[i]!; this.buffer = this.buffer.slice(i + 1); return f; }
      this.buffer = [];
      if (this.closed !== undefined) throw new Error(`closed ${this.closed}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a frame');
      await new Promise<void>((r) => { const t = setTimeout(r, left); this.wake = () => { clearTimeout(t); r(); }; });
    }
  }
}

/** N text turns on one resumable session; RSS before (after 5 turns) and after. */
export async function benchManyTurns(turns: number): Promise<{ beforeMb: number; afterMb: number; turns: number }> {
  const emu = await startEmulatorChild({ replyChunkDelayMs: 0 });
  try {
    const d = await Driver.open(emu.baseUrl, { model: MODEL, generationConfig: { responseModalities: ['TEXT'] }, sessionResumption: {} });
    let beforeMb = 0;
    for (let i = 1; i <= turns; i++) {
      d.ws.send(JSON.stringify({ realtimeInput: { text: `turn ${i} ${'m'.repeat(100)}` } }));
      await d.until((f) => f['serverContent']?.['turnComplete'] === true, 10_000);
      if (i === 5) beforeMb = (await emu.rss()).rssMb;
    }
    const afterMb = (await emu.rss()).rssMb;
    d.ws.close();
    return { beforeMb, afterMb, turns };
  } finally {
    await emu.stop();
  }
}

/**
 * A client that stops reading (its socket paused) while it asks for a spoken reply
 * (4 s, ~256 KB of base64 audio) every `spacingMs`: long enough for each reply to be
 * streamed whole before the next request interrupts it, so the bytes the emulator must
 * hold grow steadily (loopback kernel buffers absorb the first ~36 MB). Stops early once
 * the emulator has dropped the connection. Reports RSS before and after, and whether
 * the emulator still holds the connection.
 */
export async function benchSlowConsumer(maxRequests: number, options: Record<string, unknown> = {}, spacingMs = 15): Promise<{ beforeMb: number; afterMb: number; connectionsAfter: number; sent: number }> {
  const emu = await startEmulatorChild({ replyChunkDelayMs: 0, ...options });
  try {
    const d = await Driver.open(emu.baseUrl, { model: MODEL, generationConfig: { responseModalities: ['AUDIO'] }, outputAudioTranscription: {} });
    const beforeMb = (await emu.rss()).rssMb;
    // Stop reading: the kernel buffers fill, then the server's userland write buffer grows.
    (d.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    let sent = 0;
    while (sent < maxRequests && d.ws.readyState === WebSocket.OPEN) {
      d.ws.send(JSON.stringify({ realtimeInput: { text: `speak ${sent} ${'a long reply please '.repeat(4)}` } }));
      sent++;
      await new Promise((r) => setTimeout(r, spacingMs));
      if (sent % 20 === 0 && (await emu.rss()).connections === 0) break;
    }
    await new Promise((r) => setTimeout(r, 500));
    const after = await emu.rss();
    d.ws.terminate();
    return { beforeMb, afterMb: after.rssMb, connectionsAfter: after.connections, sent };
  } finally {
    await emu.stop();
  }
}

if (require.main === module) {
  const [mode = 'turns', nRaw] = process.argv.slice(2);
  const n = Number(nRaw ?? 3000);
  const run = mode === 'slow' ? benchSlowConsumer(n).then((r) => ({ mode, ...r })) : benchManyTurns(n).then((r) => ({ mode, ...r }));
  run.then((r) => { console.log(JSON.stringify(r)); process.exit(0); }, (e: unknown) => { console.error(e); process.exit(1); });
}
