/** Child processes the e2e suite owns: started with bounded waits, always stopped. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import * as net from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Owned {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns a process, tees its output to `logFile`, and keeps the last 64 KiB for error messages. */
export function start(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; logFile: string; cwd?: string }): Owned {
  const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log = createWriteStream(options.logFile);
  let tail = '';
  const onData = (d: Buffer) => {
    log.write(d);
    tail = (tail + d.toString()).slice(-65_536);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return {
    child,
    output: () => tail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
}

/** Polls `check` every 200 ms until it returns a value, or throws after `timeoutMs`. */
export async function waitUntil<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function httpUp(url: string): Promise<boolean | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return res.status < 500 ? true : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a command to completion with a time limit; rejects with its output tail on a non-zero exit or timeout. */
export async function runBounded(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number; logFile: string },
): Promise<string> {
  const owned = start(command, args, options);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
  });
  const exited = new Promise<number | null>((resolve) => owned.child.once('exit', (code) => resolve(code)));
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    await owned.stop();
    throw new Error(`${command} ${args.join(' ')} did not finish within ${options.timeoutMs} ms:\n${owned.output().slice(-4_000)}`);
  }
  await owned.stop();
  if (outcome !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${outcome}:\n${owned.output().slice(-4_000)}`);
  return owned.output();
}
