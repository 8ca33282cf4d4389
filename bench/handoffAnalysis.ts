/**
 * `npm run bench -- handoff-analysis`: why the loopback handoff gap stays above 1.5× the
 * bare round trip (not part of the default run). Two measurements:
 *
 * 1. The gap with the emulator in a process of its own (emulatorChild.ts), as the service
 *    is, against the same emulator's bare round trip.
 * 2. What one frame costs to write on an idle connection to another process: ws `send`,
 *    ws `close` and a raw socket write. A handoff must write two frames in order (the old
 *    socket's close frame, then the setup; the other order earns a 1011), the bare round
 *    trip one; each write that wakes the idle peer is paid inside the gap.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import WebSocket from 'ws';
import { benchHandoffGap, KEY, type GapTarget } from './handoffGap';
import { median } from './stats';

interface Child {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `file` (TypeScript, through tsx) with an IPC channel and waits for its `{ready}` message. */
async function forkReady<T>(file: string, env: NodeJS.ProcessEnv): Promise<{ ready: T } & Child> {
  const child = fork(path.join(__dirname, file), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start within 30 s`)), 30_000);
    child.once('message', (m: { ready?: T }) => {
      clearTimeout(timer);
      if (m.ready !== undefined) resolve(m.ready);
      else reject(new Error(`${file}: unexpected first message`));
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  return {
    ready,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ stop: true });
      const timer = setTimeout(() => child.kill(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function benchGapWithEmulatorElsewhere(rounds = 5, perRound = 10): Promise<Record<string, number>> {
  const emulator = await forkReady<string>('emulatorChild.ts', { BENCH_KEY: KEY });
  try {
    const target: GapTarget = { baseUrl: emulator.ready, goAwayAll: (ms) => emulator.child.send({ goAwayAll: ms }) };
    return await benchHandoffGap(rounds, perRound, 0, target);
  } finally {
    await emulator.stop();
  }
}

const idle = () => new Promise((r) => setTimeout(r, 5));

/** Median time of one call, on connections idle for 5 ms before it, to a server in another process. */
export async function benchFrameWriteCost(samples = 60): Promise<{ wsSendMs: number; wsCloseMs: number; rawWriteMs: number }> {
  const server = await forkReady<{ ws: number; raw: number }>('writeCostServer.mjs', {});
  const sends: number[] = [];
  const closes: number[] = [];
  const raws: number[] = [];
  const setup = JSON.stringify({ setup: { model: 'models/gemini-3.8-live', generationConfig: { responseModalities: ['AUDIO'] }, sessionResumption: { handle: 'h'.repeat(40) } } });
  try {
    for (let i = 0; i < samples; i++) {
      const ws = new WebSocket(`ws://127.0.0.1:${server.ready.ws}`);
      await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
      await idle();
      let t = performance.now();
      ws.send(setup);
      sends.push(performance.now() - t);
      await idle();
      t = performance.now();
      ws.close(1000, 'handoff');
      closes.push(performance.now() - t);
      await new Promise((r) => ws.once('close', r));
      const socket = net.connect(server.ready.raw, '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      await idle();
      t = performance.now();
      socket.write(Buffer.from(setup));
      raws.push(performance.now() - t);
      socket.destroy();
    }
  } finally {
    await server.stop();
  }
  return { wsSendMs: median(sends), wsCloseMs: median(closes), rawWriteMs: median(raws) };
}
