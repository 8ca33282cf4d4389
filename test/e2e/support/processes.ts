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

/**
 * Spawns a process in its own process group (so stop() reaches its children too), tees
 * its output to `logFile`, and keeps the last 64 KiB for error messages.
 */
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
  // 'close' comes after 'exit' once the output pipes are drained: only then may the log end.
  let isClosed = false;
  const closed = new Promise<void>((resolve) => {
    child.once('close', () => {
      isClosed = true;
      log.end();
      resolve();
    });
    child.once('error', (err) => {
      isClosed = true;
      tail += `\n[spawn error] ${err.message}`;
      log.end();
      resolve();
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    // After 'close' the leader is reaped and no child holds its pipes: the group id may be
    // reused by someone else's process, so it is never signalled then.
    if (isClosed) return;
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* the group is gone */
    }
  };
  return {
    child,
    output: () => tail,
    async stop() {
      if (child.pid === undefined || isClosed) return;
      // Also after the leader exited: children it left in its group still get the signal.
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
      const limit = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
      await Promise.race([closed, limit]);
      clearTimeout(timer);
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
  const exited = new Promise<number | null>((resolve) => owned.child.once('close', (code) => resolve(code)));
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  await owned.stop();
  if (outcome === 'timeout') {
    throw new Error(`${command} ${args.join(' ')} did not finish within ${options.timeoutMs} ms:\n${owned.output().slice(-4_000)}`);
  }
  if (outcome !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${outcome}:\n${owned.output().slice(-4_000)}`);
  return owned.output();
}
