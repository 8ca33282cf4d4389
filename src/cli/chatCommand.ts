/**
 * `moontalk-live chat`: one user turn per stdin line, JSON Lines on stdout
 * (CLI-CONTRACT.md). The session core does the hard work; this file maps flags
 * to options, stdin to turns, and events to lines.
 */
import * as readline from 'node:readline';
import { parseArgs } from 'node:util';
import { systemClock } from '../common/clock';
import { errorMessage, isMoonTalkError, MoonTalkError } from '../common/errors';
import { DEFAULT_COMPRESSION, type CompressionConfig } from '../core/compression';
import type { SessionEvent } from '../core/sessionEvents';
import { createLiveClient, type AuthConfig } from '../live/liveClient';
import { BrokerTokenMinter } from '../live/brokerTokenMinter';
import { GEMINI_API_BASE_URL } from '../live/endpoints';
import { DEFAULT_MODEL } from '../core/defaults';
import { resolveBackend } from './backend';
import { UsageError, type CliIo } from './cliIo';
import { renewalEventToLine, sessionEventToLine, tokenEventToLine } from './jsonLines';
import { openStateFile, saveState } from './stateFile';
import { refuseToolCall } from './toolCallRefusal';
import { checkAudioInFile, checkAudioOutFile, checkBaseUrlFlag, checkBrokerUrlFlag, checkCompressionForModel } from './usageChecks';
import { withFlagHint } from './cliHelp';
import { AudioReplyWriter, streamWavAsRealtimeInput } from './chatAudio';
import { modelNotFoundLine, planModel, type ModelPlan } from './modelOptions';

export const EXIT = { ok: 0, fatal: 1, usage: 2, refused: 3 } as const;

const CHAT_FLAGS = {
  'base-url': { type: 'string' },
  model: { type: 'string' },
  auth: { type: 'string' },
  text: { type: 'boolean' },
  'compression-trigger': { type: 'string' },
  'compression-target': { type: 'string' },
  'no-compression': { type: 'boolean' },
  'no-resume': { type: 'boolean' },
  'audio-in': { type: 'string' },
  'audio-out': { type: 'string' },
  fast: { type: 'boolean' },
  'state-file': { type: 'string' },
  'broker-url': { type: 'string' },
  'allow-insecure-broker': { type: 'boolean' },
  'system-instruction': { type: 'string' },
  'thinking-level': { type: 'string' },
  language: { type: 'string' },
  'silence-ms': { type: 'string' },
  'prefix-padding-ms': { type: 'string' },
  'end-sensitivity': { type: 'string' },
  'no-interrupt': { type: 'boolean' },
  'response-timeout-s': { type: 'string' },
  verbose: { type: 'boolean' },
} as const;

export interface ChatIo extends CliIo {
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) <= 0) throw new UsageError(`--${name} must be a whole number greater than 0 (got "${value}")`);
  return Number(value);
}

export function compressionFromFlags(values: { 'no-compression'?: boolean; 'compression-trigger'?: string; 'compression-target'?: string }): CompressionConfig {
  if (values['no-compression']) {
    if (values['compression-trigger'] || values['compression-target']) throw new UsageError('--no-compression cannot be combined with --compression-trigger/--compression-target');
    return { ...DEFAULT_COMPRESSION, enabled: false };
  }
  const trigger = positiveInt('compression-trigger', values['compression-trigger']) ?? DEFAULT_COMPRESSION.triggerTokens;
  const target = positiveInt('compression-target', values['compression-target']) ?? Math.floor(trigger * DEFAULT_COMPRESSION.compressionRatio);
  if (target >= trigger) throw new UsageError(`--compression-target (${target}) must be less than --compression-trigger (${trigger})`);
  return { enabled: true, triggerTokens: trigger, compressionRatio: target / trigger, useSlidingWindow: true };
}

export async function runChat(argv: string[], io: ChatIo): Promise<number> {
  let values: { [K in keyof typeof CHAT_FLAGS]?: (typeof CHAT_FLAGS)[K]['type'] extends 'string' ? string : boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: CHAT_FLAGS, strict: true, allowPositionals: false }) as { values: typeof values });
  } catch (err) {
    throw new UsageError(withFlagHint(errorMessage(err), Object.keys(CHAT_FLAGS)));
  }
  const auth = values.auth ?? 'key';
  if (auth !== 'key' && auth !== 'token') throw new UsageError(`--auth must be "key" or "token" (got "${auth}")`);
  if (values.fast && !values['audio-in']) throw new UsageError('--fast only applies to --audio-in');
  const compression = compressionFromFlags(values);
  const timeout = values['response-timeout-s'];
  if (timeout !== undefined && !/^\d+$/.test(timeout)) throw new UsageError(`--response-timeout-s must be a whole number of seconds, 0 for off (got "${timeout}")`);
  const model = values.model ?? DEFAULT_MODEL;
  const modelPlan = planModel({
    model,
    text: !!values.text,
    thinkingLevel: values['thinking-level'],
    language: values.language,
    silenceMs: values['silence-ms'],
    prefixPaddingMs: values['prefix-padding-ms'],
    endSensitivity: values['end-sensitivity'],
    noInterrupt: values['no-interrupt'],
  });
  for (const warning of modelPlan.warnings) io.logger.warn(warning);
  const brokerUrl = values['broker-url'];
  const brokerCredential = io.env.MOONTALK_BROKER_TOKEN;
  // Usage checks, all before any connection (usageChecks.ts).
  if (values['base-url'] !== undefined) checkBaseUrlFlag(values['base-url']);
  if (brokerUrl) checkBrokerUrlFlag(brokerUrl, !!values['allow-insecure-broker']);
  checkCompressionForModel(compression, model);
  if (brokerUrl && !brokerCredential) throw new UsageError('--broker-url needs the client credential in MOONTALK_BROKER_TOKEN');
  if (brokerCredential) io.redactor.addSecret(brokerCredential);
  // Input files are read (and output folders checked) now: a typo costs an exit 2, not a session.
  if (values['audio-in'] !== undefined) await checkAudioInFile(values['audio-in']);
  if (values['audio-out'] !== undefined) await checkAudioOutFile(values['audio-out']);

  // A broker mints tokens for the real API: without --base-url, that is where they are used.
  const backend = brokerUrl
    ? { baseUrl: values['base-url'] ?? GEMINI_API_BASE_URL, apiKey: undefined, emulator: undefined }
    : await resolveBackend({ baseUrl: values['base-url'], needsKey: true, env: io.env, logger: io.logger });
  try {
    return await chatOn(backend.baseUrl, backend.apiKey, io, {
      model,
      modelPlan,
      compression,
      authConfig: ((): AuthConfig => {
        if (brokerUrl) {
          return { mode: 'broker', minter: new BrokerTokenMinter(brokerUrl, brokerCredential!, { allowInsecure: !!values['allow-insecure-broker'] }) };
        }
        return auth === 'token' ? { mode: 'token', apiKey: backend.apiKey! } : { mode: 'key', apiKey: backend.apiKey! };
      })(),
      resumption: !values['no-resume'],
      stateFile: values['state-file'],
      audioIn: values['audio-in'],
      audioOut: values['audio-out'],
      fast: !!values.fast,
      systemInstruction: values['system-instruction'],
      ...(timeout !== undefined ? { responseTimeoutMs: Number(timeout) * 1_000 } : {}),
    });
  } finally {
    await backend.emulator?.stop();
  }
}

interface ChatPlan {
  model: string;
  /** The setup fields the model takes for these flags (modelOptions.ts). */
  modelPlan: ModelPlan;
  compression: CompressionConfig;
  authConfig: AuthConfig;
  resumption: boolean;
  stateFile?: string;
  audioIn?: string;
  audioOut?: string;
  fast: boolean;
  systemInstruction?: string;
  /** A turn with nothing heard back for this long is a dead link (0: off); the core's default otherwise. */
  responseTimeoutMs?: number;
}

async function chatOn(baseUrl: string, apiKey: string | undefined, io: ChatIo, plan: ChatPlan): Promise<number> {
  if (apiKey) io.redactor.addSecret(apiKey);
  // Checked, and its folder proven writable, before anything connects (exit 2 otherwise).
  const saved = plan.stateFile ? await openStateFile(plan.stateFile) : undefined;
  if (saved && saved.model !== plan.model) {
    throw new UsageError(`The state file belongs to model ${saved.model}, not ${plan.model}; use another --state-file.`);
  }
  const audioWriter = plan.audioOut ? new AudioReplyWriter(plan.audioOut) : undefined;
  const client = createLiveClient({
    baseUrl,
    auth: plan.authConfig,
    clock: systemClock,
    logger: io.logger,
    redactor: io.redactor,
    restored: saved ? { ledger: saved.ledger, lastConnectionEndedAt: saved.lastConnectionEndedAt } : undefined,
    session: {
      setup: { ...plan.modelPlan.setup, systemInstruction: plan.systemInstruction },
      resumption: plan.resumption,
      compression: plan.compression,
      ...(plan.responseTimeoutMs !== undefined ? { responseTimeoutMs: plan.responseTimeoutMs } : {}),
    },
  });
  const { session } = client;
  client.tokens?.onDidChange((e) => io.emit(tokenEventToLine(e)));
  client.renewal?.onDidChange((e) => io.emit(renewalEventToLine(e)));

  const lines: string[] = [];
  let inputEnded = false;
  let waitingFor: number | undefined;
  let audioDone = !plan.audioIn;
  let finished = false;
  let saving: Promise<void> = Promise.resolve();

  return await new Promise<number>((resolve) => {
    /** The exit status for a fatal error; a model the server does not serve also gets its stderr line (once). */
    const exitFor = (err: unknown): number => {
      if (isMoonTalkError(err, 'modelNotFound')) {
        if (!finished) io.logger.error(modelNotFoundLine(err.details.model ?? plan.model));
        return EXIT.usage;
      }
      return isMoonTalkError(err, 'badKey') || isMoonTalkError(err, 'tokenRefused') ? EXIT.refused : EXIT.fatal;
    };

    const finish = async (code: number) => {
      if (finished) return;
      finished = true;
      rl.close();
      await saving.catch(() => {});
      await audioWriter?.close().catch((err: unknown) => io.logger.error(`could not write --audio-out: ${errorMessage(err)}`));
      resolve(code);
    };

    const persist = () => {
      if (!plan.stateFile) return;
      const snap = session.resumptionSnapshot();
      const file = plan.stateFile;
      saving = saving.then(() => saveState(file, { version: 1, model: plan.model, ledger: snap.ledger, lastConnectionEndedAt: snap.lastConnectionEndedAt })).catch((err) => {
        io.logger.error(`could not save the state file: ${errorMessage(err)}`);
      });
    };

    const maybeEnd = () => {
      if (!inputEnded || !audioDone || waitingFor !== undefined || lines.length > 0 || finished) return;
      void session.close().then(async () => {
        persist();
        await finish(EXIT.ok);
      });
    };

    const sendNext = () => {
      if (waitingFor !== undefined || !audioDone) return;
      const line = lines.shift();
      if (line === undefined) {
        maybeEnd();
        return;
      }
      try {
        waitingFor = session.sendText(line);
      } catch (err) {
        io.emit({ type: 'error', message: errorMessage(err), fatal: true });
        void finish(EXIT.fatal);
      }
    };

    session.onDidEmit((e: SessionEvent) => {
      const line = sessionEventToLine(e);
      if (line) io.emit(line);
      switch (e.type) {
        case 'audio':
          audioWriter?.write(e.data);
          break;
        case 'turnComplete':
          persist();
          if (e.turn === waitingFor) {
            waitingFor = undefined;
            sendNext();
          }
          break;
        case 'toolCall':
          refuseToolCall(session, e, io);
          break;
        case 'resumptionUpdate':
        case 'resumeFailed':
          persist();
          break;
        case 'error':
          if (e.fatal) {
            persist();
            void finish(exitFor(e.error));
          }
          break;
        default:
          break;
      }
    });

    const rl = readline.createInterface({ input: io.stdin, crlfDelay: Infinity, terminal: false });
    rl.on('line', (raw) => {
      const text = raw.trim();
      if (!text) return;
      lines.push(text);
      sendNext();
    });
    rl.on('close', () => {
      inputEnded = true;
      maybeEnd();
    });

    session.connect().then(
      async () => {
        if (plan.audioIn) {
          try {
            await streamWavAsRealtimeInput(plan.audioIn, session, { fast: plan.fast, logger: io.logger });
          } catch (err) {
            io.emit({ type: 'error', message: errorMessage(err), fatal: true });
            await session.close();
            await finish(isMoonTalkError(err) ? EXIT.fatal : EXIT.usage);
            return;
          }
          audioDone = true;
          sendNext();
          maybeEnd();
        }
      },
      (err: unknown) => {
        // The fatal error event has already been printed; make sure we exit even if none was.
        if (!(err instanceof MoonTalkError)) io.emit({ type: 'error', message: errorMessage(err), fatal: true });
        void finish(exitFor(err));
      },
    );
  });
}
