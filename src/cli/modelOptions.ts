/**
 * What the CLI asks of a model, decided from the one table (core/models.ts) and never from
 * the name's shape: the response modality `--text` turns into, whether a `--thinking-level`
 * fits, and what to say on stderr about a shut-down or unserved model. Pure, so the rules
 * are tested without a process.
 */
import { findLiveModel, modelProfile, shutDownModel, speaksOnly, type ThinkingLevel } from '../core/models';
import { isLanguageTag } from '../core/language';
import type { SetupOptions, TurnTaking } from '../core/messages';
import { UsageError } from './cliIo';

const THINKING_LEVELS: readonly ThinkingLevel[] = ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'];


export interface ModelFlags {
  model: string;
  text: boolean;
  thinkingLevel?: string;
  language?: string;
  /** `--silence-ms`, `--prefix-padding-ms`, `--end-sensitivity`, `--no-interrupt` (strings as typed). */
  silenceMs?: string;
  prefixPaddingMs?: string;
  endSensitivity?: string;
  noInterrupt?: boolean;
}

/** The extension's setting bounds (moontalk.turnTaking.*), so both accept the same values. */
const SILENCE_MS = { min: 100, max: 10_000 };
const PREFIX_PADDING_MS = { min: 0, max: 2_000 };

function msFlag(name: string, value: string | undefined, bounds: { min: number; max: number }): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < bounds.min || Number(value) > bounds.max) {
    throw new UsageError(`--${name} must be a whole number of milliseconds from ${bounds.min} to ${bounds.max} (got "${value}")`);
  }
  return Number(value);
}

/**
 * Turn-taking from the flags, or undefined when none was given (then the setup carries no
 * realtimeInputConfig beyond what it had: the CLI's default setup is unchanged).
 */
export function turnTakingFromFlags(flags: Pick<ModelFlags, 'silenceMs' | 'prefixPaddingMs' | 'endSensitivity' | 'noInterrupt'>): TurnTaking | undefined {
  const silenceDurationMs = msFlag('silence-ms', flags.silenceMs, SILENCE_MS);
  const prefixPaddingMs = msFlag('prefix-padding-ms', flags.prefixPaddingMs, PREFIX_PADDING_MS);
  let endOfSpeechSensitivity: TurnTaking['endOfSpeechSensitivity'];
  if (flags.endSensitivity !== undefined) {
    const upper = flags.endSensitivity.toUpperCase();
    if (upper !== 'LOW' && upper !== 'HIGH') throw new UsageError(`--end-sensitivity must be low or high (got "${flags.endSensitivity}")`);
    endOfSpeechSensitivity = upper;
  }
  const turnTaking: TurnTaking = {
    ...(endOfSpeechSensitivity ? { endOfSpeechSensitivity } : {}),
    ...(silenceDurationMs !== undefined ? { silenceDurationMs } : {}),
    ...(prefixPaddingMs !== undefined ? { prefixPaddingMs } : {}),
    ...(flags.noInterrupt ? { interruptions: false } : {}),
  };
  return Object.keys(turnTaking).length > 0 ? turnTaking : undefined;
}

export interface ModelPlan {
  setup: Pick<SetupOptions, 'model' | 'responseModality' | 'transcription' | 'thinkingLevel' | 'languageCode' | 'turnTaking'>;
  /** Lines for stderr before connecting (a shut-down model). */
  warnings: string[];
}

/**
 * The setup fields for the flags. `--text` asks for TEXT where the model can answer in text;
 * on a model that only speaks it asks for AUDIO with output transcription, whose words the
 * session reports as `text` events (the audio is only written with `--audio-out`).
 * Throws UsageError for a thinking level the model (when the table knows it) cannot take; a
 * model that requires a level gets the table's default when none is given.
 */
export function planModel(flags: ModelFlags): ModelPlan {
  const profile = modelProfile(flags.model);
  const warnings: string[] = [];
  const dead = shutDownModel(flags.model);
  if (dead) {
    // The server decides: warn and still try, so a model brought back is not blocked here.
    warnings.push(
      `The model ${profile.id} was shut down on ${dead.status.date ?? 'an announced date'}; the service will most likely refuse it. Use --model ${dead.status.replacement ?? 'with a current model'} instead.`,
    );
  }
  let thinkingLevel: ThinkingLevel | undefined;
  if (flags.thinkingLevel !== undefined) {
    const level = flags.thinkingLevel.toUpperCase() as ThinkingLevel;
    if (!THINKING_LEVELS.includes(level)) throw new UsageError(`--thinking-level must be one of ${THINKING_LEVELS.join(', ')} (got "${flags.thinkingLevel}")`);
    if (profile.known) {
      const thinking = profile.thinking;
      if (thinking.kind !== 'level') {
        throw new UsageError(`The model ${profile.id} takes no thinking level${thinking.kind === 'budget' ? ' (it uses a thinking budget)' : ''}; drop --thinking-level.`);
      }
      if (!thinking.levels.includes(level)) {
        throw new UsageError(`The model ${profile.id} takes --thinking-level ${thinking.levels.join(', ')} (not ${level}).`);
      }
    }
    thinkingLevel = level;
  } else if (profile.thinking.kind === 'level' && profile.thinking.required) {
    // A setup without a level is refused by such a model: send the table's default.
    thinkingLevel = profile.thinking.defaultLevel;
  }
  if (flags.language !== undefined && !isLanguageTag(flags.language)) {
    throw new UsageError(`--language must be a BCP-47 language tag such as en-US or de-DE (got "${flags.language}")`);
  }
  const turnTaking = turnTakingFromFlags(flags);
  const textByTranscription = flags.text && speaksOnly(profile);
  return {
    setup: {
      model: flags.model,
      responseModality: flags.text && !textByTranscription ? 'TEXT' : 'AUDIO',
      // AUDIO asks for transcriptions anyway; say so explicitly where `--text` depends on it.
      ...(textByTranscription ? { transcription: true } : {}),
      ...(thinkingLevel ? { thinkingLevel } : {}),
      ...(flags.language ? { languageCode: flags.language } : {}),
      ...(turnTaking ? { turnTaking } : {}),
    },
    warnings,
  };
}

/**
 * The stderr line for a model the server does not serve ('modelNotFound'): names the model
 * and, when the table knows one, its replacement.
 */
export function modelNotFoundLine(model: string): string {
  const known = findLiveModel(model);
  const id = known?.id ?? modelProfile(model).id;
  const replacement = known?.status.replacement;
  const why = known?.status.kind === 'shutDown' ? ` (shut down on ${known.status.date ?? 'an announced date'})` : '';
  return replacement
    ? `The server does not serve the model ${id}${why}. Use --model ${replacement} instead.`
    : `The server does not serve the model ${id} for live sessions. Check the name, or pick one your key can use (GET /v1beta/models lists them).`;
}
