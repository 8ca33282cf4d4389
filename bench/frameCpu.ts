/**
 * CPU per server frame: our session layer (ws transport, parser, ledger, events) against
 * the bare @google/genai Live session, on the same frame stream from a server in another
 * process. Alternating runs; the median of each is compared.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { GoogleGenAI, Modality } from '@google/genai';
import { benchClient } from './benchClient';
import type { SessionEvent } from '../src/core/sessionEvents';
import type { CoreFactory, CoreSession } from './coreClients';
import { median } from './stats';

const KEY = 'AIzaBENCH-cpu-key-00000000000000000000000';
const MODEL = 'gemini-live-2.5-flash-preview';
const CHUNKS = 48;
export const FRAMES_PER_TURN = CHUNKS + 3;

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

/**
 * CPU (ms) of `turns` turns on a connected session: a text, and the next one each time a turn
 * completes. `onEvent` sees every event first (to count what arrived).
 */
export async function cpuMsOfTurns(session: CoreSession, turns: number, onEvent: (e: SessionEvent) => void): Promise<number> {
  let left = turns;
  const cpu0 = process.cpuUsage();
  await new Promise<void>((resolve) => {
    session.onDidEmit((e) => {
      onEvent(e);
      if (e.type === 'turnComplete') {
        if (--left === 0) resolve();
        else session.sendText('next');
      }
    });
    session.sendText('go');
  });
  return cpuMs(cpu0);
}

export async function startFrameServer(): Promise<{ baseUrl: string; stop(): void }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'frameServer.mjs')], { env: { ...process.env, CHUNKS: String(CHUNKS) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', () => reject(new Error('frame server exited')));
  });
  return { baseUrl: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/**
 * CPU (ms) of `turns` turns of CHUNKS text frames each through a session; by default the
 * client every user gets (benchClient), or a given core (the core A/B bench).
 */
export async function sessionCpuMs(baseUrl: string, turns: number, core?: CoreFactory): Promise<number> {
  const setup = { setup: { model: MODEL, responseModality: 'TEXT' as const } };
  const session = core ? core(baseUrl, KEY, setup) : benchClient(baseUrl, KEY, setup).session;
  await session.connect();
  let chars = 0;
  const used = await cpuMsOfTurns(session, turns, (e) => {
    if (e.type === 'text') chars += e.text.length;
  });
  await session.close();
  if (chars === 0) throw new Error('no text arrived');
  return used;
}

async function sdk(baseUrl: string, turns: number): Promise<number> {
  const ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl } });
  let chars = 0;
  let left = turns;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const session = await ai.live.connect({
    model: MODEL,
    config: { responseModalities: [Modality.TEXT], sessionResumption: {} },
    callbacks: {
      onmessage: (m) => {
        const t = m.serverContent?.modelTurn?.parts?.[0]?.text;
        if (t) chars += t.length;
        if (m.serverContent?.turnComplete) {
          if (--left === 0) resolveDone();
          else session.sendClientContent({ turns: [{ role: 'user', parts: [{ text: 'next' }] }], turnComplete: true });
        }
      },
    },
  });
  const cpu0 = process.cpuUsage();
  session.sendClientContent({ turns: [{ role: 'user', parts: [{ text: 'go' }] }], turnComplete: true });
  await done;
  const used = cpuMs(cpu0);
  session.close();
  if (chars === 0) throw new Error('no text arrived');
  return used;
}

export async function benchFrameCpu(runs = 7, turns = 400): Promise<Record<string, number>> {
  const server = await startFrameServer();
  const a: number[] = [];
  const b: number[] = [];
  try {
    // Warm both paths up (JIT), then alternate.
    await sessionCpuMs(server.baseUrl, 50);
    await sdk(server.baseUrl, 50);
    for (let i = 0; i < runs; i++) {
      a.push(await sessionCpuMs(server.baseUrl, turns));
      b.push(await sdk(server.baseUrl, turns));
    }
  } finally {
    server.stop();
  }
  const frames = turns * FRAMES_PER_TURN;
  return { frames, oursUsPerFrame: (median(a) * 1000) / frames, sdkUsPerFrame: (median(b) * 1000) / frames };
}
