import { parseArgs } from 'node:util';
import { ScaledClock, systemClock } from '../common/clock';
import { RedactingLogger } from '../common/logger';
import { Redactor } from '../common/redact';
import type { EmulatorOptions } from '../emulator/emulatorOptions';
import { LiveEmulator } from '../emulator/liveEmulator';
import { withFlagHint } from './cliHelp';

/** Where the command writes: stdout gets exactly one JSON line, stderr the logs. */
export interface EmulatorCommandIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

const FLAGS = {
  port: { type: 'string' },
  'connection-lifetime-s': { type: 'string' },
  'go-away-lead-s': { type: 'string' },
  'clock-scale': { type: 'string' },
  'drop-after-s': { type: 'string' },
  'latency-ms': { type: 'string' },
  'pong-delay-s': { type: 'string' },
  'api-key': { type: 'string' },
  'stale-handles': { type: 'boolean' },
  'quota-exhausted': { type: 'boolean' },
  'session-cap-s': { type: 'string' },
  'reply-chunk-delay-ms': { type: 'string' },
  'text-frames': { type: 'boolean' },
} as const;

/**
 * `moontalk-live emulator`: parses the flags (CLI-CONTRACT.md), starts a
 * {@link LiveEmulator} and prints `{"type":"listening","baseUrl":…}` once it
 * listens. Bad flags throw an Error naming the flag (the CLI exits 2).
 * The API key is registered with the redactor and never printed.
 */
export async function runEmulatorCommand(argv: string[], io: EmulatorCommandIo): Promise<{ stop(): Promise<void> }> {
  const options = parseEmulatorFlags(argv);
  const redactor = new Redactor();
  redactor.addSecret(options.apiKey);
  const logger = new RedactingLogger((level, line) => io.stderr(`${level} ${line}`), redactor, '', 'info');
  const emulator = new LiveEmulator({ ...options, logger });
  const { baseUrl } = await emulator.start();
  io.stdout(JSON.stringify({ type: 'listening', baseUrl }));
  const scale = options.clock instanceof ScaledClock ? `, clock x${options.clock.scale}` : '';
  io.stderr(`info [emulator] Gemini Live emulator on ${baseUrl}${scale}${options.apiKey ? ', one API key accepted' : ', any non-empty API key accepted'}`);
  return { stop: () => emulator.stop() };
}

/** Flags → options; throws `Error("--flag: …")` for anything invalid. */
export function parseEmulatorFlags(argv: string[]): Partial<EmulatorOptions> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (err) {
    // parseArgs names the flag ("Unknown option '--x'"); keep its words.
    throw new Error(`emulator: ${withFlagHint((err as Error).message, Object.keys(FLAGS))}`);
  }
  const num = (flag: string, opts: { min?: number; integer?: boolean; positive?: boolean } = {}): number | undefined => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (!Number.isFinite(n)) throw new Error(`--${flag}: expected a number, got "${String(raw)}"`);
    if (opts.integer && !Number.isInteger(n)) throw new Error(`--${flag}: expected an integer, got ${n}`);
    if (opts.positive && !(n > 0)) throw new Error(`--${flag}: must be greater than 0, got ${n}`);
    if (n < (opts.min ?? 0)) throw new Error(`--${flag}: must be at least ${opts.min ?? 0}, got ${n}`);
    return n;
  };
  const seconds = (flag: string) => {
    const s = num(flag);
    return s === undefined ? undefined : s * 1000;
  };
  const out: Partial<EmulatorOptions> = {};
  const port = num('port', { integer: true });
  if (port !== undefined) {
    if (port > 65535) throw new Error(`--port: must be 0..65535, got ${port}`);
    out.port = port;
  }
  const lifetime = seconds('connection-lifetime-s');
  if (lifetime !== undefined) out.connectionLifetimeMs = lifetime;
  const lead = seconds('go-away-lead-s');
  if (lead !== undefined) out.goAwayLeadMs = lead;
  const scale = num('clock-scale', { positive: true });
  out.clock = scale !== undefined && scale !== 1 ? new ScaledClock(scale) : systemClock;
  const drop = seconds('drop-after-s');
  if (drop !== undefined) out.dropAfterMs = drop;
  const latency = num('latency-ms');
  if (latency !== undefined) out.latencyMs = latency;
  const pong = seconds('pong-delay-s');
  if (pong !== undefined) out.pongDelayMs = pong;
  const cap = seconds('session-cap-s');
  if (cap !== undefined) out.sessionCapMs = cap;
  const chunk = num('reply-chunk-delay-ms');
  if (chunk !== undefined) out.replyChunkDelayMs = chunk;
  const key = values['api-key'];
  if (key !== undefined) {
    if (typeof key !== 'string' || key === '') throw new Error('--api-key: must not be empty');
    out.apiKey = key;
  }
  if (values['stale-handles'] === true) out.staleHandles = true;
  if (values['quota-exhausted'] === true) out.quotaExhausted = true;
  // The service sends binary frames; text frames only on request.
  if (values['text-frames'] === true) out.serverFrames = 'text';
  return out;
}
