/** Runs the built CLI (`dist/cli.js`) as a child process, the way outside tests drive it. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const CLI = path.resolve(__dirname, '../../../dist/cli.js');

export interface CliRun {
  code: number | null;
  lines: Array<{ type: string; t: number } & Record<string, unknown>>;
  stdout: string;
  stderr: string;
}

export interface CliInput {
  /** Lines for stdin; a number is a pause in ms before the next line. */
  stdin?: Array<string | number>;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Keep stdin open until this returns true for the output so far (checked as lines arrive). */
  holdStdinUntil?: (run: CliRun) => boolean;
}

export function runCli(args: string[], input: CliInput = {}): Promise<CliRun> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...input.env };
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const run: CliRun = { code: null, lines: [], stdout: '', stderr: '' };
  let hold: (() => void) | undefined;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  let partial = '';
  child.stdout.on('data', (chunk: string) => {
    run.stdout += chunk;
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const p of parts) if (p.trim()) run.lines.push(JSON.parse(p));
    if (hold && input.holdStdinUntil?.(run)) {
      hold();
      hold = undefined;
    }
  });
  child.stderr.on('data', (chunk: string) => (run.stderr += chunk));
  const feed = async () => {
    for (const item of input.stdin ?? []) {
      if (typeof item === 'number') await new Promise((r) => setTimeout(r, item));
      else child.stdin.write(`${item}\n`);
    }
    if (input.holdStdinUntil && !input.holdStdinUntil(run)) await new Promise<void>((r) => (hold = r));
    child.stdin.end();
  };
  child.stdin.on('error', () => {});
  void feed();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`moontalk-live ${args.join(' ')} did not exit within ${input.timeoutMs ?? 20_000} ms\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`));
    }, input.timeoutMs ?? 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      run.code = code;
      resolve(run);
    });
  });
}

/** Every 5-character piece of `secret`: none may appear in any output (the contract allows at most 4). */
export function leaks(secret: string, text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 5 <= secret.length; i++) {
    const piece = secret.slice(i, i + 5);
    if (text.includes(piece)) found.push(piece);
  }
  return found;
}
